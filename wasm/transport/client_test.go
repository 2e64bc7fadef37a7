//go:build js && wasm

package transport

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/mls"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// These tests run in headless Chromium against a real node process started by
// js/test/gotest-transport.test.mjs, which passes its URL as XMTP_NODE_URL and a loopback
// URL where nothing listens as XMTP_CLOSED_URL.

func nodeURL(t *testing.T) string {
	u := os.Getenv("XMTP_NODE_URL")
	if u == "" {
		t.Skip("XMTP_NODE_URL not set: run through js/test/gotest-transport.test.mjs")
	}
	return u
}

var streamTransports = []struct {
	name    string
	streams Streams
}{{"grpcweb", GRPCWebStreams}, {"websocket", WebSocketStreams}}

func newID() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}

// privateMessage is an MLSMessage whose PrivateMessage header names groupID; the node reads
// only that header.
func privateMessage(groupID []byte, body string) []byte {
	e := mls.NewEncoder(64)
	e.U16(uint16(mls.ProtocolVersionMLS10))
	e.U16(uint16(mls.WireFormatPrivateMessage))
	e.Opaque(groupID)
	e.U64(1)
	e.U8(uint8(mls.ContentTypeApplication))
	e.Opaque(nil)
	e.Opaque([]byte("sender"))
	e.Opaque([]byte(body))
	return e.Bytes()
}

func send(t *testing.T, c api.API, groupID []byte, bodies ...string) {
	t.Helper()
	req := &mlsv1.SendGroupMessagesRequest{}
	for _, b := range bodies {
		req.Messages = append(req.Messages, &mlsv1.GroupMessageInput{Version: &mlsv1.GroupMessageInput_V1_{
			V1: &mlsv1.GroupMessageInput_V1{Data: privateMessage(groupID, b)}}})
	}
	if err := c.SendGroupMessages(context.Background(), req); err != nil {
		t.Fatalf("SendGroupMessages: %v", err)
	}
}

func wantIs(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
}

func TestUnary(t *testing.T) {
	c := New(nodeURL(t)+"/", Config{AppVersion: "goxmtp-test/1"})
	g := newID()
	send(t, c, g, "one", "two", "three")
	res, err := c.QueryGroupMessages(context.Background(), &mlsv1.QueryGroupMessagesRequest{GroupId: g,
		PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Messages) != 2 || string(res.Messages[0].GetV1().GetGroupId()) != string(g) ||
		res.PagingInfo.GetIdCursor() != res.Messages[1].GetV1().GetId() {
		t.Fatalf("page %v", res)
	}
	ids, err := c.GetInboxIds(context.Background(), &identityv1.GetInboxIdsRequest{Requests: []*identityv1.GetInboxIdsRequest_Request{{Identifier: "0x0000000000000000000000000000000000000001"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids.Responses) != 1 || ids.Responses[0].InboxId != nil {
		t.Fatalf("unknown address resolved: %v", ids)
	}
	// An empty response message is a zero-length frame, not a missing one.
	kp, err := c.FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{})
	if err != nil || len(kp.KeyPackages) != 0 {
		t.Fatalf("FetchKeyPackages of nothing: %v %v", kp, err)
	}
}

func TestErrors(t *testing.T) {
	c := New(nodeURL(t), Config{})
	err := c.SendGroupMessages(context.Background(), &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{
		{Version: &mlsv1.GroupMessageInput_V1_{V1: &mlsv1.GroupMessageInput_V1{Data: []byte("not mls")}}}}})
	wantIs(t, err, api.ErrInvalidArgument) // a trailers-only response
	var coded interface{ Code() string }
	if !errors.As(err, &coded) || coded.Code() != "api.invalid_argument" {
		t.Errorf("code of %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrCanceled)

	off := New(os.Getenv("XMTP_CLOSED_URL"), Config{})
	_, err = off.FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrUnavailable)

	_, err = New(nodeURL(t)+"/no-such-prefix", Config{}).FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrUnimplemented) // HTTP 404 with no gRPC status
}

func TestStreams(t *testing.T) {
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			c := New(nodeURL(t), Config{Streams: tr.streams})
			g := newID()
			send(t, c, g, "history 1", "history 2")
			st, err := c.SubscribeGroupMessages(context.Background(), &mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: g}}})
			if err != nil {
				t.Fatal(err)
			}
			var last uint64
			recv := func() {
				t.Helper()
				m, err := st.Recv()
				if err != nil {
					t.Fatal(err)
				}
				if id := m.GetV1().GetId(); id <= last || string(m.GetV1().GetGroupId()) != string(g) {
					t.Fatalf("message %d of group %x after %d", id, m.GetV1().GetGroupId(), last)
				} else {
					last = id
				}
			}
			recv()
			recv()
			send(t, c, g, "live")
			recv()

			go func() {
				time.Sleep(50 * time.Millisecond)
				st.Close()
			}()
			_, err = st.Recv()
			wantIs(t, err, api.ErrCanceled)
		})
	}
}

