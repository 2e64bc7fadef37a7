package mls

import (
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"
)

// groupTestNow is the fixed clock of the group tests.
var groupTestNow = time.Unix(1_800_000_000, 0)

// groupTestClient is a would-be member: its signature key and one key package.
type groupTestClient struct {
	name    string
	sigPriv []byte
	bundle  *KeyPackageBundle
}

func newGroupTestClient(t testing.TB, cs CipherSuite, name string) *groupTestClient {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	copy(seed, name)
	b, err := NewKeyPackage(KeyPackageOptions{
		CipherSuite:         cs,
		Credential:          NewBasicCredential([]byte(name)),
		SignaturePrivateKey: seed,
		Now:                 groupTestNow,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &groupTestClient{name: name, sigPriv: seed, bundle: b}
}

func groupTestConfig(seed uint64) GroupConfig {
	return GroupConfig{Rand: testRand(seed), Now: func() time.Time { return groupTestNow }}
}

// viaWire sends a message through its wire form, as the delivery service would.
func viaWire(t testing.TB, m *MLSMessage) *MLSMessage {
	t.Helper()
	out, err := DecodeMLSMessage(m.Encode())
	if err != nil {
		t.Fatalf("decode own message: %v", err)
	}
	return &out
}

// newTestGroupOf creates a group of suite 3 whose creator has added n-1 members in one
// commit and every member has joined; it returns the members' groups, creator first.
func newTestGroupOf(t testing.TB, n int, cfg func(i int) GroupConfig) []*Group {
	t.Helper()
	cs := CipherSuiteX25519ChaCha20
	creator := newGroupTestClient(t, cs, "member-0")
	g, err := CreateGroup(cfg(0), CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte(creator.name)), SignaturePrivateKey: creator.sigPriv})
	if err != nil {
		t.Fatal(err)
	}
	groups := []*Group{g}
	if n == 1 {
		return groups
	}
	clients := make([]*groupTestClient, n-1)
	kps := make([]KeyPackage, n-1)
	for i := range clients {
		clients[i] = newGroupTestClient(t, cs, fmt.Sprintf("member-%d", i+1))
		kps[i] = clients[i].bundle.KeyPackage
	}
	res, err := g.Commit(CommitOptions{Adds: kps})
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Merge(res.Staged); err != nil {
		t.Fatal(err)
	}
	w := viaWire(t, res.Welcome).Welcome
	for i, c := range clients {
		m, err := JoinGroup(cfg(i+1), w, JoinOptions{KeyPackage: c.bundle, SignaturePrivateKey: c.sigPriv})
		if err != nil {
			t.Fatalf("%s joins: %v", c.name, err)
		}
		groups = append(groups, m)
	}
	return groups
}

// deliver processes msg at every group in to and merges a commit; it fails the test on error.
func deliver(t testing.TB, msg *MLSMessage, to ...*Group) []*ProcessedMessage {
	t.Helper()
	out := make([]*ProcessedMessage, len(to))
	for k, g := range to {
		pm, err := g.Process(viaWire(t, msg))
		if err != nil {
			t.Fatalf("member at leaf %d: %v", g.OwnLeafIndex(), err)
		}
		if pm.Commit != nil {
			if err := g.Merge(pm.Commit); err != nil {
				t.Fatal(err)
			}
		}
		out[k] = pm
	}
	return out
}

// commitAndMerge commits at g with opts and merges it there.
func commitAndMerge(t testing.TB, g *Group, opts CommitOptions) *CommitResult {
	t.Helper()
	res, err := g.Commit(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Merge(res.Staged); err != nil {
		t.Fatal(err)
	}
	return res
}
