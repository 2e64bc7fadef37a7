package identity

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	"google.golang.org/protobuf/proto"
)

// MaxInboxUpdates is the most updates an inbox's log may hold. XMTP's node refuses the 257th
// ("inbox log is full"); every client replays the whole log, so the bound is part of the
// protocol. The limit of installations per inbox is not here: it is the registering
// client's rule, and the state machine accepts any history libxmtp accepts.
const MaxInboxUpdates = 256

// Validator verifies identity updates and applies them to association states. Its zero
// value is ready to use and refuses smart-contract wallet signatures.
type Validator struct {
	// SmartContracts checks contract-wallet signatures; nil refuses them with
	// ErrNoSmartContractVerifier.
	SmartContracts SmartContractVerifier
}

// Replay validates an inbox's whole log, oldest first, and returns the resulting state.
func (v Validator) Replay(ctx context.Context, log []*associations.IdentityUpdate) (*State, error) {
	var st *State
	for i, u := range log {
		next, err := v.Apply(ctx, st, u)
		if err != nil {
			return nil, fmt.Errorf("inbox log update %d: %w", i, err)
		}
		st = next
	}
	if st == nil {
		return nil, ErrNotCreated
	}
	return st, nil
}

// Apply verifies the update's signatures and applies its actions to st (nil for an inbox
// that does not exist yet), returning the new state. st itself is left unchanged.
//
// libxmtp verifies every signature before applying any action. Since any failure rejects
// the whole update, verifying each action's signatures just before applying it accepts
// exactly the same updates, and a hostile update stops costing work at its first bad action.
func (v Validator) Apply(ctx context.Context, st *State, u *associations.IdentityUpdate) (*State, error) {
	if st != nil && st.updates >= MaxInboxUpdates {
		return nil, fmt.Errorf("%w: %d updates", ErrInboxLogFull, st.updates)
	}
	p, err := parseUpdate(u, true)
	if err != nil {
		return nil, err
	}
	sv := signatureVerifier{text: p.signatureText(), scw: v.SmartContracts, done: map[string]verifiedSignature{}}
	next := st
	if st != nil {
		next = st.clone()
	}
	for i, a := range p.actions {
		sigs, err := sv.verify(ctx, a.signatures)
		if err != nil {
			return nil, fmt.Errorf("action %d: %w", i, err)
		}
		if next, err = applyAction(next, a, sigs, p.timestampNs); err != nil {
			return nil, fmt.Errorf("action %d: %w", i, err)
		}
	}
	if next == nil {
		return nil, ErrNotCreated
	}
	if next.inboxID != p.inboxID {
		return nil, ErrWrongInboxID
	}
	for _, s := range sv.done {
		next.seen[string(s.raw)] = struct{}{}
	}
	next.updates++
	return next, nil
}

// signatureVerifier verifies the signatures of one update over its text. A signature that
// appears twice (a registration's wallet signature serves CreateInbox and AddAssociation) is
// verified once: recovery costs milliseconds in js/wasm.
type signatureVerifier struct {
	text string
	scw  SmartContractVerifier
	done map[string]verifiedSignature // by the signature's deterministic encoding
}

func (sv *signatureVerifier) verify(ctx context.Context, sigs []*associations.Signature) ([]verifiedSignature, error) {
	out := make([]verifiedSignature, 0, len(sigs))
	for _, s := range sigs {
		key, err := proto.MarshalOptions{Deterministic: true}.Marshal(s)
		if err != nil {
			return nil, fmt.Errorf("signature: %w", err)
		}
		vs, ok := sv.done[string(key)]
		if !ok {
			if vs, err = verifySignature(ctx, sv.text, s, sv.scw); err != nil {
				return nil, err
			}
			sv.done[string(key)] = vs
		}
		out = append(out, vs)
	}
	return out, nil
}

// applyAction dispatches one action to its rule.
func applyAction(st *State, a action, sigs []verifiedSignature, timestampNs uint64) (*State, error) {
	switch a.kind {
	case actionCreateInbox:
		return applyCreateInbox(st, a, sigs[0])
	case actionAdd:
		return st, applyAdd(st, a, sigs[0], sigs[1], timestampNs)
	case actionRevoke:
		return st, applyRevoke(st, a, sigs[0])
	case actionChangeRecovery:
		return st, applyChangeRecovery(st, a, sigs[0])
	}
	return nil, fmt.Errorf("identity action: %w", ErrMissingField)
}
