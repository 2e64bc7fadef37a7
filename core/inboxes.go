package core

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/mls/parallel"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// inboxDirectory answers identity questions from the network: which inbox a wallet owns,
// and an inbox's verified log and association state. Logs only grow, so it keeps each one it
// has verified and fetches only what came after.
type inboxDirectory struct {
	api       api.API
	validator identity.Validator

	mu      sync.Mutex
	inboxes map[string]*verifiedInbox
}

// verifiedInbox is an inbox log replayed and checked up to its last entry, with the state
// after each entry: a group pins each member to a sequence id, and answering "which
// installations then" must not replay (and re-verify the signatures of) the log each time.
// It is never modified once stored.
type verifiedInbox struct {
	seqs   []uint64          // the log's sequence ids, increasing
	states []*identity.State // states[i] is the association state after update seqs[i]
	state  *identity.State   // the newest state, states[len(states)-1]
}

func (v *verifiedInbox) last() uint64 { return v.seqs[len(v.seqs)-1] }

// at returns the state after the update with sequence id seq, if the log has one.
func (v *verifiedInbox) at(seq uint64) (*identity.State, bool) {
	i, found := slices.BinarySearch(v.seqs, seq)
	if !found {
		return nil, false
	}
	return v.states[i], true
}

// Identity lookups of many inboxes (a group's members) go in chunks of identityUpdatesChunk
// inboxes per GetIdentityUpdates (libxmtp's GET_IDENTITY_UPDATES_CHUNK_SIZE), with at most
// lookupConcurrency requests in flight: one round trip per member would make joining or
// creating a large group cost hundreds of them.
const (
	identityUpdatesChunk = 50
	lookupConcurrency    = 4
)

func newInboxDirectory(a api.API, v identity.Validator) *inboxDirectory {
	return &inboxDirectory{api: a, validator: v, inboxes: map[string]*verifiedInbox{}}
}

// identifierKind is the wire kind of an identifier that can own an inbox.
func identifierKind(m identity.MemberID) associations.IdentifierKind {
	if m.Kind == identity.KindPasskey {
		return associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY
	}
	return associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM
}

// inboxIDs looks up the inbox each identifier is associated with; identifiers without one
// are absent from the result.
func (d *inboxDirectory) inboxIDs(ctx context.Context, members []identity.MemberID) (map[identity.MemberID]string, error) {
	req := &identityv1.GetInboxIdsRequest{}
	for _, m := range members {
		req.Requests = append(req.Requests, &identityv1.GetInboxIdsRequest_Request{
			Identifier:     m.String(),
			IdentifierKind: identifierKind(m),
		})
	}
	resp, err := d.api.GetInboxIds(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up inbox ids: %w", err)
	}
	byIdentifier := map[string]string{}
	for _, r := range resp.GetResponses() {
		if r.InboxId != nil && *r.InboxId != "" {
			byIdentifier[r.GetIdentifier()] = r.GetInboxId()
		}
	}
	out := map[identity.MemberID]string{}
	for _, m := range members {
		if id, ok := byIdentifier[m.String()]; ok {
			out[m] = id
		}
	}
	return out, nil
}

// inbox returns the inbox's log and state, verified, including every update the node has.
func (d *inboxDirectory) inbox(ctx context.Context, inboxID string) (*verifiedInbox, error) {
	got, err := d.refresh(ctx, []string{inboxID})
	if err != nil {
		return nil, err
	}
	return got[inboxID], nil
}

