//go:build js && wasm

// Command runtime is the baseline: the Go runtime and syscall/js, nothing else.
package main

import "syscall/js"

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any { return args[0].Int() + 1 }))
	select {}
}
