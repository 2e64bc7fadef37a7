//go:build !js

package core_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
)

// TestNodeRestartLosesNothing kills the node in the middle of a conversation: messages sent
// while it is down stay Unpublished, are published once it is back, and every client ends
// up with every message exactly once, in its store and on its stream.
func TestNodeRestartLosesNothing(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	clients := []*core.Client{
		net.create(t, newWallet(t), memstore.New()),
		net.create(t, newWallet(t), memstore.New()),
		net.create(t, newWallet(t), memstore.New()),
	}
	g0, err := clients[0].Conversations().CreateGroup(ctx, []string{clients[1].InboxID(), clients[2].InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	groups := []*core.Group{g0, joinGroup(t, clients[1], g0.ID()), joinGroup(t, clients[2], g0.ID())}
	stream, err := clients[1].Conversations().StreamAllMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()

	const before, during = 4, 3
	for round := range before {
		for i, g := range groups {
			if _, err := g.SendText(ctx, fmt.Sprintf("up %d from %d", round, i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	net.node.Stop()
	for round := range during {
		for i, g := range groups {
			ec, _ := textContent(fmt.Sprintf("down %d from %d", round, i))
			if _, err := g.Send(ctx, ec, core.SendOptions{Optimistic: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, g := range groups {
		if err := g.Sync(ctx); err == nil {
			t.Fatal("sync succeeded with the node down")
		}
		pending, err := g.Messages(ctx, core.MessagesOptions{DeliveryStatus: core.DeliveryUnpublished})
		if err != nil || len(pending) != during {
			t.Fatalf("%d unpublished messages (%v), want %d", len(pending), err, during)
		}
	}
	net.node.Start()
	for range 2 {
		for _, g := range groups {
			if err := g.Sync(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}

	total := len(groups) * (before + during)
	for i, g := range groups {
		ms, err := g.Messages(ctx, core.MessagesOptions{Kind: core.KindApplication})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, m := range ms {
			if m.DeliveryStatus != core.DeliveryPublished {
				t.Errorf("client %d: a message is %v", i, m.DeliveryStatus)
			}
			seen[string(m.Content.GetContent())]++
		}
		if len(ms) != total || len(seen) != total {
			t.Errorf("client %d holds %d messages, %d distinct, want %d", i, len(ms), len(seen), total)
		}
	}
	// Bob's stream, reconnected after the restart, delivered every message once.
	want := total
	streamed := map[string]int{}
	for len(streamed) < want {
		m, err := stream.Next(ctx)
		if err != nil {
			t.Fatalf("stream after %d messages: %v", len(streamed), err)
		}
		if m.Kind == core.KindApplication {
			streamed[string(m.Content.GetContent())]++
		}
	}
	for text, n := range streamed {
		if n != 1 {
			t.Errorf("%q streamed %d times", text, n)
		}
	}
}
