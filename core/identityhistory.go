package core

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/core/identity"
)

// identityHistory answers "which installations did this inbox have at sequence id n", the
// question behind every membership check: a group's membership extension pins each member
// inbox to a sequence id, and its tree must hold exactly the installations of that point of
// the inbox's log. The verified logs of the inbox directory hold the answers; only inboxes
// whose known log does not reach the pinned id are fetched, all in one batch.
type identityHistory struct {
	dir *inboxDirectory
}

func newIdentityHistory(d *inboxDirectory) *identityHistory {
	return &identityHistory{dir: d}
}

// latest returns the inbox's newest sequence id and its installations then, from the network.
func (h *identityHistory) latest(ctx context.Context, inboxID string) (uint64, [][]byte, error) {
	in, err := h.dir.inbox(ctx, inboxID)
	if err != nil {
		return 0, nil, err
	}
	return in.last(), in.state.Installations(), nil
}

// latestAll returns each inbox's newest sequence id, from the network.
func (h *identityHistory) latestAll(ctx context.Context, inboxIDs []string) (map[string]uint64, error) {
	got, err := h.dir.refresh(ctx, inboxIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]uint64, len(got))
	for id, in := range got {
		out[id] = in.last()
	}
	return out, nil
}

// stateAt returns the association state of inboxID after its update seq.
func (h *identityHistory) stateAt(ctx context.Context, inboxID string, seq uint64) (*identity.State, error) {
	got, err := h.statesAt(ctx, map[string]uint64{inboxID: seq})
	if err != nil {
		return nil, err
	}
	return got[inboxID], nil
}

// statesAt returns the association state of each inbox after the update it is pinned to.
func (h *identityHistory) statesAt(ctx context.Context, pinned map[string]uint64) (map[string]*identity.State, error) {
	out := make(map[string]*identity.State, len(pinned))
	var stale []string
	h.dir.mu.Lock()
	for id, seq := range pinned {
		in := h.dir.inboxes[id]
		if in == nil || in.last() < seq {
			stale = append(stale, id)
		} else if st, ok := in.at(seq); ok {
			out[id] = st
		}
	}
	h.dir.mu.Unlock()
	if len(stale) > 0 {
		got, err := h.dir.refresh(ctx, stale)
		if err != nil {
			return nil, err
		}
		for _, id := range stale {
			if st, ok := got[id].at(pinned[id]); ok {
				out[id] = st
			}
		}
	}
	if len(out) < len(pinned) {
		for _, id := range slices.Sorted(maps.Keys(pinned)) {
			if out[id] == nil {
				return nil, fmt.Errorf("%w: %s has no identity update %d", ErrMembershipMismatch, id, pinned[id])
			}
		}
	}
	return out, nil
}
