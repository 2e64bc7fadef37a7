//go:build js && wasm

package main

import (
	"encoding/hex"
	"strconv"
	"syscall/js"
)

// Argument readers: each checks one argument of a call and names it in the TypeError it
// rejects with, so a JS caller learns which argument was wrong and why.

// typeBigInt is what typeOf reports for a BigInt, which js.Value.Type cannot tell (it
// panics): no reader accepts it where it expects another type.
const typeBigInt js.Type = -1

// typeOf is js.Value.Type for values the app passed, which may be BigInts.
func typeOf(v js.Value) js.Type {
	if js.Global().Get("Object").Get("prototype").Get("toString").Call("call", v).String() == "[object BigInt]" {
		return typeBigInt
	}
	return v.Type()
}

func stringArg(args []js.Value, i int, name string) (string, error) {
	return stringValue(arg(args, i), name)
}

// bytesValue reads a Uint8Array.
func bytesValue(v js.Value, name string) ([]byte, error) {
	if !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, badArgument("%s must be a Uint8Array", name)
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}

// hexValue reads a hex string (an installation or message id) as bytes.
func hexValue(v js.Value, name string) ([]byte, error) {
	s, err := stringValue(v, name)
	if err != nil {
		return nil, err
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, badArgument("%s must be hex", name)
	}
	return b, nil
}

func funcArg(args []js.Value, i int, name string) (js.Value, error) {
	v := arg(args, i)
	if typeOf(v) != js.TypeFunction {
		return js.Value{}, badArgument("%s must be a function", name)
	}
	return v, nil
}

// objectArg reads an options object; undefined reads as an empty one.
func objectArg(args []js.Value, i int, name string) (js.Value, error) {
	v := arg(args, i)
	switch typeOf(v) {
	case js.TypeUndefined:
		return js.Global().Get("Object").New(), nil
	case js.TypeObject:
		return v, nil
	}
	return js.Value{}, badArgument("%s must be an object", name)
}

// arrayArg reads an array and each of its elements with read.
func arrayArg[T any](args []js.Value, i int, name string, read func(v js.Value, name string) (T, error)) ([]T, error) {
	v := arg(args, i)
	if !js.Global().Get("Array").Call("isArray", v).Bool() {
		return nil, badArgument("%s must be an array", name)
	}
	out := make([]T, v.Length())
	for j := range out {
		var err error
		if out[j], err = read(v.Index(j), name+"["+strconv.Itoa(j)+"]"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func stringValue(v js.Value, name string) (string, error) {
	if typeOf(v) != js.TypeString {
		return "", badArgument("%s must be a string", name)
	}
	return v.String(), nil
}

// optionalString reads field of an options object: absent (undefined) gives "".
func optionalString(opts js.Value, field string) (string, error) {
	v := opts.Get(field)
	if typeOf(v) == js.TypeUndefined {
		return "", nil
	}
	return stringValue(v, field)
}

// optionalInt64 reads a number or BigInt field (nanosecond times, limits); absent gives 0.
func optionalInt64(opts js.Value, field string) (int64, error) {
	v := opts.Get(field)
	if typeOf(v) == js.TypeUndefined {
		return 0, nil
	}
	return int64Value(v, field)
}

// int64Value reads a number or BigInt of 64 bits. syscall/js cannot convert a BigInt, so
// the value is read through JS's String().
func int64Value(v js.Value, name string) (int64, error) {
	n, err := strconv.ParseInt(js.Global().Call("String", v).String(), 10, 64)
	if err != nil {
		return 0, badArgument("%s must be an integer number or a bigint of 64 bits", name)
	}
	return n, nil
}
