//go:build js && wasm

// Command secp256k1 measures the wallet-signature path of core/identity in the browser:
// Keccak-256 and decred's pure-Go secp256k1 public key recovery (what go-ethereum itself uses
// without cgo, minus the rest of go-ethereum).
package main

import (
	"syscall/js"

	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"
)

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any {
		h := sha3.NewLegacyKeccak256()
		h.Write([]byte(args[0].String()))
		sig := make([]byte, 65)
		js.CopyBytesToGo(sig, args[1])
		pub, _, err := ecdsa.RecoverCompact(sig, h.Sum(nil))
		if err != nil {
			return err.Error()
		}
		return len(pub.SerializeUncompressed())
	}))
	select {}
}
