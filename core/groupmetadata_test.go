//go:build !js

package core_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
)

func TestMetadataAndPermissions(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{Name: "first"})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	if !gb.IsSuperAdmin(alice.InboxID()) || gb.IsAdmin(bob.InboxID()) {
		t.Fatal("the creator is not the super admin")
	}

	// The default policies let any member rename the group.
	if err := gb.UpdateName(ctx, "second"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.Name() != "second" {
		t.Fatalf("alice sees name %q", ga.Name())
	}
	updates, err := ga.Messages(ctx, core.MessagesOptions{Kind: core.KindMembershipChange, ContentTypes: []content.TypeID{content.TypeGroupUpdated}})
	if err != nil || len(updates) < 2 {
		t.Fatalf("alice's transcript: %d, %v", len(updates), err)
	}
	last, err := updates[len(updates)-1].Decoded()
	if err != nil {
		t.Fatal(err)
	}
	if gu := last.(content.GroupUpdated); gu.InitiatedBy != bob.InboxID() || len(gu.MetadataChanges) != 1 || *gu.MetadataChanges[0].NewValue != "second" {
		t.Fatalf("transcript of the rename: %+v", gu)
	}

	// Removing a member needs an admin; nobody removes the super admin.
	if err := gb.RemoveMembers(ctx, []string{alice.InboxID()}); !errors.Is(err, permissions.ErrRemoveSuperAdmin) {
		t.Fatalf("bob removing alice: got %v", err)
	}
	// Only super admins change policies.
	if err := gb.UpdatePermission(ctx, permissions.UpdateUpdateMetadata, permissions.OptionSuperAdmin, metadata.AttrGroupName); !errors.Is(err, permissions.ErrSuperAdminOnly) {
		t.Fatalf("bob changing a policy: got %v", err)
	}
	if err := ga.UpdatePermission(ctx, permissions.UpdateUpdateMetadata, permissions.OptionSuperAdmin, metadata.AttrGroupName); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gb.UpdateName(ctx, "third"); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("bob renaming after the policy change: got %v", err)
	}
	// Admin-list policies cannot be Allow.
	if err := ga.UpdatePermission(ctx, permissions.UpdateAddAdmin, permissions.OptionAllow, ""); !errors.Is(err, permissions.ErrInexpressible) {
		t.Fatalf("allow-all admin policy: got %v", err)
	}

	if err := ga.AddAdmin(ctx, bob.InboxID()); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if !gb.IsAdmin(bob.InboxID()) {
		t.Fatal("bob is not an admin after being made one")
	}
	if err := gb.UpdateDescription(ctx, "described"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.Description() != "described" {
		t.Fatalf("description %q", ga.Description())
	}
}

func TestAdminsOnlyPreset(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	carol := net.create(t, newWallet(t), memstore.New())
	policies := permissions.AdminsOnly()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{Policies: &policies})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	if err := gb.AddMembers(ctx, []string{carol.InboxID()}); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("a member adding under admins-only: got %v", err)
	}
	if err := gb.UpdateName(ctx, "mine"); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("a member renaming under admins-only: got %v", err)
	}
	if err := ga.AddMembers(ctx, []string{carol.InboxID()}); err != nil {
		t.Fatal(err)
	}
	st, err := ga.Metadata()
	if err != nil || permissions.PresetOf(st.Policies) != permissions.PresetAdminsOnly {
		t.Fatalf("policies are not the admins-only preset (%v)", err)
	}
}

func TestRolesImageAndDisappearingSetByAPeer(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	carolWallet := newWallet(t)
	carol := net.create(t, carolWallet, memstore.New())
	ga, err := alice.Conversations().CreateGroupWithIdentifiers(ctx, []string{carolWallet.Address()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ga.AddMembers(ctx, []string{bob.InboxID()}); err != nil {
		t.Fatal(err)
	}
	gb, gc := joinGroup(t, bob, ga.ID()), joinGroup(t, carol, ga.ID())

	if err := ga.AddSuperAdmin(ctx, bob.InboxID()); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gb.RemoveSuperAdmin(ctx, alice.InboxID()); err != nil {
		t.Fatal(err)
	}
	if err := gb.AddAdmin(ctx, carol.InboxID()); err != nil {
		t.Fatal(err)
	}
	if err := gb.RemoveAdmin(ctx, carol.InboxID()); err != nil {
		t.Fatal(err)
	}
	if err := gb.UpdateImageURL(ctx, "https://example.com/g.png"); err != nil {
		t.Fatal(err)
	}
	// Messages sent from now on disappear a millisecond after they are sent.
	if err := gb.UpdateDisappearing(ctx, metadata.Disappearing{FromNS: time.Now().UnixNano(), InNS: int64(time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.IsSuperAdmin(alice.InboxID()) || !ga.IsSuperAdmin(bob.InboxID()) || ga.IsAdmin(carol.InboxID()) || ga.ImageURL() != "https://example.com/g.png" {
		t.Fatal("alice does not see the role and image changes")
	}
	if err := ga.RemoveMembersByIdentifiers(ctx, []string{carolWallet.Address()}); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("alice, no longer an admin, removing carol: got %v", err)
	}
	if err := gc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := gc.SendText(ctx, "gone soon"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	if ms, err := ga.Messages(ctx, core.MessagesOptions{Kind: core.KindApplication}); err != nil || len(ms) != 0 {
		t.Fatalf("alice keeps %d expired messages (%v)", len(ms), err)
	}
	if err := gb.RemoveMembersByIdentifiers(ctx, []string{carolWallet.Address()}); err != nil {
		t.Fatal(err)
	}
	if got := memberInboxes(t, gb); len(got) != 2 {
		t.Fatalf("members after removing carol: %v", got)
	}
}
