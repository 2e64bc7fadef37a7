package mls

import (
	"errors"
	"testing"
	"time"
)

// TestCommitAddsSigned shows what CommitOptions.AddsSigned changes: only the two signature
// checks of the added key packages, which the caller vouches for. A tampered signature is
// rejected without it and not with it; a lifetime out of range is rejected either way; and a
// receiver of the commit still verifies everything.
func TestCommitAddsSigned(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	newCreator := func() *Group {
		c := newGroupTestClient(t, cs, "creator")
		g, err := CreateGroup(groupTestConfig(1), CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte(c.name)), SignaturePrivateKey: c.sigPriv})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	tampered := newGroupTestClient(t, cs, "tampered").bundle.KeyPackage
	tampered.Signature = append([]byte(nil), tampered.Signature...)
	tampered.Signature[0] ^= 1

	if _, err := newCreator().Commit(CommitOptions{Adds: []KeyPackage{tampered}}); !errors.Is(err, ErrKeyPackageSignature) {
		t.Fatalf("unsigned adds: got %v, want %v", err, ErrKeyPackageSignature)
	}
	res, err := newCreator().Commit(CommitOptions{Adds: []KeyPackage{tampered}, AddsSigned: true})
	if err != nil {
		t.Fatalf("signed adds: the signatures were checked anyway: %v", err)
	}
	if len(res.Staged.Adds) != 1 {
		t.Fatalf("signed adds: %d added, want 1", len(res.Staged.Adds))
	}

	cfg := groupTestConfig(2)
	cfg.Now = func() time.Time { return groupTestNow.Add(KeyPackageLifetime + time.Hour) }
	c := newGroupTestClient(t, cs, "late")
	late, err := CreateGroup(cfg, CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte(c.name)), SignaturePrivateKey: c.sigPriv})
	if err != nil {
		t.Fatal(err)
	}
	expired := newGroupTestClient(t, cs, "expired").bundle.KeyPackage
	if _, err := late.Commit(CommitOptions{Adds: []KeyPackage{expired}, AddsSigned: true}); !errors.Is(err, ErrLifetimeWindow) {
		t.Fatalf("signed adds, expired package: got %v, want %v", err, ErrLifetimeWindow)
	}

	// A member receiving a commit that adds the tampered package rejects it.
	creator := newCreator()
	joiner := newGroupTestClient(t, cs, "joiner")
	res = commitAndMerge(t, creator, CommitOptions{Adds: []KeyPackage{joiner.bundle.KeyPackage}})
	member, err := JoinGroup(groupTestConfig(3), res.Welcome.Welcome, JoinOptions{KeyPackage: joiner.bundle, SignaturePrivateKey: joiner.sigPriv})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := creator.Commit(CommitOptions{Adds: []KeyPackage{tampered}, AddsSigned: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := member.Process(viaWire(t, bad.Commit)); !errors.Is(err, ErrKeyPackageSignature) {
		t.Fatalf("receiver: got %v, want %v", err, ErrKeyPackageSignature)
	}
}
