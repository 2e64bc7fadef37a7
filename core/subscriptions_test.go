//go:build !js

package core_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/node/nodetest"
)

// peakSubscriptions samples how many subscriptions the node has open until the test ends;
// the returned func gives the most seen so far.
func peakSubscriptions(t *testing.T, n *nodetest.Node) func() int {
	var peak atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			if c := int64(n.OpenSubscriptions()); c > peak.Load() {
				peak.Store(c)
			}
			time.Sleep(time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return func() int { return int(peak.Load()) }
}

// waitSubscriptions waits until the node has want subscriptions open.
func waitSubscriptions(t *testing.T, n *nodetest.Node, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for n.OpenSubscriptions() != want {
		if time.Now().After(deadline) {
			t.Fatalf("the node has %d subscriptions open, want %d", n.OpenSubscriptions(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// nextTexts collects the next n texts of s, failing on a text seen twice.
func nextTexts(t *testing.T, ctx context.Context, s *core.Stream[*core.Message], n int) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for len(got) < n {
		text := nextText(t, ctx, s)
		if got[text] {
			t.Fatalf("%q streamed twice", text)
		}
		got[text] = true
	}
	return got
}

func send(t *testing.T, ctx context.Context, g *core.Group, text string) {
	t.Helper()
	if _, err := g.SendText(ctx, text); err != nil {
		t.Fatal(err)
	}
}

// One client's four streams (all messages, two groups, conversations) share one group-message
// and one welcome subscription at the node, which follows a group joined meanwhile, outlives
// the streams that close first, and closes with the last.
func TestStreamsShareOneSubscriptionPerKind(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	var groups [2]*core.Group
	var bobs [2]*core.Group
	for i := range groups {
		g, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
		if err != nil {
			t.Fatal(err)
		}
		groups[i], bobs[i] = g, joinGroup(t, bob, g.ID())
	}
	peak := peakSubscriptions(t, net.node) // only bob subscribes

	all, err := bob.Conversations().StreamAllMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	var streams [2]*core.Stream[*core.Message]
	for i, g := range bobs {
		if streams[i], err = g.Stream(ctx); err != nil {
			t.Fatal(err)
		}
		defer streams[i].Close()
	}
	convs, err := bob.Conversations().StreamConversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer convs.Close()
	waitSubscriptions(t, net.node, 2)

	send(t, ctx, groups[0], "g0 one")
	send(t, ctx, groups[1], "g1 one")
	for i, s := range streams {
		if text := nextText(t, ctx, s); text != fmt.Sprintf("g%d one", i) {
			t.Fatalf("group %d streamed %q", i, text)
		}
	}
	// A group joined while streaming is followed on the same subscription.
	g2, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := convs.Next(ctx); err != nil || string(g.ID()) != string(g2.ID()) {
		t.Fatalf("the new group was not streamed: %v", err)
	}
	send(t, ctx, g2, "g2 one")
	got := nextTexts(t, ctx, all, 3)
	if !got["g0 one"] || !got["g1 one"] || !got["g2 one"] {
		t.Fatalf("all messages streamed %v", got)
	}
	if p := peak(); p > 2 {
		t.Fatalf("the node saw %d subscriptions open at once, want at most 2", p)
	}

	// The group streams outlive the others; the welcome subscription ends with its last stream.
	convs.Close()
	all.Close()
	waitSubscriptions(t, net.node, 1)
	send(t, ctx, groups[0], "g0 two")
	send(t, ctx, groups[1], "g1 two")
	for i, s := range streams {
		if text := nextText(t, ctx, s); text != fmt.Sprintf("g%d two", i) {
			t.Fatalf("group %d streamed %q after the other streams closed", i, text)
		}
	}
	streams[0].Close()
	send(t, ctx, groups[1], "g1 three")
	if text := nextText(t, ctx, streams[1]); text != "g1 three" {
		t.Fatalf("group 1 streamed %q after group 0's stream closed", text)
	}
	// A group taken off the subscription comes back on it with its next stream.
	again, err := bobs[0].Stream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	send(t, ctx, groups[0], "g0 three")
	if text := nextText(t, ctx, again); text != "g0 three" {
		t.Fatalf("group 0 streamed %q on its stream opened again", text)
	}
	again.Close()
	streams[1].Close()
	waitSubscriptions(t, net.node, 0)

	// Each message was processed and stored once.
	for i, g := range bobs {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(texts(t, g)); n != 3 {
			t.Errorf("bob stores %d messages of group %d, want 3", n, i)
		}
	}
}

// Streams sharing the subscriptions resume after a node restart without gaps or duplicates,
// both on the Subscribe RPC (topics change in place) and on server streams (every change of
// topics reopens the stream with per-topic cursors).
func TestSharedSubscriptionsResumeAfterRestart(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  connectapi.Config
	}{{"subscribe", connectapi.Config{}}, {"server-streams", connectapi.Config{ServerStreams: true}}} {
		t.Run(tc.name, func(t *testing.T) {
			net := newNetwork(t)
			net.api = connectapi.New(net.node.URL(), tc.cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			alice := net.create(t, newWallet(t), memstore.New())
			bob := net.create(t, newWallet(t), memstore.New())
			ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
			if err != nil {
				t.Fatal(err)
			}
			gb := joinGroup(t, bob, ga.ID())
			all, err := bob.Conversations().StreamAllMessages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer all.Close()
			one, err := gb.Stream(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer one.Close()
			waitSubscriptions(t, net.node, 2)

			send(t, ctx, ga, "before")
			net.node.Stop()
			ec, _ := textContent("while down")
			if _, err := ga.Send(ctx, ec, core.SendOptions{Optimistic: true}); err != nil {
				t.Fatal(err)
			}
			net.node.Start()
			if err := ga.Sync(ctx); err != nil { // publishes what was sent while down
				t.Fatal(err)
			}
			send(t, ctx, ga, "after")
			// A group joined after the restart joins the resumed subscription.
			g2, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
			if err != nil {
				t.Fatal(err)
			}
			send(t, ctx, g2, "new group")
			send(t, ctx, ga, "last")

			want := []string{"before", "while down", "after", "new group", "last"}
			got := nextTexts(t, ctx, all, len(want))
			for _, w := range want {
				if !got[w] {
					t.Fatalf("all messages streamed %v, missing %q", got, w)
				}
			}
			for _, w := range []string{"before", "while down", "after", "last"} {
				if text := nextText(t, ctx, one); text != w {
					t.Fatalf("the group stream gave %q, want %q", text, w)
				}
			}
			waitSubscriptions(t, net.node, 2)
		})
	}
}

// Closing the client ends its streams and both subscriptions; no stream opens after.
func TestClientCloseEndsStreams(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bob := net.create(t, newWallet(t), memstore.New())
	all, err := bob.Conversations().StreamAllMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	waitSubscriptions(t, net.node, 1) // bob holds no group yet: only welcomes are followed
	if err := bob.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := all.Next(ctx); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("a stream of a closed client gave %v", err)
	}
	waitSubscriptions(t, net.node, 0)
	if _, err := bob.Conversations().StreamConversations(ctx); !errors.Is(err, core.ErrClosed) {
		t.Fatalf("a closed client opened a stream: %v", err)
	}
}
