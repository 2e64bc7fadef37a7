package mls

import (
	"bytes"
	"errors"
	"testing"
)

// TestGroupStateRoundTrip restores members from their serialized state in the middle of a
// conversation, with proposals pending and past epochs kept, and checks that they carry on.
func TestGroupStateRoundTrip(t *testing.T) {
	gs := newTestGroupOf(t, 3, seededConfig)
	a, b, c := gs[0], gs[1], gs[2]
	late, err := a.Encrypt([]byte("late"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = b.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	prop, _, err := b.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, prop, a, c)
	res := commitAndMerge(t, c, CommitOptions{})
	deliver(t, res.Commit, a)

	restore := func(g *Group, i int) *Group {
		t.Helper()
		state, err := g.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		r, err := UnmarshalGroup(seededConfig(i), state)
		if err != nil {
			t.Fatal(err)
		}
		again, err := r.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(state, again) {
			t.Fatal("state does not re-encode to the same bytes")
		}
		return r
	}
	a, b = restore(a, 0), restore(b, 1)
	deliver(t, res.Commit, b)
	sameEpoch(t, a, b, c)
	if pm := deliver(t, late, b)[0]; string(pm.ApplicationData) != "late" {
		t.Fatal("late message from a past epoch lost in the round trip")
	}
	msg, err := b.Encrypt([]byte("after"), nil)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, msg, a, c)
}

func TestUnmarshalGroupErrors(t *testing.T) {
	g := newTestGroupOf(t, 2, seededConfig)[1]
	state, err := g.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(state)
	bad[0] = 9
	if _, err := UnmarshalGroup(GroupConfig{}, bad); !errors.Is(err, ErrGroupStateVersion) {
		t.Errorf("version: %v", err)
	}
	if _, err := UnmarshalGroup(GroupConfig{}, state[:len(state)-3]); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated: %v", err)
	}
	bad = bytes.Clone(state)
	bad[len(bad)-9] = 7 // the end reason
	if _, err := UnmarshalGroup(GroupConfig{}, bad); !errors.Is(err, ErrGroupState) {
		t.Errorf("end reason: %v", err)
	}
}

func FuzzUnmarshalGroup(f *testing.F) {
	gs := newTestGroupOf(f, 2, seededConfig)
	for _, g := range gs {
		state, err := g.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(state)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := UnmarshalGroup(GroupConfig{}, b)
		if err != nil {
			return
		}
		if _, err := g.MarshalBinary(); err != nil {
			t.Fatal(err)
		}
	})
}
