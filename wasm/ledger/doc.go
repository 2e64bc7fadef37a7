//go:build js && wasm

// Package ledger holds the size-ledger probes: tiny js/wasm programs, each linking one heavy
// dependency the browser module uses, so `make ledger` can record what each costs in brotli
// bytes on its own. Inputs come from JS so the linker cannot drop the code being measured.
package ledger
