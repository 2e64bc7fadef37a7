// Package apitest is a conformance suite for implementations of api.API: the same calls,
// streams, error classes and subscriptions run against a real node through every transport
// (core/connectapi natively, wasm/transport in Chromium), so the transports cannot drift
// apart. It imports neither the node nor any HTTP stack, so it compiles for js/wasm too; the
// caller starts the node and says how to reach it.
package apitest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/mls"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Target is the node under test and the transport that reaches it.
type Target struct {
	// New returns a client of the node at baseURL through the transport under test.
	New func(baseURL string) api.API
	// URL is the node's base URL.
	URL string
	// ClosedURL is a loopback URL where nothing listens.
	ClosedURL string
	// Restart stops the node and starts it again on the same address; it may return before
	// the node answers. Nil skips the test of a subscription across a restart.
	Restart func()
}

// Run runs the suite against t's node, each part as a subtest.
func Run(t *testing.T, tg Target) {
	t.Run("Unary", func(t *testing.T) { unary(t, tg) })
	t.Run("Errors", func(t *testing.T) { errorClasses(t, tg) })
	t.Run("Stream", func(t *testing.T) { stream(t, tg) })
	t.Run("StreamEnds", func(t *testing.T) { streamEnds(t, tg) })
	t.Run("StreamErrors", func(t *testing.T) { streamErrors(t, tg) })
	t.Run("Subscription", func(t *testing.T) { subscription(t, tg) })
	t.Run("SubscriptionSurvivesRestart", func(t *testing.T) {
		if tg.Restart == nil {
			t.Skip("the node cannot be restarted")
		}
		subscriptionSurvivesRestart(t, tg)
	})
	t.Run("WelcomeSubscription", func(t *testing.T) { welcomeSubscription(t, tg) })
}

// NewID returns a random 16-byte group id or installation key, so tests sharing a node never
// see each other's messages.
func NewID() []byte {
	id := make([]byte, 16)
	rand.Read(id)
	return id
}

