//go:build js && wasm

package transport

import (
	"errors"
	"fmt"
	"syscall/js"
)

// await blocks the calling goroutine until promise settles. It must not run on the
// goroutine of a JS callback: the event loop could not deliver the result.
func await(promise js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg0(args)}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: jsError(arg0(args))}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	promise.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func arg0(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// jsError turns a thrown or rejected JS value into a Go error keeping its name and message
// (an AbortError from a canceled fetch, a TypeError from a failed one).
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return fmt.Errorf("%s: %s", v.Get("name").String(), v.Get("message").String())
	}
	return errors.New(v.String())
}

// try runs fn, which calls into JS, and turns a JS exception (a panic with js.Error in
// syscall/js) into an error instead of a crash of the module.
func try(fn func() js.Value) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			jerr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = jsError(jerr.Value)
		}
	}()
	return fn(), nil
}

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
