package node

import (
	"context"
	"log/slog"
	"time"

	"connectrpc.com/connect"
)

// callLogger logs every call when it ends, unary or streaming: procedure, peer, duration and
// status at debug level, and at error level the internal failures an operator must see.
type callLogger struct{ log *slog.Logger }

func (l callLogger) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		start := time.Now()
		res, err := next(ctx, req)
		l.done(ctx, req.Spec().Procedure, req.Peer().Addr, start, err)
		return res, err
	}
}

func (l callLogger) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (l callLogger) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		start := time.Now()
		err := next(ctx, conn)
		l.done(ctx, conn.Spec().Procedure, conn.Peer().Addr, start, err)
		return err
	}
}

func (l callLogger) done(ctx context.Context, procedure, peer string, start time.Time, err error) {
	attrs := []any{"procedure", procedure, "peer", peer, "duration", time.Since(start)}
	switch code := connect.CodeOf(err); {
	case err == nil:
		l.log.DebugContext(ctx, "call", attrs...)
	case code == connect.CodeInternal || code == connect.CodeUnknown:
		l.log.ErrorContext(ctx, "call failed", append(attrs, "code", code.String(), "error", err)...)
	default:
		l.log.DebugContext(ctx, "call rejected", append(attrs, "code", code.String(), "error", err)...)
	}
}
