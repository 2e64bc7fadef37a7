//go:build js && wasm

package transport

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/wasm/jsutil"
)

// await blocks the calling goroutine until promise settles; the call's own abort signal,
// not a context, ends a wait early.
func await(promise js.Value) (js.Value, error) { return jsutil.Await(context.Background(), promise) }

// try runs fn, which calls into JS, and returns a JS exception as an error.
var try = jsutil.Try

func arg0(args []js.Value) js.Value { return jsutil.Arg(args, 0) }

// uint8Array copies b into a new JS Uint8Array.
func uint8Array(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// goBytes copies a JS Uint8Array (or an ArrayBuffer) into Go memory.
func goBytes(v js.Value) []byte {
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		v = js.Global().Get("Uint8Array").New(v)
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}
