//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/errs"
)

// codeUnknown marks an error that reached the boundary without a code: a bug to fix where
// the error is made, but the app still gets an Error it can show.
const codeUnknown = "internal.uncoded"

// The bridge's own errors. Everything else carries the code core gave it (core/errs).
var (
	// errInternal is a bug in goxmtp (a recovered panic), never bad input.
	errInternal = errs.New("internal.panic", "goxmtp: internal error")
	// errBadArgument is a wrong argument from the app; it rejects with a TypeError.
	errBadArgument = errs.New("bridge.bad_argument", "goxmtp: bad argument")
	// errClosed is a call on a handle that was closed (or never existed).
	errClosed = errs.New("bridge.closed", "goxmtp: the object was closed")
	// errUnknownMethod is a call of a method the handle does not have.
	errUnknownMethod = errs.New("bridge.unknown_method", "goxmtp: no such method")
	// errCanceled is work stopped because its handle closed while it ran.
	errCanceled = errs.New("bridge.canceled", "goxmtp: canceled because the object was closed")
)

// badArgument reports a wrong argument, naming it and what was expected.
func badArgument(format string, a ...any) error {
	return errBadArgument.Wrap(fmt.Errorf(format, a...))
}

// errorValue converts a Go error into the JS Error it rejects with: a TypeError for bad
// arguments, an Error otherwise, each with its stable code.
func errorValue(err error) js.Value {
	f := errorFields(err)
	return jsError(f["code"].(string), f["message"].(string), f["name"].(string))
}

// errorFields are an error's name, code and message as a plain object: what a stream sends
// to its sink, since structured cloning (to the page, from a worker) keeps no Error's code.
func errorFields(err error) object {
	if errors.Is(err, context.Canceled) && errs.Code(err) == "" {
		err = errCanceled.Wrap(err)
	}
	code := errs.Code(err)
	if code == "" {
		code = codeUnknown
	}
	name := "Error"
	if code == errBadArgument.Code() || code == errUnknownMethod.Code() {
		name = "TypeError"
	}
	return object{"name": name, "code": code, "message": err.Error()}
}

func jsError(code, message, name string) js.Value {
	e := js.Global().Get(name).New(message)
	e.Set("code", code)
	return e
}
