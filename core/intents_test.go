//go:build !js

package core

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

type testNet struct {
	t    *testing.T
	node *nodetest.Node
}

func (n *testNet) client(w *identity.LocalWallet, s store.Store) *Client {
	n.t.Helper()
	c, err := Create(context.Background(), w, Options{API: connectapi.New(n.node.URL(), connectapi.Config{}), Store: s})
	if err != nil {
		n.t.Fatal(err)
	}
	return c
}

func (n *testNet) newClient() *Client {
	n.t.Helper()
	w, err := identity.NewLocalWallet()
	if err != nil {
		n.t.Fatal(err)
	}
	return n.client(w, memstore.New())
}

func join(t *testing.T, c *Client, id []byte) *Group {
	t.Helper()
	if err := c.Conversations().Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	g, err := c.Conversations().GetConversationByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// twoMembers makes alice's group with bob in it, and bob's copy of it.
func (n *testNet) twoMembers() (alice, bob *Client, ga, gb *Group) {
	n.t.Helper()
	alice, bob = n.newClient(), n.newClient()
	ga, err := alice.Conversations().CreateGroup(context.Background(), []string{bob.InboxID()}, CreateGroupOptions{})
	if err != nil {
		n.t.Fatal(err)
	}
	return alice, bob, ga, join(n.t, bob, ga.ID())
}

// publishOnly queues a commit intent and publishes it without reading anything back, so that
// another member can commit in the same epoch before this one learns the order.
func publishOnly(t *testing.T, g *Group, ch *groupChange) {
	t.Helper()
	ctx := context.Background()
	g.mu.Lock()
	defer g.mu.Unlock()
	it := &intentRecord{Kind: ch.Kind, State: intentToPublish, Change: ch.encode()}
	if err := g.prepareCommit(ctx, it); err != nil {
		t.Fatal(err)
	}
	if _, err := g.storeIntent(ctx, it, nil); err != nil {
		t.Fatal(err)
	}
	if err := g.publishIntents(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSameEpochCommitsConverge(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	_, _, ga, gb := net.twoMembers()
	epoch := ga.Epoch()

	// Both commit in the same epoch; alice's reaches the node first and wins it. Bob learns
	// that when he reads hers back, and makes his again on the new epoch.
	publishOnly(t, ga, &groupChange{Kind: intentUpdateMetadata, Key: metadata.AttrGroupName, Value: "alice's"})
	if err := gb.UpdateDescription(ctx, "bob's"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*Group{"alice": ga, "bob": gb} {
		if g.Epoch() != epoch+2 || g.Name() != "alice's" || g.Description() != "bob's" {
			t.Errorf("%s: epoch %d name %q description %q", name, g.Epoch(), g.Name(), g.Description())
		}
	}
	if !bytes.Equal(ga.mls.EpochAuthenticator(), gb.mls.EpochAuthenticator()) {
		t.Fatal("the two members forked")
	}
	for name, g := range map[string]*Group{"alice": ga, "bob": gb} {
		if its, err := g.intents(ctx); err != nil || len(its) != 0 {
			t.Errorf("%s keeps %d intents (%v)", name, len(its), err)
		}
	}
}

func TestNodeDownLeavesUnpublishedThenPublishesOnce(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	w, err := identity.NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	aliceStore := memstore.New()
	alice, bob := net.client(w, aliceStore), net.newClient()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gb := join(t, bob, ga.ID())

	net.node.Stop()
	if _, err := ga.SendText(ctx, "while down"); err == nil {
		t.Fatal("sending with the node down succeeded")
	}
	ms, err := ga.Messages(ctx, MessagesOptions{Kind: KindApplication})
	if err != nil || len(ms) != 1 || ms[0].DeliveryStatus != DeliveryUnpublished {
		t.Fatalf("message while the node is down: %+v, %v", ms, err)
	}
	for range MaxPublishAttempts + 1 {
		if err := ga.Sync(ctx); err == nil {
			t.Fatal("sync with the node down succeeded")
		}
	}
	net.node.Start()

	// The app restarts: a new Client on the same store publishes what was pending, once.
	again := net.client(w, aliceStore)
	g2, err := again.Conversations().GetConversationByID(ctx, ga.ID())
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := g2.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	ms, err = g2.Messages(ctx, MessagesOptions{Kind: KindApplication})
	if err != nil || len(ms) != 1 || ms[0].DeliveryStatus != DeliveryPublished {
		t.Fatalf("after the node came back: %+v, %v", ms, err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := gb.Messages(ctx, MessagesOptions{Kind: KindApplication})
	if err != nil || len(got) != 1 {
		t.Fatalf("bob received %d copies (%v)", len(got), err)
	}
}

// refusingAPI is the real node except that it refuses group messages as invalid: a publish
// failure that retrying cannot cure.
type refusingAPI struct{ api.API }

func (refusingAPI) SendGroupMessages(context.Context, *mlsv1.SendGroupMessagesRequest) error {
	return api.ErrInvalidArgument
}

func TestRefusedMessageFailsAfterThreeAttempts(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice := net.newClient()
	ga, err := alice.Conversations().CreateGroup(ctx, nil, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	alice.opts.API = refusingAPI{alice.opts.API}
	if _, err := ga.SendText(ctx, "refused"); !errors.Is(err, ErrPublishFailed) {
		t.Fatalf("got %v, want ErrPublishFailed", err)
	}
	ms, err := ga.Messages(ctx, MessagesOptions{DeliveryStatus: DeliveryFailed})
	if err != nil || len(ms) != 1 {
		t.Fatalf("failed messages: %d (%v)", len(ms), err)
	}
	if its, err := ga.intents(ctx); err != nil || len(its) != 0 {
		t.Fatalf("%d intents left (%v)", len(its), err)
	}
}
