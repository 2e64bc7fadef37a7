//go:build js && wasm

package jsutil

import (
	"context"
	"errors"
	"syscall/js"
	"testing"

	"github.com/goxmtp/goxmtp/core/errs"
)

// eval runs a JS expression (the tests' only way to make BigInts and odd throws).
func eval(src string) js.Value { return js.Global().Get("Function").New("return " + src).Invoke() }

func TestThrown(t *testing.T) {
	for _, c := range []struct {
		src, name, message, code string
	}{
		{`new TypeError("bad")`, "TypeError", "bad", ""},
		{`Object.assign(new Error("signer said no"), {code: "signer.failed"})`, "Error", "signer said no", "signer.failed"},
		{`Object.assign(new Error("wallet"), {code: 4001})`, "Error", "wallet", ""}, // EIP-1193's numeric codes are not goxmtp's
		{`Object.assign(new Error("wire"), {code: null})`, "Error", "wire", ""},
		{`"a string"`, "Error", "a string", ""},
		{`10n`, "Error", "10", ""},
		{`undefined`, "Error", "undefined", ""},
		{`({name: 5n, message: 6n})`, "Error", "[object Object]", ""},
	} {
		e := Thrown(eval(c.src))
		if e.Name() != c.name || e.message != c.message || e.Code() != c.code {
			t.Errorf("%s: name %q message %q code %q, want %q %q %q", c.src, e.Name(), e.message, e.Code(), c.name, c.message, c.code)
		}
	}
	if got := errs.Code(Thrown(eval(`Object.assign(new Error("x"), {code: "store.locked"})`))); got != "store.locked" {
		t.Errorf("errs.Code = %q, want the JS error's code", got)
	}
}

func TestTry(t *testing.T) {
	v, err := Try(func() js.Value { return eval(`21 * 2`) })
	if err != nil || v.Int() != 42 {
		t.Fatalf("got %v, %v", v, err)
	}
	_, err = Try(func() js.Value { return js.Global().Get("JSON").Call("parse", "{") })
	var jerr *Error
	if !errors.As(err, &jerr) || jerr.Name() != "SyntaxError" {
		t.Fatalf("a throwing call: %v, want a SyntaxError", err)
	}
	_, err = Try(func() js.Value { return eval(`(() => { throw 7n })()`) })
	if !errors.As(err, &jerr) || jerr.message != "7" {
		t.Fatalf("a thrown BigInt: %v", err)
	}
}

func TestAwait(t *testing.T) {
	ctx := context.Background()
	if v, err := Await(ctx, eval(`Promise.resolve("done")`)); err != nil || v.String() != "done" {
		t.Errorf("resolved: %v, %v", v, err)
	}
	if v, err := Await(ctx, js.ValueOf(3)); err != nil || v.Int() != 3 {
		t.Errorf("a plain value: %v, %v", v, err)
	}
	_, err := Await(ctx, eval(`Promise.reject(Object.assign(new Error("nope"), {code: "api.unavailable"}))`))
	if errs.Code(err) != "api.unavailable" || err.Error() != "Error: nope" {
		t.Errorf("rejected: %v (code %q)", err, errs.Code(err))
	}
	canceled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Await(canceled, eval(`new Promise(() => {})`)); !errors.Is(err, context.Canceled) {
		t.Errorf("a canceled wait: %v", err)
	}
}
