//go:build js && wasm

package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/wasm/jsutil"
)

// The content types whose body is JSON in browser-sdk 7.1's own shape (transactionReference,
// walletSendCalls; intent's metadata): their Go structs carry 7.1's field names, so they
// cross the boundary through JSON.

// jsonObject is a JSON-bodied content as the JS object 7.1 gives; nil if it cannot be.
func jsonObject(c content.Content) any {
	b, err := json.Marshal(c)
	if err != nil {
		return nil
	}
	if o, ok := jsonParse(b); ok {
		return o
	}
	return nil
}

// jsonParse is JSON.parse of b.
func jsonParse(b []byte) (js.Value, bool) {
	o, err := jsutil.Try(func() js.Value { return js.Global().Get("JSON").Call("parse", string(b)) })
	return o, err == nil
}

// jsonValue reads the JS object v into dst, a JSON-bodied content; a value of the wrong
// shape (a field of the wrong type, a BigInt) is a bad argument.
func jsonValue(v js.Value, name string, dst any) error {
	if typeOf(v) != js.TypeObject {
		return badArgument("%s must be an object", name)
	}
	s, err := jsutil.Try(func() js.Value { return js.Global().Get("JSON").Call("stringify", v) })
	if err != nil {
		return badArgument("%s: %w", name, err)
	}
	if err := json.Unmarshal([]byte(s.String()), dst); err != nil {
		return badArgument("%s: %w", name, err)
	}
	return nil
}

func transactionReferenceValue(v js.Value) (content.Content, error) {
	var t content.TransactionReference
	if err := jsonValue(v, "transactionReference", &t); err != nil {
		return nil, err
	}
	if t.NetworkID == "" || t.Reference == "" {
		return nil, badArgument("transactionReference needs networkId and reference")
	}
	return t, nil
}

func walletSendCallsValue(v js.Value) (content.Content, error) {
	var w content.WalletSendCalls
	err := jsonValue(v, "walletSendCalls", &w)
	return w, err
}
