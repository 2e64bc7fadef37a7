//go:build !js

package core_test

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestInboxUpdateCounts(t *testing.T) {
	net := newNetwork(t)
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	net.create(t, w, memstore.New()) // a second installation is a second update
	got, err := a.InboxUpdateCounts(context.Background(), []string{a.InboxID(), "unknown"})
	if err != nil {
		t.Fatal(err)
	}
	if got[a.InboxID()] != 2 || got["unknown"] != 0 || len(got) != 2 {
		t.Fatalf("counts %v: want 2 for the inbox, 0 for the unknown one", got)
	}
}
