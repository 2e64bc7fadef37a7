//go:build !js

package core_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/sqlitestore"
)

// TestConversationSurvivesRestartOnSQLite closes a client mid-conversation and opens it again
// from its encrypted SQLite store: groups, messages, cursors and MLS state come back, and the
// conversation goes on.
func TestConversationSurvivesRestartOnSQLite(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alice.db")
	key := make([]byte, sqlitestore.KeySize)
	key[0] = 7
	aliceWallet := newWallet(t)
	open := func() (*core.Client, *sqlitestore.Store) {
		s, err := sqlitestore.Open(ctx, path, key)
		if err != nil {
			t.Fatal(err)
		}
		return net.create(t, aliceWallet, s), s
	}
	alice, s := open()
	bob := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{Name: "kept"})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	if _, err := ga.SendText(ctx, "before"); err != nil {
		t.Fatal(err)
	}
	alice.Close()
	s.Close()

	if _, err := gb.SendText(ctx, "while away"); err != nil {
		t.Fatal(err)
	}
	if err := gb.UpdateName(ctx, "renamed"); err != nil {
		t.Fatal(err)
	}

	alice, s = open()
	defer s.Close()
	list, err := alice.Conversations().List(ctx, core.ListOptions{})
	if err != nil || len(list) != 1 || list[0].Name() != "kept" {
		t.Fatalf("after restart: %d conversations (%v)", len(list), err)
	}
	g := list[0]
	if err := g.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := g.SendText(ctx, "after"); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"before", "while away", "after"}
	if got := texts(t, g); !slices.Equal(got, want) || g.Name() != "renamed" {
		t.Fatalf("alice reads %q, name %q", got, g.Name())
	}
	if got := texts(t, gb); !slices.Equal(got, want) {
		t.Fatalf("bob reads %q", got)
	}
}
