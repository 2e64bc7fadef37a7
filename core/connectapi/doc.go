// Package connectapi is the native implementation of core/api over connect-go: gRPC over
// HTTP/2 (cleartext for http:// URLs, as native libxmtp talks to a local node), or gRPC-web
// or Connect over HTTP/1.1. Over gRPC, subscriptions use the node's bidirectional Subscribe
// RPC (XIP-83), whose topics change in place, and fall back to the server-streaming
// Subscribe*Messages RPCs on nodes without it. The browser build never links this package
// (connect-go pulls in net/http and TLS); wasm/transport serves the browser instead.
package connectapi
