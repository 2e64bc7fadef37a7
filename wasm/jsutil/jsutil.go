//go:build js && wasm

// Package jsutil is where the browser's ways of failing and waiting become Go's: a thrown
// exception or a rejected promise becomes an error, and a promise a blocking call. The bridge
// (wasm), its transports (wasm/transport) and the IndexedDB store (idbstore) share it.
//
// Blocking calls must not run on the goroutine of a JS callback: the event loop could then
// never deliver what they wait for.
package jsutil

import (
	"context"
	"syscall/js"
)

// Error is a thrown or rejected JS value: its name (TypeError, a DOMException's
// VersionError), its message, and the code a goxmtp error made on the JS side carries.
type Error struct {
	name, message, code string
}

func (e *Error) Error() string { return e.name + ": " + e.message }

// Name is the JS error's name, "Error" for a thrown value that is not an object.
func (e *Error) Name() string { return e.name }

// Code is the string code the JS error carried, if any (core/errs reads it).
func (e *Error) Code() string { return e.code }

var (
	jsObject = js.Global().Get("Object")
	jsString = js.Global().Get("String")
	promise  = js.Global().Get("Promise")
)

// Thrown turns what JS threw or rejected with into an Error. It asks JS itself what v is,
// since js.Value.Type panics on a BigInt and anything may be thrown.
func Thrown(v js.Value) *Error {
	e := &Error{name: "Error", message: jsString.Invoke(v).String()}
	if !jsObject.Invoke(v).Equal(v) { // a primitive: no name, message or code of its own
		return e
	}
	if s, ok := stringField(v, "name"); ok {
		e.name = s
	}
	if s, ok := stringField(v, "message"); ok {
		e.message = s
	}
	if s, ok := stringField(v, "code"); ok {
		e.code = s
	}
	return e
}

// stringField returns v[name] when it is a string.
func stringField(v js.Value, name string) (string, bool) {
	f := v.Get(name)
	s := jsString.Invoke(f)
	return s.String(), s.Equal(f)
}

// Try runs fn, which calls into JS, and returns an exception it throws as an *Error:
// syscall/js reports one as a panic, which would otherwise end the module.
func Try(fn func() js.Value) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			jerr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = Thrown(jerr.Value)
		}
	}()
	return fn(), nil
}

// Await blocks until v settles (a value that is not a promise settles at once) and returns
// its value, or its rejection as an *Error, or ctx's error once ctx ends first. Its callbacks
// release themselves when the promise settles, so an abandoned wait leaks nothing once the
// promise does settle.
func Await(ctx context.Context, v js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	var onValue, onError js.Func
	settle := func(r result) {
		ch <- r
		onValue.Release()
		onError.Release()
	}
	onValue = js.FuncOf(func(_ js.Value, args []js.Value) any {
		settle(result{v: Arg(args, 0)})
		return nil
	})
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		settle(result{err: Thrown(Arg(args, 0))})
		return nil
	})
	promise.Call("resolve", v).Call("then", onValue, onError)
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

// Arg returns args[i], or undefined when a JS caller passed fewer arguments.
func Arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}
