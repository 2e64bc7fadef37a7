package identity

import (
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// actionKind is which of the four identity actions an action is.
type actionKind uint8

const (
	actionCreateInbox actionKind = iota + 1
	actionAdd
	actionRevoke
	actionChangeRecovery
)

// action is an identity action read from the wire, before its signatures are checked.
// subject is the member the action is about: the owner of a new inbox, the member added or
// revoked, or the new recovery identifier.
type action struct {
	kind    actionKind
	subject MemberID
	nonce   uint64
	// signatures in the order the rules use them: CreateInbox [initial], AddAssociation
	// [existing member, new member], Revoke and ChangeRecovery [recovery].
	signatures []*associations.Signature
}

// update is an IdentityUpdate read from the wire.
type update struct {
	inboxID     string
	timestampNs uint64
	actions     []action
}

// parseUpdate reads an IdentityUpdate. Signatures may be absent only while an update is being
// built (its text is computed before anyone signs); validation requires them.
func parseUpdate(u *associations.IdentityUpdate, needSignatures bool) (*update, error) {
	p := &update{inboxID: u.GetInboxId(), timestampNs: u.GetClientTimestampNs(), actions: make([]action, 0, len(u.GetActions()))}
	for i, a := range u.GetActions() {
		parsed, err := parseAction(a)
		if err != nil {
			return nil, fmt.Errorf("action %d: %w", i, err)
		}
		if needSignatures {
			for _, s := range parsed.signatures {
				if s.GetSignature() == nil {
					return nil, fmt.Errorf("action %d: signature: %w", i, ErrMissingField)
				}
			}
		}
		p.actions = append(p.actions, parsed)
	}
	return p, nil
}

func parseAction(a *associations.IdentityAction) (action, error) {
	switch k := a.GetKind().(type) {
	case *associations.IdentityAction_CreateInbox:
		owner, err := identifierFromProto(k.CreateInbox.GetInitialIdentifier(), k.CreateInbox.GetInitialIdentifierKind())
		if err != nil {
			return action{}, fmt.Errorf("create inbox: %w", err)
		}
		return action{kind: actionCreateInbox, subject: owner, nonce: k.CreateInbox.GetNonce(),
			signatures: []*associations.Signature{k.CreateInbox.GetInitialIdentifierSignature()}}, nil
	case *associations.IdentityAction_Add:
		member, err := memberFromProto(k.Add.GetNewMemberIdentifier())
		if err != nil {
			return action{}, fmt.Errorf("add association: %w", err)
		}
		return action{kind: actionAdd, subject: member,
			signatures: []*associations.Signature{k.Add.GetExistingMemberSignature(), k.Add.GetNewMemberSignature()}}, nil
	case *associations.IdentityAction_Revoke:
		member, err := memberFromProto(k.Revoke.GetMemberToRevoke())
		if err != nil {
			return action{}, fmt.Errorf("revoke association: %w", err)
		}
		return action{kind: actionRevoke, subject: member,
			signatures: []*associations.Signature{k.Revoke.GetRecoveryIdentifierSignature()}}, nil
	case *associations.IdentityAction_ChangeRecoveryAddress:
		c := k.ChangeRecoveryAddress
		recovery, err := identifierFromProto(c.GetNewRecoveryIdentifier(), c.GetNewRecoveryIdentifierKind())
		if err != nil {
			return action{}, fmt.Errorf("change recovery address: %w", err)
		}
		return action{kind: actionChangeRecovery, subject: recovery,
			signatures: []*associations.Signature{c.GetExistingRecoveryIdentifierSignature()}}, nil
	}
	return action{}, fmt.Errorf("identity action: %w", ErrMissingField)
}
