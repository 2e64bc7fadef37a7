package node

import (
	"net/http"
	"strings"
)

// Headers a browser page on another origin may send and read. These are the headers of
// XMTP's envoy gRPC-web proxy plus the Connect protocol's and grpc-encoding, which libxmtp
// does not send today but gRPC-web clients may.
var (
	corsAllowHeaders = strings.Join([]string{
		"keep-alive", "user-agent", "cache-control", "content-type", "content-transfer-encoding",
		"x-accept-content-transfer-encoding", "x-accept-response-streaming", "x-user-agent",
		"x-grpc-web", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
		"x-libxmtp-version", "x-app-version",
		"connect-protocol-version", "connect-timeout-ms", "connect-content-encoding", "connect-accept-encoding",
	}, ",")
	corsExposeHeaders = strings.Join([]string{
		"grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding", "retry-after", "subscribed",
	}, ",")
)

// cors lets pages on any origin call the node: it answers preflights itself and marks every
// response readable. The node has no cookies or authentication, so "*" is safe.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "7200")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
