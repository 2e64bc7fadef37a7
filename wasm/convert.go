//go:build js && wasm

package main

import (
	"strconv"
	"syscall/js"
)

// bigInt is a 64-bit number that crosses to JS as a BigInt, as browser-sdk gives
// nanosecond timestamps: a float64 would round them.
type bigInt int64

// object is a plain JS object; its values are converted by toJS.
type object = map[string]any

// toJS converts a Go result into a JS value: what js.ValueOf takes, plus byte slices
// (Uint8Array), bigInt (BigInt), and nested objects and lists of those.
func toJS(v any) js.Value {
	switch v := v.(type) {
	case nil:
		return js.Undefined()
	case js.Value:
		return v
	case []byte:
		u := js.Global().Get("Uint8Array").New(len(v))
		js.CopyBytesToJS(u, v)
		return u
	case bigInt:
		return js.Global().Get("BigInt").Invoke(strconv.FormatInt(int64(v), 10))
	case object:
		o := js.Global().Get("Object").New()
		for k, x := range v {
			o.Set(k, toJS(x))
		}
		return o
	case []any:
		a := js.Global().Get("Array").New(len(v))
		for i, x := range v {
			a.SetIndex(i, toJS(x))
		}
		return a
	case []string:
		a := js.Global().Get("Array").New(len(v))
		for i, x := range v {
			a.SetIndex(i, x)
		}
		return a
	}
	return js.ValueOf(v)
}
