//go:build js && wasm

// Command wasm is goxmtp's browser module: the GOOS=js main whose syscall/js bridge exposes
// core's Client, Conversations, Group and Dm to the JS package (js/), which gives them
// @xmtp/browser-sdk's names and shapes.
//
// The module installs globalThis.__goxmtp = {call(handle, method, ...args), close(handle)}.
// Handle 0 is the module itself (version, createClient, the local wallet, and what needs no
// client: canMessage, inbox states and revocations, content encoding, attachment
// encryption); createClient opens a client handle, and a client's streams are handles under it.
// Conversations are not handles: group methods take the conversation's id first. Every
// call returns a Promise and runs on its own goroutine with its handle's context, which
// close cancels; close waits for the calls in flight, then releases what the handle holds.
//
// Failures reject with an Error whose code is the stable code of the Go error (core/errs),
// TypeErrors with bridge.bad_argument for bad arguments, internal.panic for a recovered
// panic. Values cross as plain objects with Uint8Array bytes, BigInt nanosecond times and
// browser-sdk's enum numbers.
//
// Files: handles.go (the handle table and dispatcher), promise.go (promises, awaiting JS),
// errors.go, args.go (argument checks), convert.go (Go values to JS), client.go, store.go
// (IndexedDB or memory), signer.go (the page's signer), signature.go (installation key
// signatures), conversations.go, group.go, messagelist.go (listing as libxmtp enriches),
// content.go and encode.go (messages and content types), attachment.go, jsoncontent.go and
// actions.go (their shapes), permissions.go, consent.go, consentstream.go, stream.go,
// inboxlookup.go, localwallet.go, retry.go (publishing a Failed message again).
//
// It links mls, core, proto, idbstore, the browser transports in wasm/transport and
// wasm/jsutil (JS exceptions and promises as Go errors and blocking calls), and never
// net/http, crypto/tls, SQLite or core/connectapi (a test proves it with `go list -deps`).
// Every file that imports syscall/js carries the `js && wasm` build constraint.
package main
