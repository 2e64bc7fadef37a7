package connectapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

var errNotStarted = errors.New("connectapi: Subscribe: node did not start the session")

// muxStream is a subscription on the node's bidirectional Subscribe RPC (XIP-83): one HTTP/2
// stream for every topic of one kind, which takes topic changes in place (api.Mutable), so
// adding a conversation neither reconnects nor replays the others.
//
// A goroutine receives frames and hands them to Recv one at a time (so the node still feels
// a slow reader). It exists so the end of the session is seen at once, even when nobody is
// in Recv: the sending side must then be closed, or the HTTP/2 stream stays half open and a
// node shutting down waits for it.
type muxStream[T any] struct {
	ctx     context.Context
	cancel  context.CancelFunc
	bidi    *connect.BidiStreamForClient[mlsv1.SubscribeRequest, mlsv1.SubscribeResponse]
	kind    byte
	pick    func(*mlsv1.SubscribeResponse_V1_Messages) []*T
	pending []*T
	frames  chan *mlsv1.SubscribeResponse
	done    chan struct{} // closed when the session ended; err is then set
	err     error
	sendMu  sync.Mutex // Add and Remove may come from any goroutine; connect-go sends from one
	nonce   atomic.Uint64
	once    sync.Once // release
	closing sync.Once // closeRequest
}

var _ api.Mutable = (*muxStream[mlsv1.GroupMessage])(nil)

// subscribeMux opens a Subscribe session over filters and waits for the node's Started, so a
// node without the RPC is known at once (its Unimplemented comes back as the error).
func subscribeMux[T any](ctx context.Context, c *Client, kind byte, filters []api.Filter, pick func(*mlsv1.SubscribeResponse_V1_Messages) []*T) (api.Stream[*T], error) {
	ctx, cancel := context.WithCancel(ctx)
	s := &muxStream[T]{ctx: ctx, cancel: cancel, bidi: c.mls.Subscribe(ctx), kind: kind, pick: pick,
		frames: make(chan *mlsv1.SubscribeResponse), done: make(chan struct{})}
	context.AfterFunc(ctx, s.closeRequest)
	res, err := s.start(filters)
	if err != nil {
		s.release()
		return nil, err
	}
	if res.GetV1().GetStarted() == nil {
		s.release()
		return nil, fmt.Errorf("%w: %w", api.ErrInternal, errNotStarted)
	}
	go s.receive()
	return s, nil
}

// start sends the first Mutate and reads the node's first frame. A node that refuses the
// call fails the Send with io.EOF and gives its status to Receive.
func (s *muxStream[T]) start(filters []api.Filter) (*mlsv1.SubscribeResponse, error) {
	if err := s.Add(filters); err != nil && !errors.Is(err, errSendEOF) {
		return nil, err
	}
	res, err := s.bidi.Receive()
	if err != nil {
		return nil, convert("Subscribe", err)
	}
	return res, nil
}

// errSendEOF marks a Send the node turned down; Receive has the reason.
var errSendEOF = errors.New("connectapi: Subscribe: the node closed the session")

// Add subscribes the session to more topics, each replayed from its cursor.
func (s *muxStream[T]) Add(filters []api.Filter) error {
	return s.send(api.MutateRequest(s.kind, filters, nil, s.nonce.Add(1)))
}

// Remove unsubscribes the session from topics.
func (s *muxStream[T]) Remove(keys [][]byte) error {
	return s.send(api.MutateRequest(s.kind, nil, keys, s.nonce.Add(1)))
}

func (s *muxStream[T]) send(req *mlsv1.SubscribeRequest) error {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if err := s.ctx.Err(); err != nil {
		return convert("Subscribe", err)
	}
	err := s.bidi.Send(req)
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %w", errSendEOF, err)
	}
	if err != nil {
		return convert("Subscribe", err)
	}
	return nil
}

// receive runs until the session ends, then releases it and records why.
func (s *muxStream[T]) receive() {
	defer close(s.done)
	for {
		res, err := s.bidi.Receive()
		if err != nil {
			s.err = endOf(s.ctx, "Subscribe", err) // before release cancels s.ctx
			s.release()
			return
		}
		select {
		case s.frames <- res:
		case <-s.ctx.Done():
			s.err = convert("Subscribe", s.ctx.Err())
			s.release()
			return
		}
	}
}

func (s *muxStream[T]) Recv() (*T, error) {
	for len(s.pending) == 0 {
		var res *mlsv1.SubscribeResponse
		select {
		case res = <-s.frames:
		case <-s.done:
			return nil, s.err
		}
		// Started, TopicsLive, CatchupComplete and Pong carry nothing for Recv.
		if m := res.GetV1().GetMessages(); m != nil {
			s.pending = s.pick(m)
		}
	}
	m := s.pending[0]
	s.pending = s.pending[1:]
	return m, nil
}

// release ends the session once, from the receiving side.
func (s *muxStream[T]) release() {
	s.once.Do(func() {
		s.closeRequest()
		s.bidi.CloseResponse()
	})
}

// closeRequest cancels the call and closes its sending side. Both are needed to end a
// pending Receive: net/http does not finish a canceled HTTP/2 request while its body (the
// sending side) stays open.
func (s *muxStream[T]) closeRequest() {
	s.closing.Do(func() {
		s.cancel()
		s.sendMu.Lock()
		defer s.sendMu.Unlock()
		s.bidi.CloseRequest()
	})
}

// Close ends the session; a pending Recv returns ErrCanceled.
func (s *muxStream[T]) Close() error {
	s.closeRequest()
	return nil
}
