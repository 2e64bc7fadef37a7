package connectapi

import (
	"context"

	"connectrpc.com/connect"
)

// headers adds the metadata libxmtp sends with every call, so a node (or a proxy in front of
// it) can tell client versions apart.
type headers struct {
	appVersion string
}

func (h headers) set(hdr interface{ Set(string, string) }) {
	if h.appVersion != "" {
		hdr.Set("x-app-version", h.appVersion)
	}
}

func (h headers) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		h.set(req.Header())
		return next(ctx, req)
	}
}

func (h headers) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return func(ctx context.Context, spec connect.Spec) connect.StreamingClientConn {
		conn := next(ctx, spec)
		h.set(conn.RequestHeader())
		return conn
	}
}

func (h headers) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return next
}
