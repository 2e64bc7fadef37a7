package node

import (
	"context"
	"fmt"
	"sync"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// maxCachedStates bounds the association states kept between publishes; past it the cache
// starts over, so memory stays flat however many inboxes publish.
const maxCachedStates = 10000

// identityChecker validates identity updates with core/identity (the XIP-46 association
// rules and every signature) against an inbox's stored log. It remembers the state each
// inbox's log leads to, so a publish verifies only the new update, not the whole log again.
type identityChecker struct {
	validator identity.Validator
	mu        sync.Mutex
	states    map[string]cachedState
}

// cachedState is an inbox's state after the log entry with sequence id seq.
type cachedState struct {
	seq uint64
	st  *identity.State
}

func newIdentityChecker() *identityChecker {
	return &identityChecker{states: make(map[string]cachedState)}
}

// check applies u to the state the stored log leads to. It returns the new state, to
// remember once the update is stored, and the wallets and passkeys u links to or unlinks
// from the inbox. Rule violations come back as *rejectedUpdate.
func (c *identityChecker) check(ctx context.Context, inboxID string, log []IdentityLogEntry, u *associations.IdentityUpdate) (*identity.State, []IdentifierChange, error) {
	prev, err := c.stateOf(ctx, inboxID, log)
	if err != nil {
		return nil, nil, err
	}
	next, err := c.validator.Apply(ctx, prev, u)
	if err != nil {
		return nil, nil, &rejectedUpdate{err}
	}
	return next, identifierChanges(prev, next), nil
}

// stateOf returns the state the stored log leads to, nil for an inbox with no log.
func (c *identityChecker) stateOf(ctx context.Context, inboxID string, log []IdentityLogEntry) (*identity.State, error) {
	if len(log) == 0 {
		return nil, nil
	}
	last := log[len(log)-1].SequenceID
	c.mu.Lock()
	cached, ok := c.states[inboxID]
	c.mu.Unlock()
	if ok && cached.seq == last {
		return cached.st, nil
	}
	updates := make([]*associations.IdentityUpdate, len(log))
	for i, e := range log {
		updates[i] = new(associations.IdentityUpdate)
		if err := proto.Unmarshal(e.Update, updates[i]); err != nil {
			return nil, fmt.Errorf("stored identity update %d: %w", e.SequenceID, err)
		}
	}
	st, err := c.validator.Replay(ctx, updates)
	if err != nil {
		return nil, fmt.Errorf("replay stored log of inbox %s: %w", inboxID, err)
	}
	c.remember(inboxID, last, st)
	return st, nil
}

// remember records st as the state after the inbox's log entry seq.
func (c *identityChecker) remember(inboxID string, seq uint64, st *identity.State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.states) >= maxCachedStates {
		clear(c.states)
	}
	c.states[inboxID] = cachedState{seq: seq, st: st}
}

// identifierChanges lists the wallets and passkeys next has and prev had not (linked), and
// those prev had and next has not (unlinked). Installations are not looked up by identifier.
func identifierChanges(prev, next *identity.State) []IdentifierChange {
	had := map[identity.MemberID]bool{}
	if prev != nil {
		for _, m := range prev.Members() {
			had[m.ID] = true
		}
	}
	var changes []IdentifierChange
	for _, m := range next.Members() {
		if kind, ok := identifierKind(m.ID); ok && !had[m.ID] {
			changes = append(changes, IdentifierChange{Kind: kind, Identifier: m.ID.String()})
		}
		delete(had, m.ID)
	}
	for id := range had {
		if kind, ok := identifierKind(id); ok {
			changes = append(changes, IdentifierChange{Kind: kind, Identifier: id.String(), Revoked: true})
		}
	}
	return changes
}

func identifierKind(id identity.MemberID) (int32, bool) {
	switch id.Kind {
	case identity.KindEthereum:
		return int32(associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM), true
	case identity.KindPasskey:
		return int32(associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY), true
	}
	return 0, false
}
