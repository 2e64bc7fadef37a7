package connectapi

import (
	"context"
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
	err := s.s.Err()
	if dl, ok := s.ctx.Deadline(); ok && err == nil && time.Until(dl) < deadlineSkew {
		// The node learns the caller's deadline from a timeout header and may end the
		// stream cleanly a moment before the caller's own timer fires: that end is the
		// deadline, so wait for it and say so.
		<-s.ctx.Done()
		err = s.ctx.Err()
	}
	s.release()
	if err == nil {
		return nil, io.EOF
	}
	return nil, convert(s.call, err)
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
