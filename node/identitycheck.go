package node

import (
	"context"
	"encoding/hex"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// checkIdentityUpdate decides whether u may follow the inbox's stored log and which
// identifiers it links or unlinks.
func checkIdentityUpdate(_ context.Context, _ []IdentityLogEntry, u *associations.IdentityUpdate) ([]IdentifierChange, error) {
	var changes []IdentifierChange
	for _, a := range u.GetActions() {
		switch {
		case a.GetCreateInbox() != nil:
			c := a.GetCreateInbox()
			kind := c.GetInitialIdentifierKind()
			if kind == associations.IdentifierKind_IDENTIFIER_KIND_UNSPECIFIED {
				kind = associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM
			}
			changes = append(changes, IdentifierChange{Kind: int32(kind), Identifier: c.GetInitialIdentifier()})
		case a.GetAdd() != nil:
			if c, ok := identifierOf(a.GetAdd().GetNewMemberIdentifier()); ok {
				changes = append(changes, c)
			}
		case a.GetRevoke() != nil:
			if c, ok := identifierOf(a.GetRevoke().GetMemberToRevoke()); ok {
				c.Revoked = true
				changes = append(changes, c)
			}
		}
	}
	return changes, nil
}

// identifierOf is the index entry of a wallet or passkey member; installations are not
// looked up by identifier.
func identifierOf(m *associations.MemberIdentifier) (IdentifierChange, bool) {
	switch {
	case m.GetEthereumAddress() != "":
		return IdentifierChange{Kind: int32(associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM), Identifier: m.GetEthereumAddress()}, true
	case m.GetPasskey() != nil:
		return IdentifierChange{Kind: int32(associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY), Identifier: hex.EncodeToString(m.GetPasskey().GetKey())}, true
	}
	return IdentifierChange{}, false
}
