// Package errs gives goxmtp's errors a stable code that survives the trip to JavaScript.
//
// Packages declare their sentinels with New and wrap them with context through fmt.Errorf's
// %w or Wrap. Callers in Go branch with errors.Is; the wasm bridge reads the code of the first
// coded error in the chain (Code), so a JS app can switch on e.code instead of parsing text.
// Codes are "<area>.<snake_case_reason>", e.g. "permissions.denied", and never change once
// published. Messages must not carry key material or plaintext.
package errs

import "errors"

// Error is an error with a stable code. Sentinels are *Error values made by New; Wrap returns
// a copy that also carries a cause and still matches its sentinel under errors.Is.
type Error struct {
	code string
	msg  string
	err  error
}

// New returns a sentinel error with a stable code and a readable message.
func New(code, msg string) *Error { return &Error{code: code, msg: msg} }

// Wrap returns e with cause attached: errors.Is(result, e) holds and errors.Is(result, cause)
// holds too, so both the goxmtp reason and the underlying failure stay inspectable.
func (e *Error) Wrap(cause error) *Error { return &Error{code: e.code, msg: e.msg, err: cause} }

// Code returns the stable code the JS boundary exposes as Error.code.
func (e *Error) Code() string { return e.code }

func (e *Error) Error() string {
	if e.err == nil {
		return e.msg
	}
	return e.msg + ": " + e.err.Error()
}

// Unwrap returns the cause given to Wrap, if any.
func (e *Error) Unwrap() error { return e.err }

// Is reports whether target is an *Error with the same code, so a wrapped copy matches the
// sentinel it came from.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.code == e.code
}

// Code returns the code of the outermost coded error in err's chain, or "" when it has none.
func Code(err error) string {
	var c interface{ Code() string }
	if errors.As(err, &c) {
		return c.Code()
	}
	return ""
}
