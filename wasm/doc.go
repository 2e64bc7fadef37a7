//go:build js && wasm

// Command wasm is goxmtp's browser module: the GOOS=js main whose syscall/js bridge exposes
// promise-returning Client, Conversations and Group objects to the JS package.
//
// It links mls, core, proto, idbstore and the browser transports in wasm/transport, and never
// net/http, crypto/tls, SQLite or core/connectapi (a test proves it with `go list -deps`).
// Every file that imports syscall/js carries the `js && wasm` build constraint.
package main
