package mls

import "testing"

// FuzzGroupProcess feeds arbitrary bytes to a member as messages of its group: whatever they
// decode to, Process must refuse or accept them without panicking. The seeds are an
// application message, a proposal and commits with and without a path, in both framings, so
// that mutations reach the proposal-list and commit checks.
func FuzzGroupProcess(f *testing.F) {
	plain := func(i int) GroupConfig {
		cfg := seededConfig(i)
		cfg.WireFormat = MixedPlaintext
		return cfg
	}
	gs := newTestGroupOf(f, 3, plain)
	a, b := gs[0], gs[1]
	state, err := b.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	add := func(m *MLSMessage, err error) {
		if err != nil {
			f.Fatal(err)
		}
		f.Add(m.Encode())
	}
	add(a.Encrypt([]byte("hello"), []byte("aad")))
	proposal, _, err := a.Propose(RemoveProposal{Removed: 2})
	add(proposal, err)
	for _, opts := range []CommitOptions{{SkipPending: true}, {Removes: []LeafIndex{2}}, {Adds: []KeyPackage{newGroupTestClient(f, a.CipherSuite(), "fuzz").bundle.KeyPackage}}} {
		res, err := a.Commit(opts)
		if err != nil {
			f.Fatal(err)
		}
		add(res.Commit, nil)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeMLSMessage(data)
		if err != nil {
			return
		}
		g, err := UnmarshalGroup(plain(1), state)
		if err != nil {
			t.Fatal(err)
		}
		pm, err := g.Process(&m)
		if err == nil && pm.Commit != nil {
			if err := g.Merge(pm.Commit); err != nil {
				t.Fatal(err)
			}
		}
	})
}
