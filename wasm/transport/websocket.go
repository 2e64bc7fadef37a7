//go:build js && wasm

package transport

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/api"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// The node's WebSocket subscription (node/websocket.go, node/README.md): binary messages,
// each one serialized SubscribeRequest (to the node) or SubscribeResponse (from it), the
// XIP-83 protocol of xmtp-protocol.md §1.2 (frames built by core/api). A session the node
// ends with an error closes with code 4000 + the gRPC status code and the message as
// reason.
const (
	wsCloseBase   = 4000
	wsCloseNormal = 1000
	// wsBacklog is how many frames may wait for Recv before the subscription counts as
	// too slow, the browser-side twin of the node's cut-off.
	wsBacklog = 1024
	// wsDefaultKeepAlive applies until the node's Started frame announces its interval.
	wsDefaultKeepAlive = 30 * time.Second
)

var (
	errNotBinary = errors.New("transport: WebSocket frame is not binary")
	// errNoWebSocket marks a socket that closed before it opened: the node is down, or
	// serves no WebSocket endpoint.
	errNoWebSocket = errors.New("transport: WebSocket did not open")
)

var _ api.Mutable = (*wsStream[*mlsv1.GroupMessage])(nil)

// wsEvent is what the socket's callbacks hand to Recv.
type wsEvent struct {
	open   bool
	data   []byte
	closed bool
	code   int
	reason string
}

// wsStream is one subscription on its own socket, to topics of one kind. It is Mutable:
// topics join and leave the live session without a new connection.
type wsStream[T proto.Message] struct {
	ctx      context.Context
	ws       js.Value
	kind     byte // topic kind byte of every topic of this stream
	events   chan wsEvent
	cancel   context.CancelFunc // Close: ends a pending Recv and releases the socket
	overflow atomic.Bool
	funcs    []js.Func
	once     sync.Once

	// Liveness: the node's WebSocket pings are invisible to JS, so a node that vanished
	// without closing the connection would leave Recv waiting forever. After keepAlive
	// without a frame the stream pings the node (XIP-83 Ping); after another, it fails.
	keepAlive         time.Duration
	keepAliveFromNode bool          // no Config.KeepAlive: follow the node's announced interval
	nonce             atomic.Uint64 // of pings and mutations alike, unique per socket
	pick              func(*mlsv1.SubscribeResponse_V1_Messages) []T
	pending           []T
}

// subscribeWebSocket opens a socket to the node's /ws, waits for it to open and subscribes
// to the filters' topics of one kind in one Mutate.
func subscribeWebSocket[T proto.Message](ctx context.Context, c *Client, kind byte, filters []api.Filter, pick func(*mlsv1.SubscribeResponse_V1_Messages) []T) (api.Stream[T], error) {
	if err := ctx.Err(); err != nil {
		return nil, api.FromContext(err)
	}
	ws, err := try(func() js.Value { return js.Global().Get("WebSocket").New(wsURL(c.base)) })
	if err != nil {
		return nil, fmt.Errorf("transport: subscribe: %w", api.Status{Code: api.CodeUnavailable, Message: err.Error()}.Err())
	}
	ws.Set("binaryType", "arraybuffer")
	ctx, cancel := context.WithCancel(ctx)
	s := &wsStream[T]{ctx: ctx, cancel: cancel, ws: ws, kind: kind, events: make(chan wsEvent, wsBacklog), pick: pick,
		keepAlive: cmp.Or(c.cfg.KeepAlive, wsDefaultKeepAlive), keepAliveFromNode: c.cfg.KeepAlive == 0}
	s.on("open", func(js.Value) { s.push(wsEvent{open: true}) })
	s.on("message", func(e js.Value) {
		data := e.Get("data")
		if data.Type() == js.TypeString {
			s.push(wsEvent{closed: true, code: wsCloseBase + int(api.CodeInternal), reason: errNotBinary.Error()})
			return
		}
		s.push(wsEvent{data: goBytes(data)})
	})
	s.on("close", func(e js.Value) {
		s.push(wsEvent{closed: true, code: e.Get("code").Int(), reason: e.Get("reason").String()})
	})
	context.AfterFunc(ctx, s.release)

	ev, err := s.next()
	if err != nil {
		cancel()
		return nil, err
	}
	if !ev.open {
		err := s.closeError(ev) // before cancel, which would make it a cancellation
		cancel()
		if errors.Is(err, api.ErrUnavailable) {
			err = fmt.Errorf("%w: %w", errNoWebSocket, err)
		}
		return nil, err
	}
	if err := s.Add(filters); err != nil {
		cancel()
		return nil, err
	}
	return s, nil
}

// Add subscribes the live session to more topics, each replayed from its cursor.
func (s *wsStream[T]) Add(filters []api.Filter) error {
	return s.request(api.MutateRequest(s.kind, filters, nil, s.nonce.Add(1)))
}

// Remove unsubscribes the live session from topics.
func (s *wsStream[T]) Remove(keys [][]byte) error {
	return s.request(api.MutateRequest(s.kind, nil, keys, s.nonce.Add(1)))
}

// ping asks the node for a Pong, proof that it still serves the socket.
func (s *wsStream[T]) ping() error { return s.request(api.PingRequest(s.nonce.Add(1))) }

