package connectapi

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
)

// deadlineSkew is how early a node may end a stream for the caller's deadline.
const deadlineSkew = time.Second

// stream adapts a connect-go server stream to api.Stream. connect-go's stream must not be
// closed while another goroutine receives, so Close only cancels the call's context (which
// ends a pending Receive) and the receiving side releases the stream when it ends.
type stream[T any] struct {
	s      *connect.ServerStreamForClient[T]
	ctx    context.Context
	cancel context.CancelFunc
	call   string
	once   sync.Once
}

// subscribe opens a server stream whose lifetime ctx bounds.
func subscribe[Req, Res any](ctx context.Context, open func(context.Context, *connect.Request[Req]) (*connect.ServerStreamForClient[Res], error), call string, req *Req) (api.Stream[*Res], error) {
	ctx, cancel := context.WithCancel(ctx)
	s, err := open(ctx, connect.NewRequest(req))
	if err != nil {
		cancel()
		return nil, convert(call, err)
	}
	return &stream[Res]{s: s, ctx: ctx, cancel: cancel, call: call}, nil
}

func (s *stream[T]) Recv() (*T, error) {
	if s.s.Receive() {
		return s.s.Msg(), nil
	}
	err := endOf(s.ctx, s.call, s.s.Err()) // before release cancels s.ctx
	s.release()
	return nil, err
}

// endOf is what a stream reports when it ends with err (nil or io.EOF for a clean end): the
// error's class, io.EOF, or the caller's cancellation or deadline. A node ends a stream
// cleanly when the caller closes its side, and when it learns the caller's deadline from a
// timeout header, a moment before the caller's own timer fires; those ends are the caller's
// doing, so wait for the deadline and say so.
func endOf(ctx context.Context, call string, err error) error {
	if err != nil && !errors.Is(err, io.EOF) {
		return convert(call, err)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < deadlineSkew {
		<-ctx.Done()
	}
	if ctx.Err() != nil {
		return convert(call, ctx.Err())
	}
	return io.EOF
}

// release closes the connect stream once, from the receiving goroutine.
func (s *stream[T]) release() {
	s.once.Do(func() {
		s.cancel()
		s.s.Close()
	})
}

func (s *stream[T]) Close() error {
	s.cancel()
	return nil
}
