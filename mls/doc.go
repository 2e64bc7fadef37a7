// Package mls is goxmtp's implementation of the Messaging Layer Security protocol (RFC 9420)
// for ciphersuites 1 and 3.
//
// It is pure computation: it takes bytes and state and returns new state plus the bytes to
// send, with randomness and time injected by the caller. It must never import I/O (net, os,
// syscall/js), storage, protobuf or anything of XMTP (core/..., proto/...); a test in the
// repository root enforces this, so the same engine runs natively, in js/wasm and in the node.
package mls