// refresh brings the logs of inboxIDs up to date with the node and returns each verified:
// what is new is fetched in chunks and verified on every CPU. When an inbox fails, the error
// is that of the first failing inbox id in sorted order, and the inboxes verified are still
// kept.
func (d *inboxDirectory) refresh(ctx context.Context, inboxIDs []string) (map[string]*verifiedInbox, error) {
	ids := slices.Compact(slices.Sorted(slices.Values(inboxIDs)))
	pos := make(map[string]int, len(ids))
	known := make([]*verifiedInbox, len(ids))
	d.mu.Lock()
	for i, id := range ids {
		pos[id], known[i] = i, d.inboxes[id]
	}
	d.mu.Unlock()
	updates := make([][]*identityv1.GetIdentityUpdatesResponse_IdentityUpdateLog, len(ids))
	chunks := (len(ids) + identityUpdatesChunk - 1) / identityUpdatesChunk
	err := parallel.ForEach(chunks, lookupConcurrency, func(k int) error {
		lo, hi := k*identityUpdatesChunk, min((k+1)*identityUpdatesChunk, len(ids))
		req := &identityv1.GetIdentityUpdatesRequest{}
		for i := lo; i < hi; i++ {
			var after uint64
			if known[i] != nil {
				after = known[i].last()
			}
			req.Requests = append(req.Requests, &identityv1.GetIdentityUpdatesRequest_Request{InboxId: ids[i], SequenceId: after})
		}
		resp, err := d.api.GetIdentityUpdates(ctx, req)
		if err != nil {
			if hi-lo == 1 {
				return fmt.Errorf("fetch identity updates of %s: %w", ids[lo], err)
			}
			return fmt.Errorf("fetch identity updates of %d inboxes: %w", hi-lo, err)
		}
		for _, r := range resp.GetResponses() {
			if i, ok := pos[r.GetInboxId()]; ok && i >= lo && i < hi {
				updates[i] = append(updates[i], r.GetUpdates()...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	verified := make([]*verifiedInbox, len(ids))
	err = parallel.ForEach(len(ids), parallel.CPUs(), func(i int) (err error) {
		verified[i], err = d.verify(ctx, ids[i], known[i], updates[i])
		return err
	})
	out := make(map[string]*verifiedInbox, len(ids))
	d.mu.Lock()
	for i, v := range verified {
		if v == nil {
			continue
		}
		if cur := d.inboxes[ids[i]]; cur == nil || cur.last() < v.last() {
			d.inboxes[ids[i]] = v // unless a concurrent refresh got further
		}
		out[ids[i]] = v
	}
	d.mu.Unlock()
	return out, err
}

// verify extends a verified log (nil for an inbox not seen yet) with the updates the node
// returned after it.
func (d *inboxDirectory) verify(ctx context.Context, inboxID string, known *verifiedInbox, updates []*identityv1.GetIdentityUpdatesResponse_IdentityUpdateLog) (*verifiedInbox, error) {
	if len(updates) == 0 {
		if known == nil {
			return nil, fmt.Errorf("%w: %s", ErrInboxNotFound, inboxID)
		}
		return known, nil
	}
	next := &verifiedInbox{}
	var st *identity.State
	if known != nil {
		next.seqs, next.states, st = slices.Clone(known.seqs), slices.Clone(known.states), known.state
	}
	for _, u := range updates {
		if len(next.seqs) > 0 && u.GetSequenceId() <= next.last() {
			return nil, fmt.Errorf("identity updates of %s: sequence ids out of order", inboxID)
		}
		var err error
		if st, err = d.validator.Apply(ctx, st, u.GetUpdate()); err != nil {
			return nil, fmt.Errorf("identity update %d of %s: %w", u.GetSequenceId(), inboxID, err)
		}
		next.seqs, next.states = append(next.seqs, u.GetSequenceId()), append(next.states, st)
	}
	if st.InboxID() != inboxID {
		return nil, fmt.Errorf("identity updates of %s describe inbox %s", inboxID, st.InboxID())
	}
	next.state = st
	return next, nil
}

// CanMessage reports, for each wallet address, whether it has an XMTP inbox.
func (c *Client) CanMessage(ctx context.Context, addresses []string) (map[string]bool, error) {
	members := make([]identity.MemberID, 0, len(addresses))
	for _, a := range addresses {
		norm, err := identity.NormalizeAddress(a)
		if err != nil {
			return nil, err
		}
		members = append(members, identity.EthereumMember(norm))
	}
	found, err := c.inboxes.inboxIDs(ctx, members)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(addresses))
	for i, a := range addresses {
		_, ok := found[members[i]]
		out[a] = ok
	}
	return out, nil
}

// InboxIDFor returns the inbox a wallet address belongs to, if it has one.
func (c *Client) InboxIDFor(ctx context.Context, address string) (string, bool, error) {
	norm, err := identity.NormalizeAddress(address)
	if err != nil {
		return "", false, err
	}
	m := identity.EthereumMember(norm)
	found, err := c.inboxes.inboxIDs(ctx, []identity.MemberID{m})
	if err != nil {
		return "", false, err
	}
	id, ok := found[m]
	return id, ok, nil
}

// InboxState returns an inbox's current association state (wallets, installations, recovery
// address), verified from its whole log.
func (c *Client) InboxState(ctx context.Context, inboxID string) (*identity.State, error) {
	in, err := c.inboxes.inbox(ctx, inboxID)
	if err != nil {
		return nil, err
	}
	return in.state, nil
}
