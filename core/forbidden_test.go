//go:build goxmtp_testhooks && !js

package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/permissions"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Run with -tags goxmtp_testhooks: every client of this test binary publishes commits its own
// policy check would refuse (core/testhooks.go), as a modified client could. Receivers must
// reject them and carry on.
func TestForbiddenCommitsRejectedByReceivers(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New()) // creator, super admin
	bob := net.create(t, newWallet(t), memstore.New())   // member who breaks the rules
	carol := net.create(t, newWallet(t), memstore.New()) // member who receives
	dave := net.create(t, newWallet(t), memstore.New())  // outsider bob tries to add
	policies := permissions.AdminsOnly()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID(), carol.InboxID()}, core.CreateGroupOptions{Name: "agreed", Policies: &policies})
	if err != nil {
		t.Fatal(err)
	}
	gb, gc := joinGroup(t, bob, ga.ID()), joinGroup(t, carol, ga.ID())
	epoch := ga.Epoch()
	published := func() int {
		t.Helper()
		resp, err := net.api.QueryGroupMessages(ctx, &mlsv1.QueryGroupMessagesRequest{GroupId: ga.ID()})
		if err != nil {
			t.Fatal(err)
		}
		return len(resp.GetMessages())
	}
	before := published()

	// Bob's own client publishes both, then refuses each when it reads it back, as every
	// receiver does.
	if err := gb.UpdateName(ctx, "renamed against the policy"); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("bob's forbidden rename: got %v, want %v", err, permissions.ErrDenied)
	}
	if err := gb.AddMembers(ctx, []string{dave.InboxID()}); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("bob's forbidden addition: got %v, want %v", err, permissions.ErrDenied)
	}
	if err := gb.AddAdmin(ctx, bob.InboxID()); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("bob's forbidden self-promotion: got %v, want %v", err, permissions.ErrDenied)
	}
	if n := published() - before; n != 3 {
		t.Fatalf("%d forbidden commits reached the node, want 3 (the hook did not skip the sender's check)", n)
	}

	for name, g := range map[string]*core.Group{"alice": ga, "bob": gb, "carol": gc} {
		if err := g.Sync(ctx); err != nil {
			t.Fatalf("%s syncs past the forbidden commits: %v", name, err)
		}
		members, err := g.Members(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g.Name() != "agreed" || g.Epoch() != epoch || len(members) != 3 || g.IsAdmin(bob.InboxID()) {
			t.Fatalf("%s merged a forbidden commit: name %q, epoch %d → %d, %d members, bob admin %v", name, g.Name(), epoch, g.Epoch(), len(members), g.IsAdmin(bob.InboxID()))
		}
	}
	if err := dave.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dave.Conversations().GetConversationByID(ctx, ga.ID()); !errors.Is(err, core.ErrGroupNotFound) {
		t.Fatalf("dave got a welcome from a rejected commit: %v", err)
	}

	// The group goes on: the admin's rename and message reach both members.
	if err := ga.UpdateName(ctx, "renamed by the admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := ga.SendText(ctx, "still one group"); err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*core.Group{"bob": gb, "carol": gc} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if g.Name() != "renamed by the admin" || g.Epoch() != epoch+1 || !slices.Contains(texts(t, g), "still one group") {
			t.Fatalf("%s after the admin's changes: name %q, epoch %d, texts %q", name, g.Name(), g.Epoch(), texts(t, g))
		}
	}
}
