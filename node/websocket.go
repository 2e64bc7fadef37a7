package node

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"connectrpc.com/connect"
	"github.com/coder/websocket"
	"google.golang.org/protobuf/proto"

	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// WebSocket framing (see README.md): every message is binary and holds one serialized
// SubscribeRequest (client to node) or SubscribeResponse (node to client). A session that
// fails closes with code 4000 + its gRPC status code and the error text as reason.
const (
	wsCloseBase    = 4000
	wsReadLimit    = 4 << 20 // a Mutate of MaxFilters topics fits
	wsWriteTimeout = 10 * time.Second
)

// serveWebSocket carries all of one client's subscriptions on one socket, so a browser does not
// spend one of its six HTTP/1.1 connections per stream.
func (n *Node) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		// Any origin may connect, as with CORS: the node has no cookies or authentication.
		InsecureSkipVerify: true,
	})
	if err != nil {
		n.log.Debug("websocket accept failed", "peer", r.RemoteAddr, "error", err)
		return
	}
	n.sockets.Add(1)
	defer n.sockets.Done()
	c.SetReadLimit(wsReadLimit)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go n.pingWebSocket(ctx, c)

	recv := func() (*mlsv1.SubscribeRequest, error) {
		typ, b, err := c.Read(ctx)
		if err != nil {
			return nil, err
		}
		if typ != websocket.MessageBinary {
			return nil, connect.NewError(connect.CodeInvalidArgument, errors.New("text frame: frames are binary SubscribeRequest protobufs"))
		}
		req := new(mlsv1.SubscribeRequest)
		if err := proto.Unmarshal(b, req); err != nil {
			return nil, connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("frame is not a SubscribeRequest: %w", err))
		}
		return req, nil
	}
	send := func(res *mlsv1.SubscribeResponse) error {
		b, err := proto.Marshal(res)
		if err != nil {
			return connect.NewError(connect.CodeInternal, err)
		}
		wctx, cancel := context.WithTimeout(ctx, wsWriteTimeout)
		defer cancel()
		return c.Write(wctx, websocket.MessageBinary, b)
	}
	err = n.runSession(ctx, recv, send)
	if websocket.CloseStatus(err) != -1 || errors.Is(err, context.Canceled) {
		c.CloseNow() // the client closed or left
		return
	}
	if err == nil {
		c.Close(websocket.StatusNormalClosure, "")
		return
	}
	code := connect.CodeOf(err)
	reason := err.Error()
	if ce := new(connect.Error); errors.As(err, &ce) {
		reason = ce.Message()
	}
	if len(reason) > 120 { // a close reason must fit in a control frame
		reason = reason[:120]
	}
	c.Close(websocket.StatusCode(wsCloseBase+int(code)), reason)
}

// pingWebSocket keeps an idle socket open through proxies and notices a vanished client.
func (n *Node) pingWebSocket(ctx context.Context, c *websocket.Conn) {
	t := time.NewTicker(keepaliveInterval * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, wsWriteTimeout)
			err := c.Ping(pctx)
			cancel()
			if err != nil {
				c.CloseNow()
				return
			}
		}
	}
}
