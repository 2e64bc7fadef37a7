//go:build !js

package core_test

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
)

func TestListIncludesDuplicateDMsWhenAsked(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	a := net.create(t, newWallet(t), memstore.New())
	b := net.create(t, newWallet(t), memstore.New())
	// Each side makes a DM before it sees the other's.
	if _, err := a.Conversations().CreateDm(ctx, b.InboxID(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Conversations().CreateDm(ctx, a.InboxID(), nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	dms := core.ListOptions{ConversationType: metadata.ConversationDM}
	one, err := a.Conversations().List(ctx, dms)
	if err != nil {
		t.Fatal(err)
	}
	dms.IncludeDuplicateDMs = true
	both, err := a.Conversations().List(ctx, dms)
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || len(both) != 2 {
		t.Fatalf("listed %d DMs, %d with duplicates: want 1 and 2", len(one), len(both))
	}
}