// request sends one SubscribeRequest frame.
func (s *wsStream[T]) request(req *mlsv1.SubscribeRequest) error {
	if err := s.ctx.Err(); err != nil {
		return fmt.Errorf("transport: subscribe: %w", api.FromContext(err))
	}
	frame, err := proto.Marshal(req)
	if err != nil {
		return fmt.Errorf("transport: subscribe: encode: %w", err)
	}
	if err := s.send(frame); err != nil {
		return fmt.Errorf("transport: subscribe: %w", err)
	}
	return nil
}

// send writes one binary frame. The browser queues it; a socket that closed meanwhile
// drops it, and Recv then reports the close.
func (s *wsStream[T]) send(frame []byte) error {
	_, err := try(func() js.Value { s.ws.Call("send", uint8Array(frame)); return js.Undefined() })
	if err != nil {
		return api.Status{Code: api.CodeUnavailable, Message: err.Error()}.Err()
	}
	return nil
}

// wsURL turns the node's http(s) base URL into its WebSocket endpoint.
func wsURL(base string) string {
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return "wss://" + rest + "/ws"
	}
	return "ws://" + strings.TrimPrefix(base, "http://") + "/ws"
}

// on installs a handler for a socket event; release removes it.
func (s *wsStream[T]) on(event string, fn func(js.Value)) {
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		fn(arg0(args))
		return nil
	})
	s.funcs = append(s.funcs, f)
	s.ws.Set("on"+event, f)
}

// push hands an event to Recv without ever blocking the browser's event loop; a backlog
// past wsBacklog ends the subscription as too slow.
func (s *wsStream[T]) push(ev wsEvent) {
	select {
	case s.events <- ev:
	default:
		if !s.overflow.Swap(true) {
			s.ws.Call("close")
		}
	}
}

// next waits for the socket's next event, pinging the node when it has been silent for
// keepAlive and giving up when the ping goes unanswered as long.
func (s *wsStream[T]) next() (wsEvent, error) {
	select {
	case ev := <-s.events:
		return ev, nil
	default:
	}
	if s.overflow.Load() {
		return wsEvent{}, api.Status{Code: api.CodeAborted, Message: "caller did not read all messages fast enough"}.Err()
	}
	silence := time.NewTimer(s.keepAlive)
	defer silence.Stop()
	pinged := false
	for {
		select {
		case ev := <-s.events:
			return ev, nil
		case <-s.ctx.Done():
			return wsEvent{}, api.FromContext(s.ctx.Err())
		case <-silence.C:
			if pinged {
				return wsEvent{}, api.Status{Code: api.CodeUnavailable, Message: fmt.Sprintf("node silent for %s", 2*s.keepAlive)}.Err()
			}
			if err := s.ping(); err != nil {
				return wsEvent{}, err
			}
			pinged = true
			silence.Reset(s.keepAlive)
		}
	}
}

func (s *wsStream[T]) Recv() (T, error) {
	var zero T
	for len(s.pending) == 0 {
		ev, err := s.next()
		if err != nil {
			s.cancel()
			return zero, fmt.Errorf("transport: subscription: %w", err)
		}
		if ev.closed {
			err := s.closeError(ev)
			s.cancel()
			return zero, err
		}
		var res mlsv1.SubscribeResponse
		if err := proto.Unmarshal(ev.data, &res); err != nil {
			s.cancel()
			return zero, fmt.Errorf("transport: subscription: %w: decode frame: %w", api.ErrInternal, err)
		}
		// TopicsLive, CatchupComplete and Pong carry nothing for Recv.
		if m := res.GetV1().GetMessages(); m != nil {
			s.pending = s.pick(m)
		}
		if st := res.GetV1().GetStarted(); st != nil && st.GetKeepaliveIntervalMs() > 0 && s.keepAliveFromNode {
			s.keepAlive = time.Duration(st.GetKeepaliveIntervalMs()) * time.Millisecond
		}
	}
	m := s.pending[0]
	s.pending = s.pending[1:]
	return m, nil
}

// closeError classifies the end of the socket: a clean close is the end of the stream, a
// 4000+code close is the node's status, anything else (1006: the connection dropped) is the
// node being unreachable.
func (s *wsStream[T]) closeError(ev wsEvent) error {
	var err error
	switch {
	case s.ctx.Err() != nil:
		err = api.FromContext(s.ctx.Err())
	case ev.code == wsCloseNormal:
		return io.EOF
	case ev.code > wsCloseBase && ev.code <= wsCloseBase+int(api.CodeUnauthenticated):
		err = api.Status{Code: api.Code(ev.code - wsCloseBase), Message: ev.reason}.Err()
	default:
		err = api.Status{Code: api.CodeUnavailable, Message: fmt.Sprintf("WebSocket closed with code %d %s", ev.code, ev.reason)}.Err()
	}
	return fmt.Errorf("transport: subscription: %w", err)
}

// release closes the socket and frees its callbacks, once the stream's context is done.
func (s *wsStream[T]) release() {
	s.once.Do(func() {
		for _, ev := range []string{"onopen", "onmessage", "onclose"} {
			s.ws.Set(ev, js.Null())
		}
		s.ws.Call("close")
		for _, f := range s.funcs {
			f.Release()
		}
	})
}

// Close ends the subscription; a pending Recv returns ErrCanceled.
func (s *wsStream[T]) Close() error {
	s.cancel()
	return nil
}
