package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/identity"
)

// identityHistory answers "which installations did this inbox have at sequence id n", the
// question behind every membership check: a group's membership extension pins each member
// inbox to a sequence id, and its tree must hold exactly the installations of that point of
// the inbox's log. Answers never change, so they are cached.
type identityHistory struct {
	dir *inboxDirectory

	mu    sync.Mutex
	cache map[inboxAt]*identity.State
}

type inboxAt struct {
	inbox string
	seq   uint64
}

func newIdentityHistory(d *inboxDirectory) *identityHistory {
	return &identityHistory{dir: d, cache: map[inboxAt]*identity.State{}}
}

// latest returns the inbox's newest sequence id and its installations then, from the network.
func (h *identityHistory) latest(ctx context.Context, inboxID string) (uint64, [][]byte, error) {
	in, err := h.dir.inbox(ctx, inboxID)
	if err != nil {
		return 0, nil, err
	}
	seq := in.log[len(in.log)-1].SequenceID
	h.mu.Lock()
	h.cache[inboxAt{inboxID, seq}] = in.state
	h.mu.Unlock()
	return seq, in.state.Installations(), nil
}

// lookupConcurrency bounds the identity lookups latestAll runs at once: adding a hundred
// inboxes should not cost a hundred sequential round trips, nor open a hundred requests.
const lookupConcurrency = 8

// latestAll is latest for several inboxes, looked up concurrently; it returns each inbox's
// newest sequence id.
func (h *identityHistory) latestAll(ctx context.Context, inboxIDs []string) (map[string]uint64, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		out   = make(map[string]uint64, len(inboxIDs))
		slots = make(chan struct{}, lookupConcurrency)
	)
	for _, id := range inboxIDs {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			seq, _, err := h.latest(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
			}
			out[id] = seq
		}()
	}
	wg.Wait()
	return out, first
}

// installationsAt returns the installations of inboxID after applying its log up to seq.
func (h *identityHistory) installationsAt(ctx context.Context, inboxID string, seq uint64) ([][]byte, error) {
	st, err := h.stateAt(ctx, inboxID, seq)
	if err != nil {
		return nil, err
	}
	return st.Installations(), nil
}

// stateAt returns the association state of inboxID after applying its log up to seq,
// fetching the log only when the cached one does not reach seq.
func (h *identityHistory) stateAt(ctx context.Context, inboxID string, seq uint64) (*identity.State, error) {
	key := inboxAt{inboxID, seq}
	h.mu.Lock()
	got, ok := h.cache[key]
	h.mu.Unlock()
	if ok {
		return got, nil
	}
	h.dir.mu.Lock()
	in := h.dir.inboxes[inboxID]
	h.dir.mu.Unlock()
	if in == nil || in.log[len(in.log)-1].SequenceID < seq {
		var err error
		if in, err = h.dir.inbox(ctx, inboxID); err != nil {
			return nil, err
		}
	}
	var st *identity.State
	found := false
	for _, e := range in.log {
		if e.SequenceID > seq {
			break
		}
		var err error
		if st, err = h.dir.validator.Apply(ctx, st, e.Update); err != nil {
			return nil, fmt.Errorf("replay identity of %s to %d: %w", inboxID, seq, err)
		}
		found = e.SequenceID == seq
	}
	if !found {
		return nil, fmt.Errorf("%w: %s has no identity update %d", ErrMembershipMismatch, inboxID, seq)
	}
	h.mu.Lock()
	h.cache[key] = st
	h.mu.Unlock()
	return st, nil
}
