//go:build !js

package core_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func forkStatus(t *testing.T, g *core.Group) core.ForkStatus {
	t.Helper()
	s, err := g.ForkStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestForkStatus: a member whose commits the published log holds with its own epoch
// authenticators is not forked; one whose latest commit is not in the log yet is unknown; a
// log naming another authenticator for a commit, signed with the log's key and chained as
// the entries before it, is a fork.
func TestForkStatus(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock := &offsetClock{}
	ga, gb := net.pairGroup(t, net.api, clock)
	if s := forkStatus(t, ga); s != core.ForkUnknown {
		t.Fatalf("alice, whose only commit is not published yet: %v", s)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := forkStatus(t, ga); s != core.ForkNone {
		t.Fatalf("alice, whose only commit is published: %v", s)
	}
	if s := forkStatus(t, gb); s != core.ForkUnknown {
		t.Fatalf("bob, who processed no commit: %v", s)
	}

	if err := ga.UpdateName(ctx, "held back"); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := forkStatus(t, gb); s != core.ForkUnknown {
		t.Fatalf("bob, whose commit is not published yet: %v", s)
	}
	clock.advance(5 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := forkStatus(t, gb); s != core.ForkNone {
		t.Fatalf("bob, whose commit is published: %v", s)
	}

	// Anyone holding the group's signer can publish; an entry chained after the log's last
	// but naming another authenticator for the next commit says its publisher forked.
	if err := ga.UpdateName(ctx, "forked"); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	log := publishedLog(t, net, ga)
	last, ids := log[len(log)-1], commitIDs(t, net, ga)
	forged := &mlscontents.PlaintextCommitLogEntry{
		GroupId: ga.ID(), CommitSequenceId: ids[len(ids)-1], LastEpochAuthenticator: last.GetAppliedEpochAuthenticator(),
		CommitResult: mlscontents.CommitResult_COMMIT_RESULT_APPLIED, AppliedEpochNumber: last.GetAppliedEpochNumber() + 1,
		AppliedEpochAuthenticator: bytes.Repeat([]byte{7}, 32),
	}
	st, err := ga.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	publishSigned(t, net, ed25519.NewKeyFromSeed(st.Mutable.CommitLogSigner()), forged)
	for name, g := range map[string]*core.Group{"alice": ga, "bob": gb} {
		if s := forkStatus(t, g); s != core.ForkDetected {
			t.Errorf("%s after a conflicting entry: %v", name, s)
		}
	}
}

// TestForkStatusIgnoresUntrustedEntries: entries signed with another key than the log's, or
// not chained to the entries before them, change nothing.
func TestForkStatusIgnoresUntrustedEntries(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	ga, _ := net.pairGroup(t, net.api, &offsetClock{})
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ga.UpdateName(ctx, "next"); err != nil {
		t.Fatal(err)
	}
	// Alice's entry for her second commit waits for the interval; only forgeries name it.
	first, second := publishedLog(t, net, ga)[0], commitIDs(t, net, ga)[1]
	st, err := ga.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	signer := ed25519.NewKeyFromSeed(st.Mutable.CommitLogSigner())
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	other := bytes.Repeat([]byte{7}, 32)
	// The first commit again, with another outcome: not later than the log's last entry.
	again := proto.Clone(first).(*mlscontents.PlaintextCommitLogEntry)
	again.AppliedEpochAuthenticator = other
	publishSigned(t, net, signer, again)
	// The second commit, starting from an epoch the log never reached.
	unchained := &mlscontents.PlaintextCommitLogEntry{
		GroupId: ga.ID(), CommitSequenceId: second, LastEpochAuthenticator: other,
		CommitResult: mlscontents.CommitResult_COMMIT_RESULT_APPLIED, AppliedEpochNumber: 2, AppliedEpochAuthenticator: other,
	}
	publishSigned(t, net, signer, unchained)
	// The second commit, chained, but signed with another key than the log's.
	impostor := proto.Clone(unchained).(*mlscontents.PlaintextCommitLogEntry)
	impostor.LastEpochAuthenticator = first.GetAppliedEpochAuthenticator()
	publishSigned(t, net, stranger, impostor)
	if s := forkStatus(t, ga); s != core.ForkUnknown {
		t.Fatalf("alice, whose second commit only an impostor logged: %v", s)
	}
}

// publishSigned publishes entry signed by key, as any holder of a key can.
func publishSigned(t *testing.T, n *network, key ed25519.PrivateKey, entry *mlscontents.PlaintextCommitLogEntry) {
	t.Helper()
	body, err := proto.Marshal(entry)
	if err != nil {
		t.Fatal(err)
	}
	err = n.api.BatchPublishCommitLog(context.Background(), &mlsv1.BatchPublishCommitLogRequest{Requests: []*mlsv1.PublishCommitLogRequest{{
		GroupId: entry.GetGroupId(), SerializedCommitLogEntry: body,
		Signature: &associations.RecoverableEd25519Signature{Bytes: ed25519.Sign(key, body), PublicKey: key.Public().(ed25519.PublicKey)},
	}}})
	if err != nil {
		t.Fatal(err)
	}
}
