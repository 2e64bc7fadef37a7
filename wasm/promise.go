//go:build js && wasm

package main

import (
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/wasm/jsutil"
)

// newPromise runs fn on its own goroutine and returns a Promise of its result. The goroutine
// is what syscall/js requires: a JS callback that blocks (on the network, on a signer)
// would otherwise stall the event loop that has to deliver what it waits for. fn's error
// rejects the promise with a coded Error, and a panic rejects it with internal.panic
// instead of killing the module.
func newPromise(fn func() (any, error)) js.Value {
	var resolve, reject js.Value
	executor := js.FuncOf(func(_ js.Value, cb []js.Value) any {
		resolve, reject = cb[0], cb[1]
		return nil
	})
	promise := js.Global().Get("Promise").New(executor)
	executor.Release()
	go func() {
		var value js.Value
		err := recovered(func() error {
			v, err := fn()
			value = toJS(v)
			return err
		})
		if err != nil {
			reject.Invoke(errorValue(err))
			return
		}
		resolve.Invoke(value)
	}()
	return promise
}

// recovered runs fn and turns a panic into an internal.panic error, so that a bug reaches
// the app as a rejection or a stream error instead of ending the module.
func recovered(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errInternal.Wrap(fmt.Errorf("%v", r))
		}
	}()
	return fn()
}

// await blocks the calling goroutine until a promise settles or ctx ends; it must not run on
// the goroutine of a JS callback.
var await = jsutil.Await

// invoke calls the JS function fn, turning an exception it throws into an error.
func invoke(fn js.Value, args ...any) (js.Value, error) {
	return jsutil.Try(func() js.Value { return fn.Invoke(args...) })
}

// arg returns args[i], or undefined when the caller passed fewer.
var arg = jsutil.Arg
