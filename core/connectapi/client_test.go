package connectapi

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// protocols are the ways a client reaches the node; over gRPC, subscriptions ride the
// multiplexed Subscribe RPC unless server streams are asked for.
var protocols = []struct {
	name string
	cfg  Config
}{
	{"grpc", Config{Protocol: GRPC}},
	{"grpc-serverstreams", Config{Protocol: GRPC, ServerStreams: true}},
	{"grpcweb", Config{Protocol: GRPCWeb}},
	{"connect", Config{Protocol: Connect}},
}

func withAppVersion(cfg Config, v string) Config {
	cfg.AppVersion = v
	return cfg
}

func newGroupID(t testing.TB) []byte {
	id := make([]byte, 16)
	rand.Read(id)
	return id
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

func send(t testing.TB, c api.API, groupID []byte, bodies ...string) {
	t.Helper()
	req := &mlsv1.SendGroupMessagesRequest{}
	for _, b := range bodies {
		req.Messages = append(req.Messages, &mlsv1.GroupMessageInput{Version: &mlsv1.GroupMessageInput_V1_{
			V1: &mlsv1.GroupMessageInput_V1{Data: privateMessage(groupID, b)}}})
	}
	if err := c.SendGroupMessages(t.Context(), req); err != nil {
		t.Fatalf("SendGroupMessages: %v", err)
	}
}

func wantIs(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
}

func TestUnaryCalls(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	for _, pr := range protocols {
		t.Run(pr.name, func(t *testing.T) {
			c := New(n.URL(), withAppVersion(pr.cfg, "goxmtp-test/1"))
			g := newGroupID(t)
			send(t, c, g, "one", "two", "three")
			res, err := c.QueryGroupMessages(t.Context(), &mlsv1.QueryGroupMessagesRequest{GroupId: g,
				PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: 2}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Messages) != 2 || res.PagingInfo.GetIdCursor() != res.Messages[1].GetV1().GetId() {
				t.Fatalf("page %v", res)
			}
			ids, err := c.GetInboxIds(t.Context(), &identityv1.GetInboxIdsRequest{Requests: []*identityv1.GetInboxIdsRequest_Request{{Identifier: "0x0000000000000000000000000000000000000001"}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids.Responses) != 1 || ids.Responses[0].InboxId != nil {
				t.Fatalf("unknown address resolved: %v", ids)
			}
		})
	}
}

func TestErrorClasses(t *testing.T) {
	n := nodetest.Start(t, node.Config{RateLimit: node.RateLimit{ReadsPerSecond: 0.5, ReadBurst: 1}})
	for _, pr := range protocols {
		t.Run(pr.name, func(t *testing.T) {
			c := New(n.URL(), pr.cfg)
			err := c.SendGroupMessages(t.Context(), &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{
				{Version: &mlsv1.GroupMessageInput_V1_{V1: &mlsv1.GroupMessageInput_V1{Data: []byte("not mls")}}}}})
			wantIs(t, err, api.ErrInvalidArgument)
			var coded interface{ Code() string }
			if !errors.As(err, &coded) || coded.Code() != "api.invalid_argument" {
				t.Errorf("code of %v", err)
			}

			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			_, err = c.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{})
			wantIs(t, err, api.ErrCanceled)

			off := New("http://127.0.0.1:1", pr.cfg)
			_, err = off.FetchKeyPackages(t.Context(), &mlsv1.FetchKeyPackagesRequest{})
			wantIs(t, err, api.ErrUnavailable)
		})
	}
	// Reads are limited to a burst of one per client IP: the second read is refused with a
	// hint of when to come back.
	c := New(n.URL(), Config{})
	var err error
	for range 3 {
		if _, err = c.QueryWelcomeMessages(t.Context(), &mlsv1.QueryWelcomeMessagesRequest{InstallationKey: newGroupID(t)}); err != nil {
			break
		}
	}
	wantIs(t, err, api.ErrResourceExhausted)
	if api.RetryAfter(err) <= 0 {
		t.Errorf("no retry hint in %v", err)
	}
}

func TestServerStreams(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	for _, pr := range protocols {
		t.Run(pr.name, func(t *testing.T) {
			c := New(n.URL(), pr.cfg)
			g := newGroupID(t)
			send(t, c, g, "history 1", "history 2")
			st, err := c.SubscribeGroupMessages(t.Context(), &mlsv1.SubscribeGroupMessagesRequest{
				Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: g}}})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var last uint64
			recv := func() {
				t.Helper()
				m, err := st.Recv()
				if err != nil {
					t.Fatal(err)
				}
				if id := m.GetV1().GetId(); id <= last {
					t.Fatalf("id %d after %d", id, last)
				} else {
					last = id
				}
			}
			recv()
			recv()
			send(t, c, g, "live")
			recv()

			// Close from another goroutine ends a pending Recv.
			go func() {
				time.Sleep(20 * time.Millisecond)
				st.Close()
			}()
			_, err = st.Recv()
			wantIs(t, err, api.ErrCanceled)

			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			ws, err := c.SubscribeWelcomeMessages(ctx, &mlsv1.SubscribeWelcomeMessagesRequest{
				Filters: []*mlsv1.SubscribeWelcomeMessagesRequest_Filter{{InstallationKey: g}}})
			if err == nil {
				_, err = ws.Recv()
			}
			wantIs(t, err, api.ErrDeadlineExceeded)
		})
	}
}

