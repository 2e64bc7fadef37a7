//go:build !js

package core_test

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
)

// TestLargeGroupLooksUpIdentitiesInBatches creates and joins a group of 61 inboxes and counts
// the identity round trips: the members' logs are fetched 50 inboxes to a request, not one
// request per member, by the creator and by a joiner that knows none of them.
func TestLargeGroupLooksUpIdentitiesInBatches(t *testing.T) {
	n := nodetest.Start(t, node.Config{RateLimit: node.RateLimit{
		ReadsPerSecond: 1e6, ReadBurst: 1e6, WritesPerSecond: 1e6, WriteBurst: 1e6,
	}})
	ctx := context.Background()
	plain := connectapi.New(n.URL(), connectapi.Config{})
	open := func(a *countingAPI, w identity.Signer, s *memstore.Store) *core.Client {
		t.Helper()
		c, err := core.Create(ctx, w, core.Options{API: a, Store: s})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	client := func(a *countingAPI) *core.Client {
		t.Helper()
		w, err := identity.NewLocalWallet()
		if err != nil {
			t.Fatal(err)
		}
		return open(a, w, memstore.New())
	}
	creatorAPI, joinerAPI := &countingAPI{API: plain}, &countingAPI{API: plain}
	joinerWallet, err := identity.NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	joinerStore := memstore.New()
	creator, joiner := client(creatorAPI), open(joinerAPI, joinerWallet, joinerStore)
	ids := []string{joiner.InboxID()}
	for range 59 {
		ids = append(ids, client(&countingAPI{API: plain}).InboxID())
	}

	creatorAPI.calls.Store(0)
	g, err := creator.Conversations().CreateGroup(ctx, ids, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The creator's own log, then the 60 added inboxes in two requests.
	if got := creatorAPI.calls.Load(); got > 3 {
		t.Errorf("creating a group of 61 made %d identity requests, want at most 3", got)
	}

	joinerAPI.calls.Store(0)
	if err := joiner.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// The 60 other members' logs in two requests (the joiner knows its own).
	if got := joinerAPI.calls.Load(); got > 2 {
		t.Errorf("joining a group of 61 made %d identity requests, want at most 2", got)
	}
	joined, err := joiner.Conversations().GetConversationByID(ctx, g.ID())
	if err != nil {
		t.Fatal(err)
	}
	members, err := joined.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 61 {
		t.Fatalf("joiner sees %d members, want 61", len(members))
	}
	if got := joinerAPI.calls.Load(); got > 2 {
		t.Errorf("listing the members made %d more identity requests, want none", got-2)
	}

	// Reopened, the joiner knows no member's log: listing the members fetches them in two
	// requests.
	reopenedAPI := &countingAPI{API: plain}
	reopened := open(reopenedAPI, joinerWallet, joinerStore)
	again, err := reopened.Conversations().GetConversationByID(ctx, g.ID())
	if err != nil {
		t.Fatal(err)
	}
	if members, err = again.Members(ctx); err != nil || len(members) != 61 {
		t.Fatalf("reopened joiner sees %d members (%v), want 61", len(members), err)
	}
	if got := reopenedAPI.calls.Load(); got > 2 {
		t.Errorf("listing the members after a restart made %d identity requests, want at most 2", got)
	}
}
