//go:build !js

package core_test

import (
	"context"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestStreamConversationsAndAllMessages(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())

	convs, all := openFeeds(t, ctx, bob)

	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := convs.Next(ctx)
	if err != nil || string(g.ID()) != string(ga.ID()) {
		t.Fatalf("streamed conversation: %v", err)
	}
	for _, text := range []string{"one", "two"} {
		if _, err := ga.SendText(ctx, text); err != nil {
			t.Fatal(err)
		}
	}
	if got := []string{nextText(t, ctx, all), nextText(t, ctx, all)}; got[0] != "one" || got[1] != "two" {
		t.Fatalf("streamed %q", got)
	}
	// What the stream delivered is stored, once: a sync finds nothing new.
	if err := g.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(texts(t, g)); n != 2 {
		t.Fatalf("bob stores %d messages", n)
	}
	if err := all.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := all.Next(ctx); err == nil {
		t.Fatal("a closed stream delivered")
	}
}

func TestGroupStreamShowsEveryStoredMessage(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	s, err := gb.Stream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := ga.SendText(ctx, "from alice"); err != nil {
		t.Fatal(err)
	}
	// Bob's own Sync may process alice's message before the stream does; the stream still
	// shows it, once, and shows bob's own message too.
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := gb.SendText(ctx, "from bob"); err != nil {
		t.Fatal(err)
	}
	if got := []string{nextText(t, ctx, s), nextText(t, ctx, s)}; got[0] != "from alice" || got[1] != "from bob" {
		t.Fatalf("streamed %q", got)
	}
}

// The creator of a group follows it on its running streams like a joiner does: it sees the
// conversation and the members' messages live, without restarting the stream.
func TestStreamsFollowConversationsTheClientCreates(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())

	convs, all := openFeeds(t, ctx, alice)

	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := convs.Next(ctx); err != nil || string(g.ID()) != string(ga.ID()) {
		t.Fatalf("the created group was not streamed: %v", err)
	}
	if err := bob.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	gb, err := bob.Conversations().GetConversationByID(ctx, ga.ID())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gb.SendText(ctx, "hello creator"); err != nil {
		t.Fatal(err)
	}
	if text := nextText(t, ctx, all); text != "hello creator" {
		t.Fatalf("the creator's stream gave %q", text)
	}
}

// nextText returns the text of the stream's next text message, skipping other content.
// openFeeds opens c's conversation and all-messages streams, closed when the test ends.
func openFeeds(t *testing.T, ctx context.Context, c *core.Client) (*core.Stream[*core.Group], *core.Stream[*core.Message]) {
	t.Helper()
	convs, err := c.Conversations().StreamConversations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { convs.Close() })
	all, err := c.Conversations().StreamAllMessages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { all.Close() })
	return convs, all
}

func nextText(t *testing.T, ctx context.Context, s *core.Stream[*core.Message]) string {
	t.Helper()
	for {
		m, err := s.Next(ctx)
		if err != nil {
			t.Fatalf("stream: %v", err)
		}
		if c, err := m.Decoded(); err == nil {
			if text, ok := c.(content.Text); ok {
				return string(text)
			}
		}
	}
}