func TestStreamCancellationAndTimeout(t *testing.T) {
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			c := New(nodeURL(t), Config{Streams: tr.streams})
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			ws, err := c.SubscribeWelcomeMessages(ctx, &mlsv1.SubscribeWelcomeMessagesRequest{
				Filters: []*mlsv1.SubscribeWelcomeMessagesRequest_Filter{{InstallationKey: newID()}}})
			if err == nil {
				_, err = ws.Recv()
			}
			wantIs(t, err, api.ErrDeadlineExceeded)

			ctx, cancel = context.WithCancel(context.Background())
			gs, err := c.SubscribeGroupMessages(ctx, &mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: newID()}}})
			if err != nil {
				t.Fatal(err)
			}
			time.AfterFunc(50*time.Millisecond, cancel)
			_, err = gs.Recv()
			wantIs(t, err, api.ErrCanceled)
		})
	}
}

// TestSubscriptionMultiplexes runs core/api's Subscription over each transport: groups join
// one stream as they are added, and each message arrives once.
func TestSubscriptionMultiplexes(t *testing.T) {
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			c := New(nodeURL(t), Config{Streams: tr.streams})
			sub := api.GroupMessages(context.Background(), c, api.Options{})
			defer sub.Close()
			a, b := newID(), newID()
			send(t, c, a, "a1")
			sub.Add(api.Filter{Key: a})
			send(t, c, b, "b1", "b2")
			got := map[string]int{}
			recv := func(n int) {
				t.Helper()
				for range n {
					m, err := sub.Recv()
					if err != nil {
						t.Fatal(err)
					}
					got[string(m.GetV1().GetGroupId())]++
				}
			}
			recv(1)
			sub.Add(api.Filter{Key: b})
			recv(2)
			send(t, c, a, "a2")
			send(t, c, b, "b3")
			recv(2)
			if got[string(a)] != 2 || got[string(b)] != 3 {
				t.Fatalf("per group %v", got)
			}
		})
	}
}

func TestStreamErrors(t *testing.T) {
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			c := New(nodeURL(t), Config{Streams: tr.streams})
			st, err := c.SubscribeGroupMessages(context.Background(), &mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: nil}}})
			if err == nil {
				_, err = st.Recv()
			}
			wantIs(t, err, api.ErrInvalidArgument)

			off := New(os.Getenv("XMTP_CLOSED_URL"), Config{Streams: tr.streams})
			st, err = off.SubscribeGroupMessages(context.Background(), &mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: newID()}}})
			if err == nil {
				_, err = st.Recv()
			}
			wantIs(t, err, api.ErrUnavailable)
		})
	}
}