// TestSubscriptionSurvivesNodeRestart stops and restarts the node under a live subscription
// of two groups, sends before and after, and checks that every message arrives exactly once
// and in id order.
func TestSubscriptionSurvivesNodeRestart(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	for _, pr := range protocols {
		t.Run(pr.name, func(t *testing.T) {
			c := New(n.URL(), pr.cfg)
			a, b := newGroupID(t), newGroupID(t)
			var retries int
			sub := api.GroupMessages(t.Context(), c, api.Options{
				Backoff: api.Backoff{Initial: 20 * time.Millisecond, Max: 200 * time.Millisecond},
				OnRetry: func(error, time.Duration) { retries++ },
			})
			defer sub.Close()
			sub.Add(api.Filter{Key: a})
			send(t, c, a, "a1", "a2")
			got := make(map[string][]uint64)
			recv := func(k int) {
				t.Helper()
				for range k {
					m, err := sub.Recv()
					if err != nil {
						t.Fatal(err)
					}
					v := m.GetV1()
					k := string(v.GetGroupId())
					if ids := got[k]; len(ids) > 0 && v.GetId() <= ids[len(ids)-1] {
						t.Fatalf("id %d after %v: duplicate or out of order", v.GetId(), ids)
					}
					got[k] = append(got[k], v.GetId())
				}
			}
			recv(2)
			sub.Add(api.Filter{Key: b})
			send(t, c, b, "b1")
			recv(1)

			n.Stop()
			n.Start()
			send(t, c, a, "a3")
			send(t, c, b, "b2", "b3")
			recv(3)
			if len(got[string(a)]) != 3 || len(got[string(b)]) != 3 {
				t.Fatalf("delivered %v", got)
			}
			if retries == 0 {
				t.Error("the restart went unnoticed")
			}
			// A duplicate waiting behind the last message would fail recv's order check.
			send(t, c, a, "a4")
			recv(1)
		})
	}
}

// TestWelcomeSubscription follows two installations' welcomes through api.WelcomeMessages:
// both welcome versions (V1 and XIP-74 pointers) are attributed to their installation.
func TestWelcomeSubscription(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	c := New(n.URL(), Config{})
	a, b := newGroupID(t), newGroupID(t)
	err := c.SendWelcomeMessages(t.Context(), &mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{
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
	sub := api.WelcomeMessages(t.Context(), c, api.Options{})
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
