//go:build js && wasm

// Command secp256k1 measures go-ethereum's pure-Go public key recovery (ERC-191 signatures).
package main

import (
	"syscall/js"

	"github.com/ethereum/go-ethereum/crypto"
)

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any {
		hash := crypto.Keccak256([]byte(args[0].String()))
		sig := make([]byte, 65)
		js.CopyBytesToGo(sig, args[1])
		pub, err := crypto.SigToPub(hash, sig)
		if err != nil {
			return err.Error()
		}
		return crypto.PubkeyToAddress(*pub).Hex()
	}))
	select {}
}
