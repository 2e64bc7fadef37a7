// Package connectapi is the native implementation of core/api over connect-go: gRPC over
// HTTP/2 (cleartext for http:// URLs, as native libxmtp talks to a local node), or gRPC-web
// or Connect over HTTP/1.1. The browser build never links it (connect-go pulls in net/http
// and TLS); wasm/transport serves the browser instead.
package connectapi
