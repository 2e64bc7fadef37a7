package mls

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestGroupRandomOperations runs a random sequence of adds, removes, self-updates, updates by
// proposal, restarts from stored state and messages, so that trees with blanks, unmerged
// leaves and truncation arise, and checks after every commit that all members agree and can
// talk.
func TestGroupRandomOperations(t *testing.T) {
	steps := 60
	if testing.Short() {
		steps = 20
	}
	rng := rand.New(rand.NewPCG(1, 2))
	members := newTestGroupOf(t, 3, seededConfig)
	next := 0
	pick := func() *Group { return members[rng.IntN(len(members))] }
	others := func(g *Group) []*Group {
		var out []*Group
		for _, m := range members {
			if m != g {
				out = append(out, m)
			}
		}
		return out
	}
	for step := range steps {
		committer := pick()
		var opts CommitOptions
		var joiners []*groupTestClient
		switch op := rng.IntN(4); {
		case op == 0 || len(members) < 3:
			for range 1 + rng.IntN(3) {
				next++
				c := newGroupTestClient(t, committer.CipherSuite(), fmt.Sprintf("random-%d", next))
				joiners = append(joiners, c)
				opts.Adds = append(opts.Adds, c.bundle.KeyPackage)
			}
		case op == 1:
			victim := pick()
			if victim == committer {
				continue
			}
			opts.Removes = []LeafIndex{victim.OwnLeafIndex()}
		case op == 2:
			proposer := pick()
			if proposer == committer {
				continue
			}
			msg, _, err := proposer.ProposeSelfUpdate()
			if err != nil {
				t.Fatal(err)
			}
			deliver(t, msg, others(proposer)...)
		}
		res := commitAndMerge(t, committer, opts)
		var kept []*Group
		for k, pm := range deliver(t, res.Commit, others(committer)...) {
			if !pm.Commit.SelfRemoved {
				kept = append(kept, others(committer)[k])
			}
		}
		members = append(kept, committer)
		for k, c := range joiners {
			// Every member needs its own randomness: two members drawing the same path
			// secrets would make the same keys, which the tree rightly refuses.
			g, err := JoinGroup(groupTestConfig(uint64(1000+10*step+k)), viaWire(t, res.Welcome).Welcome, JoinOptions{KeyPackage: c.bundle, SignaturePrivateKey: c.sigPriv})
			if err != nil {
				t.Fatalf("step %d: %s joins: %v", step, c.name, err)
			}
			members = append(members, g)
		}
		sameEpoch(t, members...)
		// A member restarts from its stored state.
		k := rng.IntN(len(members))
		state, err := members[k].MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if members[k], err = UnmarshalGroup(groupTestConfig(uint64(5000+step)), state); err != nil {
			t.Fatalf("step %d: restore: %v", step, err)
		}
		sender := pick()
		msg, err := sender.Encrypt([]byte(fmt.Sprintf("step %d", step)), nil)
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, msg, others(sender)...)
	}
}
