// Package transport is the browser's implementation of core/api: gRPC-web over fetch for
// every call (what @xmtp/browser-sdk speaks), and the node's multiplexed WebSocket
// subscription as the other stream transport. It is written on syscall/js because net/http
// would add megabytes to the module.
//
// The gRPC-web framing and trailer parsing (frame.go, trailers.go) carry no build
// constraint, so they are tested and fuzzed natively; everything that touches the browser is
// js && wasm only and is tested in headless Chromium (js/test/gotest-transport.test.mjs).
package transport
