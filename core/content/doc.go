// Package content is the application layer of XMTP messages: EncodedContent and the built-in
// content types as Go values, compression, the PlaintextEnvelope that MLS encrypts, message
// ids, and the push-notification helpers (should_push, sender_hmac, topics).
//
// Everything here is pure and stateless so that the client core, the wasm bridge and tests can
// share it. Encode turns a Content into an EncodedContent; Decode does the reverse and returns
// Unknown, with its fallback text, for any content type it does not know, so new types from
// other apps pass through untouched. Wire formats follow libxmtp 1.11
// (crates/xmtp_content_types) and xmtp-protocol.md §3.4–3.5.
package content
