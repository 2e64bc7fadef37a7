//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"syscall/js"
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

// await blocks the calling goroutine until v settles (a value that is not a promise settles
// at once) or ctx ends. It must not run on the goroutine of a JS callback, whose event loop
// turn would never end. Its callbacks release themselves when the promise settles, so an
// abandoned wait leaks nothing once the promise does settle.
func await(ctx context.Context, v js.Value) (js.Value, error) {
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
		settle(result{v: arg(args, 0)})
		return nil
	})
	onError = js.FuncOf(func(_ js.Value, args []js.Value) any {
		settle(result{err: thrown(arg(args, 0))})
		return nil
	})
	js.Global().Get("Promise").Call("resolve", v).Call("then", onValue, onError)
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err()
	}
}

// invoke calls the JS function fn, turning an exception it throws into an error: syscall/js
// reports one as a panic, which must not reach the module's top.
func invoke(fn js.Value, args ...any) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			jerr, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = thrown(jerr.Value)
		}
	}()
	return fn.Invoke(args...), nil
}

func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}
