package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
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

// verifiedInbox is an inbox log replayed and checked up to its last entry.
type verifiedInbox struct {
	log   []identity.LogEntry
	state *identity.State
}

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
	d.mu.Lock()
	known := d.inboxes[inboxID]
	d.mu.Unlock()
	var after uint64
	if known != nil {
		after = known.log[len(known.log)-1].SequenceID
	}
	resp, err := d.api.GetIdentityUpdates(ctx, &identityv1.GetIdentityUpdatesRequest{
		Requests: []*identityv1.GetIdentityUpdatesRequest_Request{{InboxId: inboxID, SequenceId: after}},
	})
	if err != nil {
		return nil, fmt.Errorf("fetch identity updates of %s: %w", inboxID, err)
	}
	var updates []*identityv1.GetIdentityUpdatesResponse_IdentityUpdateLog
	for _, r := range resp.GetResponses() {
		if r.GetInboxId() == inboxID {
			updates = append(updates, r.GetUpdates()...)
		}
	}
	if known == nil && len(updates) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrInboxNotFound, inboxID)
	}
	next := &verifiedInbox{}
	var st *identity.State
	if known != nil {
		next.log, st = append(next.log, known.log...), known.state
	}
	for _, u := range updates {
		if len(next.log) > 0 && u.GetSequenceId() <= next.log[len(next.log)-1].SequenceID {
			return nil, fmt.Errorf("identity updates of %s: sequence ids out of order", inboxID)
		}
		if st, err = d.validator.Apply(ctx, st, u.GetUpdate()); err != nil {
			return nil, fmt.Errorf("identity update %d of %s: %w", u.GetSequenceId(), inboxID, err)
		}
		next.log = append(next.log, identity.LogEntry{SequenceID: u.GetSequenceId(), Update: u.GetUpdate()})
	}
	if st.InboxID() != inboxID {
		return nil, fmt.Errorf("identity updates of %s describe inbox %s", inboxID, st.InboxID())
	}
	next.state = st
	d.mu.Lock()
	d.inboxes[inboxID] = next
	d.mu.Unlock()
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
