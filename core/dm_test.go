//go:build !js

package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
)

func TestDmIsOnePerPair(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bobWallet := newWallet(t)
	bob := net.create(t, bobWallet, memstore.New())
	carol := net.create(t, newWallet(t), memstore.New())

	da, err := alice.Conversations().CreateDmWithIdentifier(ctx, bobWallet.Address(), nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := alice.Conversations().CreateDm(ctx, bob.InboxID(), nil)
	if err != nil || string(again.ID()) != string(da.ID()) {
		t.Fatalf("second CreateDm made another conversation (%v)", err)
	}
	if da.DMID() != metadata.DMID(alice.InboxID(), bob.InboxID()) || da.ConversationType() != metadata.ConversationDM {
		t.Fatalf("dm id %q type %v", da.DMID(), da.ConversationType())
	}
	if err := bob.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := bob.Conversations().CreateDm(ctx, alice.InboxID(), nil)
	if err != nil || string(db.ID()) != string(da.ID()) {
		t.Fatalf("bob's CreateDm did not find the DM alice made (%v)", err)
	}
	if _, err := db.SendText(ctx, "hey"); err != nil {
		t.Fatal(err)
	}
	if err := da.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, da); !slices.Equal(got, []string{"hey"}) {
		t.Fatalf("alice reads %q", got)
	}
	if err := da.AddMembers(ctx, []string{carol.InboxID()}); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("adding to a DM: got %v, want ErrDenied", err)
	}
	if _, err := alice.Conversations().CreateDm(ctx, alice.InboxID(), nil); !errors.Is(err, core.ErrNotDM) {
		t.Fatalf("DM with oneself: got %v", err)
	}
	dms, err := alice.Conversations().List(ctx, core.ListOptions{ConversationType: metadata.ConversationDM})
	if err != nil || len(dms) != 1 {
		t.Fatalf("alice lists %d DMs (%v)", len(dms), err)
	}
	groups, err := alice.Conversations().List(ctx, core.ListOptions{ConversationType: metadata.ConversationGroup})
	if err != nil || len(groups) != 0 {
		t.Fatalf("alice lists %d groups (%v)", len(groups), err)
	}
}

func TestDmsMadeByBothSidesAreStitched(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	da, err := alice.Conversations().CreateDm(ctx, bob.InboxID(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := bob.Conversations().CreateDm(ctx, alice.InboxID(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(da.ID()) == string(db.ID()) {
		t.Fatal("each side was meant to create its own DM")
	}
	if _, err := db.SendText(ctx, "latest"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*core.Client{alice, bob} {
		if _, err := c.Conversations().SyncAll(ctx); err != nil {
			t.Fatal(err)
		}
		dms, err := c.Conversations().List(ctx, core.ListOptions{ConversationType: metadata.ConversationDM})
		if err != nil || len(dms) != 1 || string(dms[0].ID()) != string(db.ID()) {
			t.Fatalf("%s lists %d DMs (%v), want the most recently active one", c.InboxID(), len(dms), err)
		}
	}
}
