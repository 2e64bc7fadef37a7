//go:build !js

package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
)

// goxmtp lets a group grow to core.MaxGroupSize (400) member inboxes, where libxmtp 1.11 stops
// adding by address at 250: a deliberate difference (README, "Scope and deliberate
// differences"). js/test/interop-groupsize.test.mjs pins what libxmtp does in such a group.
func TestGroupSizeLimit(t *testing.T) {
	if core.MaxGroupSize != 400 {
		t.Fatalf("MaxGroupSize is %d; the README says 400", core.MaxGroupSize)
	}
	// Every client shares one loopback address: the node's per-address limits are lifted.
	n := nodetest.Start(t, node.Config{RateLimit: node.RateLimit{ReadsPerSecond: 1e6, ReadBurst: 1e6, WritesPerSecond: 1e6, WriteBurst: 1e6}})
	net := &network{node: n, api: connectapi.New(n.URL(), connectapi.Config{})}
	ctx := context.Background()
	clients := make([]*core.Client, core.MaxGroupSize+1)
	ids := make([]string, len(clients))
	for i := range clients {
		clients[i] = net.create(t, newWallet(t), memstore.New())
		ids[i] = clients[i].InboxID()
	}
	creator, last, extra := clients[0], clients[core.MaxGroupSize-1], clients[core.MaxGroupSize]

	// 401 at once is refused before anything is published.
	if _, err := creator.Conversations().CreateGroup(ctx, ids[1:], core.CreateGroupOptions{}); !errors.Is(err, core.ErrTooManyMembers) {
		t.Fatalf("a group of %d: got %v, want %v", len(ids), err, core.ErrTooManyMembers)
	}

	// 400 work: the last member joins and reads the creator's message.
	g, err := creator.Conversations().CreateGroup(ctx, ids[1:core.MaxGroupSize], core.CreateGroupOptions{})
	if err != nil {
		t.Fatalf("a group of %d: %v", core.MaxGroupSize, err)
	}
	if _, err := g.SendText(ctx, "four hundred of us"); err != nil {
		t.Fatal(err)
	}
	joined := joinGroup(t, last, g.ID())
	if err := joined.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if members, err := joined.Members(ctx); err != nil || len(members) != core.MaxGroupSize {
		t.Fatalf("the last member sees %d members (%v), want %d", len(members), err, core.MaxGroupSize)
	}
	if !slices.Contains(texts(t, joined), "four hundred of us") {
		t.Fatalf("the last member's messages: %q", texts(t, joined))
	}

	// The 401st is refused with the named error, and the group is unchanged.
	epoch := g.Epoch()
	if err := g.AddMembers(ctx, []string{extra.InboxID()}); !errors.Is(err, core.ErrTooManyMembers) {
		t.Fatalf("adding member %d: got %v, want %v", core.MaxGroupSize+1, err, core.ErrTooManyMembers)
	}
	if members, err := g.Members(ctx); err != nil || len(members) != core.MaxGroupSize || g.Epoch() != epoch {
		t.Fatalf("after the refused addition: %d members (%v), epoch %d → %d", len(members), err, epoch, g.Epoch())
	}
}
