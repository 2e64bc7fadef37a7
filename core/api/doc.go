// Package api is the network surface the XMTP client core talks to: the MlsApi and
// IdentityApi calls libxmtp makes (xmtp-protocol.md §1.2, §1.3), server streams, errors with
// stable codes, and subscriptions that multiplex many topics on one stream and survive
// reconnects without gaps or duplicates.
//
// It has no transport of its own and imports nothing of net/http, so the same core compiles
// natively (core/connectapi, over connect-go) and for the browser (wasm/transport, gRPC-web
// over fetch and the node's WebSocket).
package api
