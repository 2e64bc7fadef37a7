//go:build !js

package core_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestListByLastActivity(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	a := net.create(t, newWallet(t), memstore.New())
	first, err := a.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := a.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	order := func(byActivity bool) [][]byte {
		list, err := a.Conversations().List(ctx, core.ListOptions{ByLastActivity: byActivity})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([][]byte, len(list))
		for i, g := range list {
			ids[i] = g.ID()
		}
		return ids
	}
	same := func(got [][]byte, want ...*core.Group) bool {
		for i, g := range want {
			if !bytes.Equal(got[i], g.ID()) {
				return false
			}
		}
		return len(got) == len(want)
	}
	if got := order(false); !same(got, first, second) {
		t.Fatal("by creation: want the oldest first")
	}
	if got := order(true); !same(got, second, first) {
		t.Fatal("by activity, nothing sent: want the newest first")
	}
	if _, err := first.SendText(ctx, "wake up"); err != nil {
		t.Fatal(err)
	}
	if got := order(true); !same(got, first, second) {
		t.Fatal("by activity: want the group just written to first")
	}
}
