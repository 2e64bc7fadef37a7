//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"strings"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/identity"
)

// A local wallet is an Ethereum key the app keeps itself (demos, bots, tests): the module
// makes and signs with it, the page holds it and passes it back for each signature, so the
// module keeps no key of its own between calls.

// localWallet is the module's localWallet(privateKey?): a new key, or the wallet of a
// 0x-hex one, as {privateKey, address}.
func localWallet(_ context.Context, args []js.Value) (any, error) {
	var w *identity.LocalWallet
	var err error
	if typeOf(arg(args, 0)) == js.TypeUndefined {
		w, err = identity.NewLocalWallet()
	} else {
		w, err = localWalletArg(args)
	}
	if err != nil {
		return nil, err
	}
	return object{"privateKey": "0x" + hex.EncodeToString(w.PrivateKey()), "address": w.Address()}, nil
}

// localWalletSign is the module's localWalletSign(privateKey, text): the EIP-191 signature.
func localWalletSign(_ context.Context, args []js.Value) (any, error) {
	w, err := localWalletArg(args)
	if err != nil {
		return nil, err
	}
	text, err := stringArg(args, 1, "message")
	if err != nil {
		return nil, err
	}
	return w.SignText(text), nil
}

func localWalletArg(args []js.Value) (*identity.LocalWallet, error) {
	s, err := stringArg(args, 0, "privateKey")
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, badArgument("privateKey must be 0x and 64 hex digits")
	}
	w, err := identity.LocalWalletFromKey(key)
	if err != nil {
		return nil, badArgument("privateKey: %w", err)
	}
	return w, nil
}
