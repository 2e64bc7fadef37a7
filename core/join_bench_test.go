//go:build !js

package core_test

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/connectapi"
)

// BenchmarkJoinGroup measures a new member's first Sync after it was added to a group of 200
// members (one installation each): the welcome fetched and unwrapped, the group joined from
// its full ratchet tree (tree hashes, parent hashes, 200 leaf signatures), every member's
// identity checked against its log, the group stored, the key package rotated. The joiner is
// a fresh client each round, so nothing about the other members is cached, as for a real
// newcomer.
func BenchmarkJoinGroup(b *testing.B) {
	n := benchNode(b)
	a := connectapi.New(n.URL(), connectapi.Config{})
	ctx := context.Background()
	creator := benchClients(b, a, 1)[0]
	others := benchClients(b, a, 198)
	ids := make([]string, 0, 199)
	for _, c := range others {
		ids = append(ids, c.InboxID())
	}
	for b.Loop() {
		b.StopTimer()
		joiner := benchClients(b, a, 1)[0]
		if _, err := creator.Conversations().CreateGroup(ctx, append(ids, joiner.InboxID()), core.CreateGroupOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := joiner.Conversations().Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got, err := joiner.Conversations().List(ctx, core.ListOptions{}); err != nil || len(got) != 1 {
			b.Fatalf("joiner has %d conversations (%v), want 1", len(got), err)
		}
		b.StartTimer()
	}
}
