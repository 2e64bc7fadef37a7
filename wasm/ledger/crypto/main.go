//go:build js && wasm

// Command crypto measures MLS's primitives for XMTP's suite: HPKE (X25519, HKDF-SHA256,
// ChaCha20-Poly1305), Ed25519 signatures and the labelled KDF.
package main

import (
	"syscall/js"

	"github.com/goxmtp/goxmtp/mls"
)

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any {
		cs := mls.CipherSuiteX25519ChaCha20
		msg := []byte(args[0].String())
		priv, pub, _ := cs.GenerateHPKEKeyPair()
		kem, ct, _ := cs.EncryptWithLabel(pub, "probe", nil, msg)
		pt, _ := cs.DecryptWithLabel(priv, "probe", nil, kem, ct)
		sk, vk, _ := cs.GenerateSignatureKeyPair()
		sig, _ := cs.SignWithLabel(sk, "probe", pt)
		return cs.VerifyWithLabel(vk, "probe", pt, sig) == nil
	}))
	select {}
}
