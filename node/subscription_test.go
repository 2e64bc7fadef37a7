package node

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/coder/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// bodyOf recovers the body privateMessage put at the end of a message.
func bodyOf(t testing.TB, data []byte) string {
	t.Helper()
	d := mls.NewDecoder(data)
	d.U16()
	d.U16()
	d.Opaque()
	d.U64()
	d.U8()
	d.Opaque()
	d.Opaque()
	body := d.Opaque()
	if err := d.Err(); err != nil {
		t.Fatalf("not a test message: %v", err)
	}
	return string(body)
}

// TestSubscribeGroupMessagesNoGapNoDuplicate has writers send while a subscription replays
// history and goes live; every message must arrive exactly once, in id order, over gRPC and
// gRPC-web.
func TestSubscribeGroupMessagesNoGapNoDuplicate(t *testing.T) {
	tn := startNode(t, Config{})
	for _, p := range protocols[:2] {
		t.Run(p.name, func(t *testing.T) {
			c := tn.clientsFor(p.h2c, p.option)
			groupID := randomBytes(t, 16)
			const writers, perWriter, before = 4, 60, 150
			var history []string
			for i := range before {
				history = append(history, fmt.Sprint("h", i))
			}
			sendGroup(t, c, groupID, history...)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var wg sync.WaitGroup
			start := make(chan struct{})
			for w := range writers {
				wg.Go(func() {
					<-start
					for i := range perWriter {
						sendGroup(t, c, groupID, fmt.Sprintf("w%d-%d", w, i))
					}
				})
			}
			stream, err := c.mls.SubscribeGroupMessages(ctx, connect.NewRequest(&mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: groupID}},
			}))
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			close(start)
			seen := map[string]bool{}
			var last uint64
			for len(seen) < before+writers*perWriter {
				if !stream.Receive() {
					t.Fatalf("stream ended after %d messages: %v", len(seen), stream.Err())
				}
				m := stream.Msg().GetV1()
				if m.GetId() <= last {
					t.Fatalf("id %d after %d", m.GetId(), last)
				}
				last = m.GetId()
				body := bodyOf(t, m.GetData())
				if seen[body] {
					t.Fatalf("duplicate %s", body)
				}
				seen[body] = true
			}
			wg.Wait()
			if got := stream.ResponseHeader().Get("subscribed"); got != "true" {
				t.Errorf("subscribed header %q", got)
			}
		})
	}
}

func TestSubscribeFromCursor(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	g1, g2 := randomBytes(t, 16), randomBytes(t, 16)
	sendGroup(t, c, g1, "a", "b", "c")
	res, err := c.mls.QueryGroupMessages(context.Background(), connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: g1}))
	if err != nil {
		t.Fatal(err)
	}
	cursor := res.Msg.GetMessages()[1].GetV1().GetId() // "b"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := c.mls.SubscribeGroupMessages(ctx, connect.NewRequest(&mlsv1.SubscribeGroupMessagesRequest{
		Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: g1, IdCursor: cursor}, {GroupId: g2}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	tn.waitSubscribed(t, 2)
	sendGroup(t, c, g2, "d")
	var got []string
	for len(got) < 2 && stream.Receive() {
		got = append(got, bodyOf(t, stream.Msg().GetV1().GetData()))
	}
	if fmt.Sprint(got) != "[c d]" {
		t.Fatalf("got %v, want [c d]", got)
	}
}

