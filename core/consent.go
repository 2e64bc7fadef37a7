package core

import (
	"context"
	"slices"
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
	return g.save(ctx, g.mls, &rec, nil)
}