// Send sends one message per body to groupID through c.
func Send(t testing.TB, c api.API, groupID []byte, bodies ...string) {
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

// privateMessage is an MLSMessage with a PrivateMessage whose cleartext header names
// groupID; the node reads only that header, so the ciphertext is filler.
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

// SubscribeGroup opens a stream of groupID's messages through c, closed when t ends.
func SubscribeGroup(t testing.TB, c api.API, groupID []byte) api.Stream[*mlsv1.GroupMessage] {
	t.Helper()
	st, err := c.SubscribeGroupMessages(context.Background(), groupFilter(groupID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func wantIs(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
}

func groupFilter(id []byte) *mlsv1.SubscribeGroupMessagesRequest {
	return &mlsv1.SubscribeGroupMessagesRequest{Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: id}}}
}

// unary pages through a group, resolves an unknown address and fetches no key packages. The
// base URL has a trailing slash, which clients drop as libxmtp does.
func unary(t *testing.T, tg Target) {
	c := tg.New(tg.URL + "/")
	g := NewID()
	Send(t, c, g, "one", "two", "three")
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

// errorClasses checks that unary failures wrap the api sentinel of their class.
func errorClasses(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
	err := c.SendGroupMessages(context.Background(), &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{
		{Version: &mlsv1.GroupMessageInput_V1_{V1: &mlsv1.GroupMessageInput_V1{Data: []byte("not mls")}}}}})
	wantIs(t, err, api.ErrInvalidArgument) // over gRPC-web, a trailers-only response
	var coded interface{ Code() string }
	if !errors.As(err, &coded) || coded.Code() != "api.invalid_argument" {
		t.Errorf("code of %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrCanceled)

	_, err = tg.New(tg.ClosedURL).FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrUnavailable)

	_, err = tg.New(tg.URL+"/no-such-prefix").FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{})
	wantIs(t, err, api.ErrUnimplemented) // HTTP 404 with no gRPC status
}

// stream follows a group's history and live messages in id order; Close from another
// goroutine ends a pending Recv.
func stream(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
	g := NewID()
	Send(t, c, g, "history 1", "history 2")
	st := SubscribeGroup(t, c, g)
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
	Send(t, c, g, "live")
	recv()

	go func() {
		time.Sleep(50 * time.Millisecond)
		st.Close()
	}()
	_, err := st.Recv()
	wantIs(t, err, api.ErrCanceled)
}

// streamEnds checks that a stream ended by its context's deadline or cancellation says so.
func streamEnds(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	ws, err := c.SubscribeWelcomeMessages(ctx, &mlsv1.SubscribeWelcomeMessagesRequest{
		Filters: []*mlsv1.SubscribeWelcomeMessagesRequest_Filter{{InstallationKey: NewID()}}})
	if err == nil {
		defer ws.Close()
		_, err = ws.Recv()
	}
	wantIs(t, err, api.ErrDeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	gs, err := c.SubscribeGroupMessages(ctx, groupFilter(NewID()))
	if err != nil {
		t.Fatal(err)
	}
	defer gs.Close()
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = gs.Recv()
	wantIs(t, err, api.ErrCanceled)
}

// streamErrors checks that a refused or unreachable stream fails with its class, whether on
// opening or on the first Recv.
func streamErrors(t *testing.T, tg Target) {
	for _, tc := range []struct {
		url    string
		filter []byte
		want   error
	}{
		{tg.URL, nil, api.ErrInvalidArgument},
		{tg.ClosedURL, NewID(), api.ErrUnavailable},
	} {
		st, err := tg.New(tc.url).SubscribeGroupMessages(context.Background(), groupFilter(tc.filter))
		if err == nil {
			_, err = st.Recv()
			st.Close()
		}
		wantIs(t, err, tc.want)
	}
}

// subscription runs api.GroupMessages over the transport: groups join as they are added,
// with their history, and each message arrives once.
func subscription(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
	sub := api.GroupMessages(context.Background(), c, api.Options{})
	defer sub.Close()
	a, b := NewID(), NewID()
	Send(t, c, a, "a1")
	sub.Add(api.Filter{Key: a})
	Send(t, c, b, "b1", "b2")
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
	Send(t, c, a, "a2")
	Send(t, c, b, "b3")
	recv(2)
	if got[string(a)] != 2 || got[string(b)] != 3 {
		t.Fatalf("per group %v", got)
	}
}

// subscriptionSurvivesRestart restarts the node under a live subscription of two groups,
// sends before and after, and checks that every message arrives exactly once and in id order.
func subscriptionSurvivesRestart(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
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
	a, b := NewID(), NewID()
	got := map[string][]uint64{}
	// recv returns its failure rather than failing t: it also runs in the background.
	recv := func(n int) error {
		for range n {
			m, err := sub.Recv()
			if err != nil {
				return err
			}
			v := m.GetV1()
			k := string(v.GetGroupId())
			if ids := got[k]; len(ids) > 0 && v.GetId() <= ids[len(ids)-1] {
				return fmt.Errorf("id %d after %v: duplicate or out of order", v.GetId(), ids)
			}
			got[k] = append(got[k], v.GetId())
		}
		return nil
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	sub.Add(api.Filter{Key: a})
	Send(t, c, a, "a1", "a2")
	must(recv(2))
	sub.Add(api.Filter{Key: b})
	Send(t, c, b, "b1")
	must(recv(1))

	// Receive in the background so the subscription notices the node leaving.
	done := make(chan error, 1)
	go func() { done <- recv(3) }()
	tg.Restart()
	select {
	case err := <-dropped:
		t.Logf("stream dropped by the restart: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("the restart went unnoticed")
	}
	waitForNode(t, c)
	Send(t, c, a, "a3")
	Send(t, c, b, "b2", "b3")
	must(<-done)
	if len(got[string(a)]) != 3 || len(got[string(b)]) != 3 {
		t.Fatalf("delivered %v", got)
	}
	// A duplicate waiting behind the last message would fail recv's order check.
	Send(t, c, a, "a4")
	must(recv(1))
}

// waitForNode polls the node with a cheap call until it answers.
func waitForNode(t *testing.T, c api.API) {
	t.Helper()
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

// welcomeSubscription follows two installations' welcomes through api.WelcomeMessages: both
// welcome versions (V1 and XIP-74 pointers) are attributed to their installation.
func welcomeSubscription(t *testing.T, tg Target) {
	c := tg.New(tg.URL)
	a, b := NewID(), NewID()
	err := c.SendWelcomeMessages(context.Background(), &mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{
		{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
			InstallationKey: a, Data: []byte("sealed welcome"), HpkePublicKey: []byte("init key"),
			WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_CURVE25519}}},
		{Version: &mlsv1.WelcomeMessageInput_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessageInput_WelcomePointer{
			InstallationKey: b, WelcomePointer: []byte("sealed pointer"), HpkePublicKey: []byte("x-wing key"),
			WrapperAlgorithm: mlscontents.WelcomePointerWrapperAlgorithm_WELCOME_POINTER_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sub := api.WelcomeMessages(context.Background(), c, api.Options{})
	defer sub.Close()
	sub.Add(api.Filter{Key: a}, api.Filter{Key: b})
	got := map[string]bool{}
	for range 2 {
		m, err := sub.Recv()
		if err != nil {
			t.Fatal(err)
		}
		key, id := api.WelcomeMessageTopic(m)
		if id == 0 {
			t.Fatalf("welcome without id: %v", m)
		}
		got[string(key)] = m.GetWelcomePointer() != nil
	}
	if ptr, ok := got[string(a)]; !ok || ptr {
		t.Errorf("V1 welcome of a: %v", got)
	}
	if ptr, ok := got[string(b)]; !ok || !ptr {
		t.Errorf("pointer welcome of b: %v", got)
	}
}
