package mls

import (
	"bytes"
	"errors"
	"testing"
)

func seededConfig(i int) GroupConfig { return groupTestConfig(uint64(100 + i)) }

func sameEpoch(t *testing.T, groups ...*Group) {
	t.Helper()
	for _, g := range groups[1:] {
		if g.Epoch() != groups[0].Epoch() || !bytes.Equal(g.EpochAuthenticator(), groups[0].EpochAuthenticator()) {
			t.Fatalf("leaf %d at epoch %d disagrees with leaf %d at epoch %d", g.OwnLeafIndex(), g.Epoch(), groups[0].OwnLeafIndex(), groups[0].Epoch())
		}
	}
}

func TestGroupLifecycle(t *testing.T) {
	gs := newTestGroupOf(t, 4, seededConfig)
	a, b, c, d := gs[0], gs[1], gs[2], gs[3]
	sameEpoch(t, gs...)

	msg, err := a.Encrypt([]byte("hello"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range deliver(t, msg, b, c, d) {
		if string(pm.ApplicationData) != "hello" || string(pm.AuthenticatedData) != "aad" || pm.Sender.Index != 0 {
			t.Fatalf("got %+v", pm)
		}
	}
	if _, err := b.Process(viaWire(t, msg)); !errors.Is(err, ErrGenerationConsumed) {
		t.Fatalf("replay: %v", err)
	}

	// A self-update by b, committed with a path.
	res := commitAndMerge(t, b, CommitOptions{})
	deliver(t, res.Commit, a, c, d)
	sameEpoch(t, gs...)

	// c removes d; d learns it was removed and can no longer read the group.
	res = commitAndMerge(t, c, CommitOptions{Removes: []LeafIndex{d.OwnLeafIndex()}})
	deliver(t, res.Commit, a, b)
	pm := deliver(t, res.Commit, d)[0]
	if !pm.Commit.SelfRemoved || d.Active() == nil {
		t.Fatal("removed member not told")
	}
	sameEpoch(t, a, b, c)
	msg, err = c.Encrypt([]byte("secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, msg, a, b)
	if _, err := d.Process(viaWire(t, msg)); !errors.Is(err, ErrWrongEpoch) {
		t.Fatalf("removed member decrypts: %v", err)
	}
	if a.MemberCount() != 3 {
		t.Fatalf("%d members", a.MemberCount())
	}
}
