//go:build goxmtp_testhooks && !js

package core_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/permissions"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// TestForbiddenCommitsLoggedAsInvalid (with -tags goxmtp_testhooks, see forbidden_test.go): a
// commit the group's policies forbid is logged by the super admin as INVALID, in the epoch
// the group stayed in.
func TestForbiddenCommitsLoggedAsInvalid(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock := &offsetClock{}
	alice := net.createWith(t, net.api, clock)
	bob := net.create(t, newWallet(t), memstore.New())
	policies := permissions.AdminsOnly()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{Policies: &policies})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	if err := gb.UpdateName(ctx, "renamed against the policy"); !errors.Is(err, permissions.ErrDenied) {
		t.Fatalf("bob's forbidden rename: got %v, want %v", err, permissions.ErrDenied)
	}
	clock.advance(5 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	log := publishedLog(t, net, ga)
	results := commitResults(log)
	want := []mlscontents.CommitResult{mlscontents.CommitResult_COMMIT_RESULT_APPLIED, mlscontents.CommitResult_COMMIT_RESULT_INVALID}
	if !slices.Equal(results, want) {
		t.Fatalf("results %v, want %v", results, want)
	}
	checkChain(t, log)
}