func TestSubscribeWelcomeMessages(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	inst := randomBytes(t, 32)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := c.mls.SubscribeWelcomeMessages(ctx, connect.NewRequest(&mlsv1.SubscribeWelcomeMessagesRequest{
		Filters: []*mlsv1.SubscribeWelcomeMessagesRequest_Filter{{InstallationKey: inst}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	tn.waitSubscribed(t, 1)
	_, err = c.mls.SendWelcomeMessages(ctx, connect.NewRequest(&mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{
		{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{InstallationKey: inst, Data: []byte("w"), HpkePublicKey: []byte("k")}}},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	if !stream.Receive() {
		t.Fatal(stream.Err())
	}
	if string(stream.Msg().GetV1().GetData()) != "w" {
		t.Fatalf("got %v", stream.Msg())
	}
}

// TestStreamHeadersFlushedAtOnce subscribes with a raw gRPC-web request, as the browser SDK
// does, and requires the response headers within 100 ms although no message exists.
func TestStreamHeadersFlushedAtOnce(t *testing.T) {
	tn := startNode(t, Config{})
	req, _ := proto.Marshal(&mlsv1.SubscribeGroupMessagesRequest{
		Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: randomBytes(t, 16)}},
	})
	body := binary.BigEndian.AppendUint32([]byte{0}, uint32(len(req)))
	body = append(body, req...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hr, _ := http.NewRequestWithContext(ctx, http.MethodPost, tn.url+"/xmtp.mls.api.v1.MlsApi/SubscribeGroupMessages", bytes.NewReader(body))
	hr.Header.Set("Content-Type", "application/grpc-web+proto")
	hr.Header.Set("Accept", "application/grpc-web+proto")
	hr.Header.Set("X-Grpc-Web", "1")
	hr.Header.Set("Origin", "http://example.test")
	start := time.Now()
	res, err := httpClient(false).Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("headers after %v, want under 100 ms", took)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/grpc-web+proto" {
		t.Errorf("content type %q", ct)
	}
	if res.Header.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("no CORS header on the stream")
	}
	// A message sent now arrives as one gRPC-web data frame.
	sendGroup(t, tn.grpcClients(), randomBytes(t, 16), "other group") // not ours: must not arrive
	r := bufio.NewReader(res.Body)
	frame := make(chan error, 1)
	go func() {
		_, err := r.Peek(1)
		frame <- err
	}()
	select {
	case err := <-frame:
		t.Fatalf("unexpected frame (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	cancel()
	if err := <-frame; err == nil || err == io.EOF {
		t.Logf("stream closed: %v", err)
	}
}

func TestSlowSubscriberCutOff(t *testing.T) {
	tn := startNode(t, Config{SubscriberBuffer: 4})
	c := tn.grpcClients()
	groupID := randomBytes(t, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub := tn.newSubscription() // an in-process subscriber that never reads
	defer sub.close()
	if err := sub.add(ctx, groupTopic(groupID), 0, func([]event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for i := range 10 {
		bodies = append(bodies, fmt.Sprint(i))
	}
	sendGroup(t, c, groupID, bodies...)
	var err error
	for err == nil {
		_, err = sub.next(ctx)
	}
	wantCode(t, err, connect.CodeAborted)
	if ce := new(connect.Error); !errorsAs(err, &ce) || ce.Message() != "caller did not read all messages fast enough" {
		t.Errorf("got %v", err)
	}
	if n := tn.broker.subscribers(); n != 0 {
		t.Errorf("%d subscriptions left registered", n)
	}
}

// wsSession is a WebSocket client speaking the node's framing.
type wsSession struct {
	t *testing.T
	c *websocket.Conn
}

func dialWS(t *testing.T, tn *testNode) *wsSession {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+tn.url[len("http"):]+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(32 << 20)
	t.Cleanup(func() { c.CloseNow() })
	s := &wsSession{t: t, c: c}
	if s.read().GetV1().GetStarted() == nil {
		t.Fatal("first frame is not Started")
	}
	return s
}

func (s *wsSession) write(req *mlsv1.SubscribeRequest) {
	b, _ := proto.Marshal(req)
	if err := s.c.Write(context.Background(), websocket.MessageBinary, b); err != nil {
		s.t.Fatal(err)
	}
}

func (s *wsSession) read() *mlsv1.SubscribeResponse {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	typ, b, err := s.c.Read(ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	if typ != websocket.MessageBinary {
		s.t.Fatal("text frame")
	}
	res := new(mlsv1.SubscribeResponse)
	if err := proto.Unmarshal(b, res); err != nil {
		s.t.Fatal(err)
	}
	return res
}

func mutate(id uint64, historyOnly bool, removes [][]byte, adds ...*mlsv1.SubscribeRequest_V1_Mutate_Subscription) *mlsv1.SubscribeRequest {
	return &mlsv1.SubscribeRequest{Version: &mlsv1.SubscribeRequest_V1_{V1: &mlsv1.SubscribeRequest_V1{
		Request: &mlsv1.SubscribeRequest_V1_Mutate_{Mutate: &mlsv1.SubscribeRequest_V1_Mutate{
			Adds: adds, Removes: removes, HistoryOnly: historyOnly, MutateId: id,
		}},
	}}}
}

func add(t topic, cursor uint64) *mlsv1.SubscribeRequest_V1_Mutate_Subscription {
	return &mlsv1.SubscribeRequest_V1_Mutate_Subscription{Topic: []byte(t), IdCursor: cursor}
}

// readUntilCatchup collects the bodies of group messages until CatchupComplete.
func (s *wsSession) readUntilCatchup(mutateID uint64) (bodies []string, live [][]byte) {
	for {
		v1 := s.read().GetV1()
		switch {
		case v1.GetMessages() != nil:
			if v1.GetMessages().GetMutateId() != mutateID {
				s.t.Errorf("replay tagged with mutate %d, want %d", v1.GetMessages().GetMutateId(), mutateID)
			}
			for _, m := range v1.GetMessages().GetGroupMessages() {
				bodies = append(bodies, bodyOf(s.t, m.GetV1().GetData()))
			}
			for _, m := range v1.GetMessages().GetWelcomeMessages() {
				bodies = append(bodies, string(m.GetV1().GetData()))
			}
		case v1.GetTopicsLive() != nil:
			live = v1.GetTopicsLive().GetTopics()
		case v1.GetCatchupComplete() != nil:
			if v1.GetCatchupComplete().GetMutateId() != mutateID {
				s.t.Fatalf("catch-up of mutate %d, want %d", v1.GetCatchupComplete().GetMutateId(), mutateID)
			}
			return bodies, live
		}
	}
}

func TestWebSocketSubscriptions(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	g1, g2 := randomBytes(t, 16), randomBytes(t, 16)
	inst := randomBytes(t, 32)
	sendGroup(t, c, g1, "a", "b")
	ws := dialWS(t, tn)

	ws.write(mutate(7, false, nil, add(groupTopic(g1), 0), add(welcomeTopic(inst), 0)))
	bodies, live := ws.readUntilCatchup(7)
	if fmt.Sprint(bodies) != "[a b]" || len(live) != 2 {
		t.Fatalf("replay %v, live topics %d", bodies, len(live))
	}

	// One socket carries both kinds live.
	sendGroup(t, c, g1, "c")
	_, err := c.mls.SendWelcomeMessages(context.Background(), connect.NewRequest(&mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{
		{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{InstallationKey: inst, Data: []byte("welcome"), HpkePublicKey: []byte("k")}}},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for len(got) < 2 {
		m := ws.read().GetV1().GetMessages()
		if m.GetMutateId() != 0 {
			t.Errorf("live messages tagged with mutate %d", m.GetMutateId())
		}
		for _, g := range m.GetGroupMessages() {
			got = append(got, bodyOf(t, g.GetV1().GetData()))
		}
		for _, w := range m.GetWelcomeMessages() {
			got = append(got, string(w.GetV1().GetData()))
		}
	}
	if fmt.Sprint(got) != "[c welcome]" {
		t.Fatalf("live %v", got)
	}

	// Remove g1, add g2 from a cursor, history-only for g1 again.
	ws.write(mutate(8, false, [][]byte{[]byte(groupTopic(g1))}, add(groupTopic(g2), 0)))
	if bodies, _ := ws.readUntilCatchup(8); len(bodies) != 0 {
		t.Fatalf("g2 replay %v", bodies)
	}
	ws.write(mutate(9, true, nil, add(groupTopic(g1), 0)))
	if bodies, live := ws.readUntilCatchup(9); fmt.Sprint(bodies) != "[a b c]" || len(live) != 0 {
		t.Fatalf("history-only replay %v, live %d", bodies, len(live))
	}
	sendGroup(t, c, g1, "not delivered")
	sendGroup(t, c, g2, "d")
	m := ws.read().GetV1().GetMessages().GetGroupMessages()
	if len(m) != 1 || bodyOf(t, m[0].GetV1().GetData()) != "d" {
		t.Fatalf("after remove and history-only, got %v", m)
	}

	// Ping is answered with the same nonce.
	ws.write(&mlsv1.SubscribeRequest{Version: &mlsv1.SubscribeRequest_V1_{V1: &mlsv1.SubscribeRequest_V1{
		Request: &mlsv1.SubscribeRequest_V1_Ping{Ping: &mlsv1.Ping{Nonce: 42}},
	}}})
	if p := ws.read().GetV1().GetPong(); p.GetNonce() != 42 {
		t.Fatalf("pong %v", p)
	}

	// A bad topic closes the socket with 4000 + InvalidArgument.
	ws.write(mutate(10, false, nil, &mlsv1.SubscribeRequest_V1_Mutate_Subscription{Topic: []byte{9, 1}}))
	_, _, err = ws.c.Read(context.Background())
	if code := websocket.CloseStatus(err); code != websocket.StatusCode(wsCloseBase+int(connect.CodeInvalidArgument)) {
		t.Fatalf("close status %d (%v)", code, err)
	}
}

// TestBidiSubscribe runs the same session over the gRPC bidirectional Subscribe RPC.
func TestBidiSubscribe(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	g := randomBytes(t, 16)
	sendGroup(t, c, g, "a")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream := c.mls.Subscribe(ctx)
	if err := stream.Send(mutate(1, false, nil, add(groupTopic(g), 0))); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for len(kinds) < 4 {
		res, err := stream.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch v1 := res.GetV1(); {
		case v1.GetStarted() != nil:
			kinds = append(kinds, "started")
		case v1.GetMessages() != nil:
			kinds = append(kinds, "messages")
		case v1.GetTopicsLive() != nil:
			kinds = append(kinds, "live")
		case v1.GetCatchupComplete() != nil:
			kinds = append(kinds, "caught-up")
		}
	}
	if fmt.Sprint(kinds) != "[started messages live caught-up]" {
		t.Fatalf("frames %v", kinds)
	}
	stream.CloseRequest()
}

// TestCutOffSubscriberStaysOff adds topics to a subscription after it was cut off, as a
// session mid-Mutate may, and publishes again: it must stay off, and the node must not panic.
func TestCutOffSubscriberStaysOff(t *testing.T) {
	tn := startNode(t, Config{SubscriberBuffer: 1})
	ctx := context.Background()
	sub := tn.newSubscription()
	defer sub.close()
	g1, g2 := []byte("g1"), []byte("g2")
	if err := sub.register(groupTopic(g1), 0); err != nil {
		t.Fatal(err)
	}
	store := func(g []byte, n int) {
		for i := range n {
			if err := tn.storeGroupMessages(ctx, []GroupMessage{{GroupID: g, Data: []byte{byte(i)}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	store(g1, 3)
	if err := sub.register(groupTopic(g2), 0); err != nil {
		t.Fatal(err)
	}
	store(g2, 3)
	if tn.broker.subscribers() != 0 {
		t.Fatal("a cut-off subscriber was registered again")
	}
	_, err := sub.next(ctx)
	wantCode(t, err, connect.CodeAborted)
}

// TestWebSocketResume reconnects with the last id received as cursor and gets only what came
// after it, then live messages.
func TestWebSocketResume(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	g := randomBytes(t, 16)
	sendGroup(t, c, g, "a", "b")
	first := dialWS(t, tn)
	first.write(mutate(1, false, nil, add(groupTopic(g), 0)))
	var lastID uint64
	for {
		v1 := first.read().GetV1()
		for _, m := range v1.GetMessages().GetGroupMessages() {
			lastID = m.GetV1().GetId()
		}
		if v1.GetCatchupComplete() != nil {
			break
		}
	}
	first.c.Close(websocket.StatusNormalClosure, "")

	sendGroup(t, c, g, "c")
	again := dialWS(t, tn)
	again.write(mutate(2, false, nil, add(groupTopic(g), lastID)))
	if bodies, _ := again.readUntilCatchup(2); fmt.Sprint(bodies) != "[c]" {
		t.Fatalf("resumed replay %v, want [c]", bodies)
	}
	sendGroup(t, c, g, "d")
	m := again.read().GetV1().GetMessages().GetGroupMessages()
	if len(m) != 1 || bodyOf(t, m[0].GetV1().GetData()) != "d" {
		t.Fatalf("live after resume: %v", m)
	}
}
