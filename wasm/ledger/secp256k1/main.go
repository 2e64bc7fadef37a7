//go:build js && wasm

// Command secp256k1 measures the wallet-signature path of core/identity in the browser:
// Keccak-256 and core/identity's own secp256k1 (key derivation and RFC 6979 signing here;
// public key recovery runs on the same field, scalar and point code). It links core/identity
// whole, so its delta also holds what identity imports (protobuf-go, mls primitives): read it
// against the protobuf and crypto rows. decred and go-ethereum are no longer linked.
package main

import (
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/identity"
)

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any {
		key := make([]byte, 32)
		js.CopyBytesToGo(key, args[1])
		w, err := identity.LocalWalletFromKey(key)
		if err != nil {
			return err.Error()
		}
		return w.Address() + string(w.SignText(args[0].String()))
	}))
	select {}
}
