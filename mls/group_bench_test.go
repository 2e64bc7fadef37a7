package mls

import (
	"fmt"
	"testing"
)

// groupBenchSizes are the member counts of issue 4's speed targets.
var groupBenchSizes = []int{10, 100, 400, 1000}

// benchGroup is a group of n members in which only the creator and one bystander hold state.
type benchGroup struct {
	creator, bystander *Group
	welcome            *Welcome
	joiner             *groupTestClient
}

// newBenchGroup builds a group of n members (the creator adding n-1 in one commit) and joins
// the second member. cfg is used for both.
func newBenchGroup(b *testing.B, n int, cfg GroupConfig) *benchGroup {
	b.Helper()
	cs := CipherSuiteX25519ChaCha20
	clients, kps := benchClients(b, cs, "bench", n-1)
	creator := newGroupTestClient(b, cs, "creator")
	g, err := CreateGroup(cfg, CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte("creator")), SignaturePrivateKey: creator.sigPriv})
	if err != nil {
		b.Fatal(err)
	}
	res := commitAndMerge(b, g, CommitOptions{Adds: kps})
	bg := &benchGroup{creator: g, welcome: res.Welcome.Welcome, joiner: clients[0]}
	if bg.bystander, err = JoinGroup(cfg, bg.welcome, JoinOptions{KeyPackage: clients[0].bundle, SignaturePrivateKey: clients[0].sigPriv}); err != nil {
		b.Fatal(err)
	}
	return bg
}

func benchClients(b *testing.B, cs CipherSuite, prefix string, n int) ([]*groupTestClient, []KeyPackage) {
	b.Helper()
	clients := make([]*groupTestClient, n)
	kps := make([]KeyPackage, n)
	for i := range clients {
		clients[i] = newGroupTestClient(b, cs, fmt.Sprintf("%s-%d", prefix, i))
		kps[i] = clients[i].bundle.KeyPackage
	}
	return clients, kps
}

// BenchmarkGroupCreateAdd creates a group and adds N-1 members in one commit, Welcome included.
func BenchmarkGroupCreateAdd(b *testing.B) {
	for _, n := range groupBenchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			cs := CipherSuiteX25519ChaCha20
			_, kps := benchClients(b, cs, "bench", n-1)
			creator := newGroupTestClient(b, cs, "creator")
			cfg := groupTestConfig(1)
			for b.Loop() {
				g, err := CreateGroup(cfg, CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte("creator")), SignaturePrivateKey: creator.sigPriv})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := g.Commit(CommitOptions{Adds: kps}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupJoin joins an N-member group from its Welcome.
func BenchmarkGroupJoin(b *testing.B) {
	for _, n := range groupBenchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bg := newBenchGroup(b, n, groupTestConfig(2))
			for b.Loop() {
				if _, err := JoinGroup(groupTestConfig(3), bg.welcome, JoinOptions{KeyPackage: bg.joiner.bundle, SignaturePrivateKey: bg.joiner.sigPriv}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupProcessCommit stages, as a bystander, a commit adding one member and one
// removing one. Handshakes are PublicMessages here so that the same commit can be staged
// again: staging is pure, while a PrivateMessage's key is consumed on first use.
func BenchmarkGroupProcessCommit(b *testing.B) {
	for _, n := range groupBenchSizes {
		cfg := groupTestConfig(4)
		cfg.WireFormat = MixedPlaintext
		var bg *benchGroup
		setup := func(b *testing.B) {
			if bg == nil {
				bg = newBenchGroup(b, n, cfg)
			}
		}
		b.Run(fmt.Sprintf("add/N=%d", n), func(b *testing.B) {
			setup(b)
			_, kps := benchClients(b, CipherSuiteX25519ChaCha20, "newcomer", 1)
			res, err := bg.creator.Commit(CommitOptions{Adds: kps})
			if err != nil {
				b.Fatal(err)
			}
			benchStage(b, bg.bystander, res.Commit)
		})
		b.Run(fmt.Sprintf("remove/N=%d", n), func(b *testing.B) {
			setup(b)
			res, err := bg.creator.Commit(CommitOptions{Removes: []LeafIndex{LeafIndex(n - 1)}})
			if err != nil {
				b.Fatal(err)
			}
			benchStage(b, bg.bystander, res.Commit)
		})
	}
}

func benchStage(b *testing.B, g *Group, m *MLSMessage) {
	for b.Loop() {
		pm, err := g.Process(m)
		if err != nil || pm.Commit == nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGroupSelfUpdate creates a commit that refreshes the committer's path.
func BenchmarkGroupSelfUpdate(b *testing.B) {
	for _, n := range groupBenchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bg := newBenchGroup(b, n, groupTestConfig(5))
			for b.Loop() {
				if _, err := bg.bystander.Commit(CommitOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupApplicationMessage encrypts a 100-byte message and decrypts it at another
// member.
func BenchmarkGroupApplicationMessage(b *testing.B) {
	for _, n := range groupBenchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bg := newBenchGroup(b, n, groupTestConfig(6))
			payload := make([]byte, 100)
			for b.Loop() {
				m, err := bg.creator.Encrypt(payload, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bg.bystander.Process(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupState serializes and restores a member's state, which a client does after
// every message that changes it.
func BenchmarkGroupState(b *testing.B) {
	for _, n := range groupBenchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			bg := newBenchGroup(b, n, groupTestConfig(7))
			for b.Loop() {
				state, err := bg.bystander.MarshalBinary()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := UnmarshalGroup(groupTestConfig(7), state); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
