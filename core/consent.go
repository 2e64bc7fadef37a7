package core

import (
	"context"
	"fmt"
	"slices"

	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
)

// ConsentState is whether the user wants a conversation: the DB values of libxmtp
// (xmtp-protocol.md §3.7), which the JS boundary maps to its own enum.
type ConsentState uint8

const (
	ConsentUnknown ConsentState = 0
	ConsentAllowed ConsentState = 1
	ConsentDenied  ConsentState = 2
)

func consentIn(s ConsentState, states []ConsentState) bool {
	return len(states) == 0 || slices.Contains(states, s)
}

// ConsentState is the user's consent to the conversation: Allowed for groups this inbox
// created or sent to, Unknown for groups others added it to until the user decides.
func (g *Group) ConsentState() ConsentState {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.Consent
}

// UpdateConsentState records the user's decision. Messages of denied conversations are still
// received and stored; apps hide them.
func (g *Group) UpdateConsentState(ctx context.Context, s ConsentState) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	rec := *g.rec
	rec.Consent = s
	if err := g.save(ctx, g.mls, &rec, nil); err != nil {
		return err
	}
	g.c.consent.publish(ConsentChange{GroupID: clone(g.id), State: s})
	return nil
}

// Consent to inboxes is kept in tableConsent, keyed by consentInboxKey: an app hides the
// conversations an inbox it denied added it to (AddedByInboxID), and allows the ones it trusts.
// Records are local; the node never sees them.

// consentTypeInbox is libxmtp's ConsentType InboxId, the first byte of a consent key.
const consentTypeInbox = 2

const consentRecordVersion = 1

func consentInboxKey(inboxID string) []byte {
	return append([]byte{consentTypeInbox}, inboxID...)
}

// InboxConsent returns the user's consent to an inbox (Unknown when never set).
func (c *Client) InboxConsent(ctx context.Context, inboxID string) (ConsentState, error) {
	b, found, err := c.opts.Store.Get(ctx, tableConsent, consentInboxKey(inboxID))
	if err != nil {
		return ConsentUnknown, fmt.Errorf("consent: %w", err)
	}
	if !found {
		return ConsentUnknown, nil
	}
	st, _, err := decodeConsentRecord(b)
	return st, err
}

// SetInboxConsent records the user's consent to an inbox.
func (c *Client) SetInboxConsent(ctx context.Context, inboxID string, s ConsentState) error {
	var ch store.Changes
	ch.Put(tableConsent, consentInboxKey(inboxID), encodeConsentRecord(s, uint64(c.opts.Now().UnixNano())))
	if err := c.opts.Store.Apply(ctx, ch); err != nil {
		return fmt.Errorf("consent: %w", err)
	}
	c.consent.publish(ConsentChange{InboxID: inboxID, State: s})
	return nil
}

func encodeConsentRecord(s ConsentState, updatedAtNs uint64) []byte {
	e := mls.NewEncoder(10)
	e.U8(consentRecordVersion)
	e.U8(uint8(s))
	e.U64(updatedAtNs)
	return e.Bytes()
}

func decodeConsentRecord(b []byte) (ConsentState, uint64, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != consentRecordVersion {
		return 0, 0, fmt.Errorf("%w: consent record version %d", ErrCorruptRecord, v)
	}
	s, at := ConsentState(d.U8()), d.U64()
	if err := d.Finish(); err != nil {
		return 0, 0, ErrCorruptRecord.Wrap(fmt.Errorf("consent record: %w", err))
	}
	return s, at, nil
}
