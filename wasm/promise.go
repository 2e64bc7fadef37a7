//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"syscall/js"
)

// codedError is what the bridge's errors carry across to JS: a stable code the app can branch
// on and a readable message. Errors that implement Code() string keep their code.
type codedError interface {
	error
	Code() string
}

// codeInternal marks failures that are bugs in goxmtp (a recovered panic), never bad input.
const codeInternal = "internal.panic"

func newObject() js.Value { return js.Global().Get("Object").New() }

// asyncFunc wraps fn as a JS function returning a Promise. fn runs on its own goroutine so a
// slow call never blocks the JS event loop thread that invoked it; its result is converted
// with js.ValueOf, its error becomes a rejected Error with a `code`, and a panic becomes a
// rejection with code internal.panic instead of killing the module.
func asyncFunc(fn func(args []js.Value) (any, error)) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) any {
		var resolve, reject js.Value
		executor := js.FuncOf(func(this js.Value, cb []js.Value) any {
			resolve, reject = cb[0], cb[1]
			return nil
		})
		promise := js.Global().Get("Promise").New(executor)
		executor.Release()
		go func() {
			defer func() {
				if r := recover(); r != nil {
					reject.Invoke(jsError(codeInternal, fmt.Sprintf("goxmtp: internal error: %v", r)))
				}
			}()
			value, err := fn(args)
			if err != nil {
				reject.Invoke(errorValue(err))
				return
			}
			resolve.Invoke(js.ValueOf(value))
		}()
		return promise
	})
}

// errorValue converts a Go error into a JS Error with a stable code.
func errorValue(err error) js.Value {
	code := "unknown"
	var ce codedError
	if errors.As(err, &ce) {
		code = ce.Code()
	}
	return jsError(code, err.Error())
}

func jsError(code, message string) js.Value {
	e := js.Global().Get("Error").New(message)
	e.Set("code", code)
	return e
}
