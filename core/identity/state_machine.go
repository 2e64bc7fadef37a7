package identity

import (
	"fmt"
)

// The association rules of XIP-46 as libxmtp enforces them (association_log.rs), in the
// same order, so that goxmtp accepts exactly the updates libxmtp accepts. Each function
// applies one verified action to st in place; the caller works on a copy and discards it on
// error, so an update applies entirely or not at all.

func applyCreateInbox(st *State, a action, sig verifiedSignature) (*State, error) {
	if st != nil {
		return nil, ErrMultipleCreate
	}
	if sig.signer != a.subject {
		return nil, ErrInitialSignerMismatch
	}
	if err := allowedSignature(a.subject.Kind, sig.kind); err != nil {
		return nil, err
	}
	if sig.kind == sigLegacyDelegated && a.nonce != 0 {
		return nil, fmt.Errorf("%w: create with nonce %d", ErrLegacySignatureMisuse, a.nonce)
	}
	inboxID, err := InboxID(a.subject, a.nonce)
	if err != nil {
		return nil, err
	}
	return newState(a.subject, inboxID, sig.chain()), nil
}

func applyAdd(st *State, a action, existing, added verifiedSignature, timestampNs uint64) error {
	if st == nil {
		return ErrNotCreated
	}
	if err := st.checkReplay(existing, added); err != nil {
		return err
	}
	if added.signer != a.subject {
		return ErrNewMemberSignerMismatch
	}
	if added.signer == existing.signer {
		return ErrAddSelf
	}
	if existing.signer.Kind != KindInstallation && (existing.kind == sigLegacyDelegated || added.kind == sigLegacyDelegated) {
		legacyInbox, err := InboxID(existing.signer, 0)
		if err != nil {
			return err
		}
		if st.inboxID != legacyInbox {
			return fmt.Errorf("%w: inbox was not created with nonce 0", ErrLegacySignatureMisuse)
		}
	}
	if err := allowedSignature(a.subject.Kind, added.kind); err != nil {
		return err
	}
	var addedBy MemberID
	if member, ok := st.members[existing.signer]; ok {
		if err := checkChain(member, existing); err != nil {
			return err
		}
		addedBy = member.ID
	} else {
		if existing.signer != st.recovery {
			return ErrUnknownExistingMember
		}
		if existing.kind == sigLegacyDelegated {
			return fmt.Errorf("%w: recovery identifier signing", ErrLegacySignatureMisuse)
		}
		addedBy = st.recovery
	}
	if err := allowedSignature(addedBy.Kind, existing.kind); err != nil {
		return err
	}
	if existing.signer.Kind == KindInstallation && a.subject.Kind == KindInstallation {
		return ErrInstallationAddsInstallation
	}
	ts := timestampNs
	st.members[added.signer] = Member{ID: added.signer, AddedBy: &addedBy, ClientTimestampNs: &ts, ChainID: added.chain()}
	return nil
}

func applyRevoke(st *State, a action, sig verifiedSignature) error {
	if err := st.checkRecoverySignature(sig); err != nil {
		return err
	}
	for id, m := range st.members {
		if id.Kind == KindInstallation && m.AddedBy != nil && *m.AddedBy == a.subject {
			delete(st.members, id)
		}
	}
	delete(st.members, a.subject)
	return nil
}

func applyChangeRecovery(st *State, a action, sig verifiedSignature) error {
	if err := st.checkRecoverySignature(sig); err != nil {
		return err
	}
	st.recovery = a.subject
	return nil
}

// checkRecoverySignature is what Revoke and ChangeRecovery share: a fresh signature, from
// the right chain, by the recovery identifier itself and never through a legacy key.
func (st *State) checkRecoverySignature(sig verifiedSignature) error {
	if st == nil {
		return ErrNotCreated
	}
	if err := st.checkReplay(sig); err != nil {
		return err
	}
	if member, ok := st.members[sig.signer]; ok {
		if err := checkChain(member, sig); err != nil {
			return err
		}
	}
	if sig.kind == sigLegacyDelegated {
		return fmt.Errorf("%w: recovery identifier signing", ErrLegacySignatureMisuse)
	}
	if sig.signer != st.recovery {
		return ErrNotRecoveryIdentifier
	}
	return nil
}

// checkReplay refuses signatures used by an earlier update. Signatures of the update being
// applied are recorded only once it is complete, so a wallet's one signature may serve
// both CreateInbox and AddAssociation in the same update.
func (st *State) checkReplay(sigs ...verifiedSignature) error {
	for _, s := range sigs {
		if _, ok := st.seen[string(s.raw)]; ok {
			return ErrReplay
		}
	}
	return nil
}

// allowedSignature matches a member's role with the signature kinds it can make.
func allowedSignature(role MemberKind, kind signatureKind) error {
	var ok bool
	switch role {
	case KindEthereum:
		ok = kind == sigERC191 || kind == sigERC1271 || kind == sigLegacyDelegated
	case KindInstallation:
		ok = kind == sigInstallationKey
	case KindPasskey:
		ok = kind == sigP256
	}
	if !ok {
		return fmt.Errorf("%w: %s signed by %s", ErrSignatureKindNotAllowed, role, kind)
	}
	return nil
}

// checkChain requires a member added from a chain to keep signing from it (and a member
// added without one to keep signing without one).
func checkChain(m Member, sig verifiedSignature) error {
	switch {
	case m.ChainID == nil && !sig.onChain:
		return nil
	case m.ChainID != nil && sig.onChain && *m.ChainID == sig.chainID:
		return nil
	}
	return ErrChainIDMismatch
}

// chain returns the signature's chain id, if it has one.
func (s verifiedSignature) chain() *uint64 {
	if !s.onChain {
		return nil
	}
	id := s.chainID
	return &id
}