// TestSubscriptionSurvivesNodeRestart asks the driver to restart the node (by printing
// RESTART_NODE) under a live subscription of each transport, and checks that every message
// sent before and after arrives once, in order.
func TestSubscriptionSurvivesNodeRestart(t *testing.T) {
	if os.Getenv("XMTP_RESTARTABLE") == "" {
		t.Skip("XMTP_RESTARTABLE not set: the driver cannot restart the node")
	}
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			c := New(nodeURL(t), Config{Streams: tr.streams})
			dropped := make(chan error, 1)
			sub := api.GroupMessages(context.Background(), c, api.Options{
				Backoff: api.Backoff{Initial: 50 * time.Millisecond, Max: 500 * time.Millisecond},
				OnRetry: func(err error, _ time.Duration) {
					select {
					case dropped <- err:
					default:
					}
				},
			})
			defer sub.Close()
			g := newID()
			sub.Add(api.Filter{Key: g})
			var ids []uint64
			recv := func(n int) error {
				for range n {
					m, err := sub.Recv()
					if err != nil {
						return err
					}
					if id := m.GetV1().GetId(); len(ids) > 0 && id <= ids[len(ids)-1] {
						return fmt.Errorf("id %d after %v: duplicate or out of order", id, ids)
					}
					ids = append(ids, m.GetV1().GetId())
				}
				return nil
			}
			send(t, c, g, "1", "2")
			if err := recv(2); err != nil {
				t.Fatal(err)
			}

			// Receive in the background so the subscription notices the node leaving.
			done := make(chan error, 1)
			go func() { done <- recv(2) }()
			fmt.Println("RESTART_NODE")
			select {
			case err := <-dropped:
				t.Logf("stream dropped by the restart: %v", err)
			case <-time.After(20 * time.Second):
				t.Fatal("the restart went unnoticed")
			}
			waitForNode(t)
			send(t, c, g, "3", "4")
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if len(ids) != 4 {
				t.Fatalf("ids %v", ids)
			}
		})
	}
}

// waitForNode polls the node with a cheap call until it answers.
func waitForNode(t *testing.T) {
	t.Helper()
	c := New(nodeURL(t), Config{})
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{})
		cancel()
		if err == nil {
			return
		}
	}
	t.Fatal("the node did not come back")
}

// TestWebSocketKeepAlive checks that a quiet WebSocket subscription stays up through its
// pings, and that one whose node froze (SIGSTOP: the TCP connection stays open, nothing
// answers) fails with ErrUnavailable within two keep-alive intervals instead of hanging.
func TestWebSocketKeepAlive(t *testing.T) {
	if os.Getenv("XMTP_RESTARTABLE") == "" {
		t.Skip("XMTP_RESTARTABLE not set: the driver cannot pause the node")
	}
	const keepAlive = 200 * time.Millisecond
	c := New(nodeURL(t), Config{Streams: WebSocketStreams, KeepAlive: keepAlive})
	g := newID()
	st, err := c.SubscribeGroupMessages(context.Background(), &mlsv1.SubscribeGroupMessagesRequest{
		Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: g}}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got := make(chan error, 1)
	go func() {
		_, err := st.Recv()
		got <- err
	}()
	time.Sleep(5 * keepAlive)
	send(t, c, g, "after a quiet second")
	if err := <-got; err != nil {
		t.Fatalf("quiet stream: %v", err)
	}

	fmt.Println("PAUSE_NODE")
	defer fmt.Println("RESUME_NODE")
	start := time.Now()
	_, err = st.Recv()
	wantIs(t, err, api.ErrUnavailable)
	if took := time.Since(start); took > 10*keepAlive {
		t.Errorf("frozen node noticed after %v", took)
	}
}

func TestGRPCTimeout(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1m", 1500 * time.Microsecond: "2m", 2 * time.Second: "2000m",
		30 * time.Hour: "108000S", 100000 * time.Hour: "99999999S",
	} {
		if got := grpcTimeout(d); got != want {
			t.Errorf("grpcTimeout(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestWebSocketFallsBackToGRPCWeb streams through a gRPC-web-only proxy in front of the node
// (XMTP_GRPCWEB_ONLY_URL; WebSocket handshakes get a 404 there, as behind XMTP's envoy): the
// default WebSocket transport falls back to gRPC-web and remembers it.
func TestWebSocketFallsBackToGRPCWeb(t *testing.T) {
	u := os.Getenv("XMTP_GRPCWEB_ONLY_URL")
	if u == "" {
		t.Skip("XMTP_GRPCWEB_ONLY_URL not set")
	}
	c := New(u, Config{})
	g := newID()
	send(t, c, g, "through the proxy")
	for range 2 {
		st, err := c.SubscribeGroupMessages(context.Background(), &mlsv1.SubscribeGroupMessagesRequest{
			Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: g}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Recv(); err != nil {
			t.Fatal(err)
		}
		if _, ok := st.(*grpcWebStream[*mlsv1.GroupMessage]); !ok {
			t.Fatalf("stream is a %T, want a gRPC-web stream", st)
		}
		st.Close()
	}
	if !c.noWebSocket.Load() {
		t.Error("the missing WebSocket endpoint was not remembered")
	}
}
