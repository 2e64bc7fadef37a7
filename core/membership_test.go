//go:build !js

package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func memberInboxes(t *testing.T, g *core.Group) []string {
	t.Helper()
	ms, err := g.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.InboxID)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

// threeMembers makes alice's group with bob and carol in it, and bob's and carol's copies.
func threeMembers(t *testing.T) (alice, bob, carol *core.Client, ga, gb, gc *core.Group) {
	t.Helper()
	net := newNetwork(t)
	alice = net.create(t, newWallet(t), memstore.New())
	bob = net.create(t, newWallet(t), memstore.New())
	carol = net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(context.Background(), []string{bob.InboxID(), carol.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return alice, bob, carol, ga, joinGroup(t, bob, ga.ID()), joinGroup(t, carol, ga.ID())
}

func TestRemovedMemberIsInactiveAndCannotRead(t *testing.T) {
	ctx := context.Background()
	alice, bob, carol, ga, gb, gc := threeMembers(t)
	if _, err := ga.SendText(ctx, "before"); err != nil {
		t.Fatal(err)
	}
	if err := ga.RemoveMembers(ctx, []string{carol.InboxID()}); err != nil {
		t.Fatal(err)
	}
	if _, err := ga.SendText(ctx, "after"); err != nil {
		t.Fatal(err)
	}
	for _, g := range []*core.Group{gb, gc} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := memberInboxes(t, gb), sorted(alice.InboxID(), bob.InboxID()); !slices.Equal(got, want) {
		t.Fatalf("bob sees members %v, want %v", got, want)
	}
	if gc.IsActive() || !gb.IsActive() {
		t.Fatalf("carol active %v, bob active %v", gc.IsActive(), gb.IsActive())
	}
	if got := texts(t, gc); !slices.Equal(got, []string{"before"}) {
		t.Fatalf("removed carol reads %q", got)
	}
	if got := texts(t, gb); !slices.Equal(got, []string{"before", "after"}) {
		t.Fatalf("bob reads %q", got)
	}
	if _, err := gc.SendText(ctx, "still here?"); !errors.Is(err, core.ErrGroupInactive) {
		t.Fatalf("removed member sending: got %v, want ErrGroupInactive", err)
	}
	transcript, err := gb.Messages(ctx, core.MessagesOptions{Kind: core.KindMembershipChange})
	if err != nil || len(transcript) != 2 { // joined, carol removed
		t.Fatalf("bob's transcript: %d entries, %v", len(transcript), err)
	}
}

func TestAddMembersByAddressWithAllInstallations(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	daveWallet := newWallet(t)
	dave1 := net.create(t, daveWallet, memstore.New())
	dave2 := net.create(t, daveWallet, memstore.New())

	ga, err := alice.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ga.AddMembersByIdentifiers(ctx, []string{daveWallet.Address()}); err != nil {
		t.Fatal(err)
	}
	g1, g2 := joinGroup(t, dave1, ga.ID()), joinGroup(t, dave2, ga.ID())
	if _, err := g1.SendText(ctx, "from dave1"); err != nil {
		t.Fatal(err)
	}
	for _, g := range []*core.Group{ga, g2} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if got := texts(t, g); !slices.Equal(got, []string{"from dave1"}) {
			t.Fatalf("reads %q", got)
		}
	}

	// A third installation registered later is caught up by a membership update.
	dave3 := net.create(t, daveWallet, memstore.New())
	if err := ga.UpdateInstallations(ctx); err != nil {
		t.Fatal(err)
	}
	g3 := joinGroup(t, dave3, ga.ID())
	if _, err := ga.SendText(ctx, "welcome dave3"); err != nil {
		t.Fatal(err)
	}
	for _, g := range []*core.Group{g1, g3} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := texts(t, g3); !slices.Equal(got, []string{"welcome dave3"}) {
		t.Fatalf("dave3 reads %q", got)
	}
	ms, err := g1.Members(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.InboxID == dave1.InboxID() && len(m.InstallationIDs) != 3 {
			t.Fatalf("dave has %d installations in the group, want 3", len(m.InstallationIDs))
		}
	}
}

func TestLeaveRequestIsHonouredByAnAdmin(t *testing.T) {
	ctx := context.Background()
	_, _, carol, ga, gb, gc := threeMembers(t)
	if err := ga.Leave(ctx); !errors.Is(err, core.ErrCannotLeave) {
		t.Fatalf("the only super admin leaving: got %v", err)
	}
	if err := gc.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	if !gc.PendingLeave() || !gc.IsActive() {
		t.Fatal("carol is not pending leave")
	}
	if err := gb.Sync(ctx); err != nil { // bob may not remove members: he only notes it
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil { // alice, super admin, removes carol
		t.Fatal(err)
	}
	if got := memberInboxes(t, ga); slices.Contains(got, carol.InboxID()) {
		t.Fatalf("carol still a member: %v", got)
	}
	for _, g := range []*core.Group{gb, gc} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if gc.IsActive() {
		t.Fatal("carol is still active")
	}
	updates, err := gb.Messages(ctx, core.MessagesOptions{Kind: core.KindMembershipChange, Direction: core.SortDescending, Limit: 1})
	if err != nil || len(updates) != 1 {
		t.Fatalf("bob's transcript: %v", err)
	}
	c, err := updates[0].Decoded()
	if err != nil {
		t.Fatal(err)
	}
	if gu := c.(content.GroupUpdated); !slices.Equal(gu.Left, []string{carol.InboxID()}) || len(gu.Removed) != 0 {
		t.Fatalf("transcript of the leave: %+v", gu)
	}
}

func TestSyncCatchesUpAddedAndRevokedInstallations(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	clk := &clock{}
	clk.set(time.Now())
	alice, err := core.Create(ctx, newWallet(t), core.Options{API: net.api, Store: memstore.New(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	bobWallet := newWallet(t)
	bob1 := net.create(t, bobWallet, memstore.New())
	bob2 := net.create(t, bobWallet, memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob1.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g1, g2 := joinGroup(t, bob1, ga.ID()), joinGroup(t, bob2, ga.ID())

	if err := bob1.RevokeInstallations(ctx, bobWallet, [][]byte{bob2.InstallationID()}); err != nil {
		t.Fatal(err)
	}
	bob3 := net.create(t, bobWallet, memstore.New())
	if err := ga.Sync(ctx); err != nil { // too soon: nothing checked
		t.Fatal(err)
	}
	epoch := ga.Epoch()
	clk.advance(31 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.Epoch() != epoch+1 {
		t.Fatalf("no membership update: epoch %d → %d", epoch, ga.Epoch())
	}
	g3 := joinGroup(t, bob3, ga.ID())
	for _, g := range []*core.Group{g1, g2} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if g2.IsActive() || !g1.IsActive() || !g3.IsActive() {
		t.Fatalf("active: bob1 %v, revoked bob2 %v, new bob3 %v", g1.IsActive(), g2.IsActive(), g3.IsActive())
	}
	ms, err := g1.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.InboxID == bob1.InboxID() && len(m.InstallationIDs) != 2 {
			t.Fatalf("bob has %d installations in the group, want 2", len(m.InstallationIDs))
		}
	}
}
