// Package node is a local XMTP-compatible node: MlsApi and IdentityApi over gRPC (h2c),
// gRPC-web and Connect, plus a WebSocket subscription endpoint, with SQLite storage. It
// validates what it stores with mls/ and core/identity. Client logic does not belong here.
package node
