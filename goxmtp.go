// Package goxmtp is XMTP V3 group chat (MLS, RFC 9420) in Go: a native Go SDK, a
// WebAssembly module for browsers and a local XMTP-compatible node, all from one core.
//
// This root package only carries what every part reports about itself (the version); the
// client lives in core/, the MLS engine in mls/, the node in node/.
package goxmtp

// Version is the library version, reported by the wasm module and the npm package.
const Version = "0.1.0"
