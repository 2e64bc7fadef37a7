package identity

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// UpdateBuilder assembles an identity update: actions first, then one signature per distinct
// signer over the finished text. A signer that appears in several actions (the wallet that
// creates an inbox and adds its first installation) is asked once, and its signature is
// used in each place, as libxmtp does.
type UpdateBuilder struct {
	update *associations.IdentityUpdate
	slots  []signatureSlot
	err    error // the first invalid argument, reported by SignatureText and Sign
}

// signatureSlot is a signature field of an action waiting for its signer.
type signatureSlot struct {
	signer Signer
	set    func(*associations.Signature)
}

// NewUpdate starts an update of the inbox stamped with the client's clock.
func NewUpdate(inboxID string, timestampNs uint64) *UpdateBuilder {
	return &UpdateBuilder{update: &associations.IdentityUpdate{InboxId: inboxID, ClientTimestampNs: timestampNs}}
}

// CreateInbox creates the inbox owned by the signer (a wallet or passkey) with nonce.
func (b *UpdateBuilder) CreateInbox(owner Signer, nonce uint64) *UpdateBuilder {
	id := owner.Member()
	c := &associations.CreateInbox{InitialIdentifier: id.String(), Nonce: nonce, InitialIdentifierKind: id.identifierKind()}
	b.update.Actions = append(b.update.Actions, &associations.IdentityAction{Kind: &associations.IdentityAction_CreateInbox{CreateInbox: c}})
	b.slots = append(b.slots, signatureSlot{owner, func(s *associations.Signature) { c.InitialIdentifierSignature = s }})
	return b
}

// AddMember adds newMember on the authority of existing, a member or the recovery
// identifier; both sign.
func (b *UpdateBuilder) AddMember(existing, newMember Signer) *UpdateBuilder {
	a := &associations.AddAssociation{NewMemberIdentifier: newMember.Member().Proto()}
	b.update.Actions = append(b.update.Actions, &associations.IdentityAction{Kind: &associations.IdentityAction_Add{Add: a}})
	b.slots = append(b.slots,
		signatureSlot{existing, func(s *associations.Signature) { a.ExistingMemberSignature = s }},
		signatureSlot{newMember, func(s *associations.Signature) { a.NewMemberSignature = s }})
	return b
}

// Revoke removes member, and the installations it added, on the recovery identifier's
// signature.
func (b *UpdateBuilder) Revoke(recovery Signer, member MemberID) *UpdateBuilder {
	r := &associations.RevokeAssociation{MemberToRevoke: b.normalize(member).Proto()}
	b.update.Actions = append(b.update.Actions, &associations.IdentityAction{Kind: &associations.IdentityAction_Revoke{Revoke: r}})
	b.slots = append(b.slots, signatureSlot{recovery, func(s *associations.Signature) { r.RecoveryIdentifierSignature = s }})
	return b
}

// ChangeRecoveryAddress moves the recovery role to newRecovery (a wallet or passkey) on the
// current recovery identifier's signature.
func (b *UpdateBuilder) ChangeRecoveryAddress(recovery Signer, newRecovery MemberID) *UpdateBuilder {
	newRecovery = b.normalize(newRecovery)
	c := &associations.ChangeRecoveryAddress{NewRecoveryIdentifier: newRecovery.String(), NewRecoveryIdentifierKind: newRecovery.identifierKind()}
	b.update.Actions = append(b.update.Actions, &associations.IdentityAction{Kind: &associations.IdentityAction_ChangeRecoveryAddress{ChangeRecoveryAddress: c}})
	b.slots = append(b.slots, signatureSlot{recovery, func(s *associations.Signature) { c.ExistingRecoveryIdentifierSignature = s }})
	return b
}

// normalize lowercases an Ethereum member's address, as members are recorded; a mixed-case
// recovery address could never sign again. An invalid address is kept for Sign to report.
func (b *UpdateBuilder) normalize(m MemberID) MemberID {
	if m.Kind != KindEthereum {
		return m
	}
	address, err := NormalizeAddress(m.key)
	if err != nil {
		if b.err == nil {
			b.err = fmt.Errorf("identity update member %q: %w", m.key, err)
		}
		return m
	}
	return EthereumMember(address)
}

// SignatureText returns the text the signers will be asked to sign.
func (b *UpdateBuilder) SignatureText() (string, error) {
	if b.err != nil {
		return "", b.err
	}
	return SignatureText(b.update)
}

// Sign collects every signature and returns the finished update. The builder must not be
// used afterwards.
func (b *UpdateBuilder) Sign(ctx context.Context) (*associations.IdentityUpdate, error) {
	text, err := b.SignatureText()
	if err != nil {
		return nil, err
	}
	signed := map[MemberID]*associations.Signature{}
	for _, slot := range b.slots {
		id := slot.signer.Member()
		sig, ok := signed[id]
		if !ok {
			if sig, err = slot.signer.Sign(ctx, text); err != nil {
				return nil, fmt.Errorf("sign identity update as %s: %w", id, err)
			}
			signed[id] = sig
		}
		slot.set(sig)
	}
	return b.update, nil
}

// Register builds the first update of a new inbox: the owner creates it and adds the
// installation, in one update signed once by each. It returns the update and the inbox id.
func Register(ctx context.Context, owner Signer, nonce uint64, installation Signer, timestampNs uint64) (*associations.IdentityUpdate, string, error) {
	inboxID, err := InboxID(owner.Member(), nonce)
	if err != nil {
		return nil, "", err
	}
	u, err := NewUpdate(inboxID, timestampNs).CreateInbox(owner, nonce).AddMember(owner, installation).Sign(ctx)
	return u, inboxID, err
}

// AddInstallation builds an update adding an installation, authorised by existing (a wallet
// of the inbox or its recovery identifier).
func AddInstallation(ctx context.Context, inboxID string, existing, installation Signer, timestampNs uint64) (*associations.IdentityUpdate, error) {
	return NewUpdate(inboxID, timestampNs).AddMember(existing, installation).Sign(ctx)
}

// LinkWallet builds an update linking another wallet (or passkey) to the inbox.
func LinkWallet(ctx context.Context, inboxID string, existing, wallet Signer, timestampNs uint64) (*associations.IdentityUpdate, error) {
	return NewUpdate(inboxID, timestampNs).AddMember(existing, wallet).Sign(ctx)
}

// RevokeInstallations builds an update revoking the given installations, signed by the
// recovery identifier.
func RevokeInstallations(ctx context.Context, inboxID string, recovery Signer, installations [][]byte, timestampNs uint64) (*associations.IdentityUpdate, error) {
	b := NewUpdate(inboxID, timestampNs)
	for _, key := range installations {
		b.Revoke(recovery, InstallationMember(key))
	}
	return b.Sign(ctx)
}

// RevokeOtherInstallations builds an update revoking every installation of the state except
// keep (the caller's own), signed by the recovery identifier.
func RevokeOtherInstallations(ctx context.Context, st *State, recovery Signer, keep []byte, timestampNs uint64) (*associations.IdentityUpdate, error) {
	var others [][]byte
	for _, key := range st.Installations() {
		if string(key) != string(keep) {
			others = append(others, key)
		}
	}
	return RevokeInstallations(ctx, st.InboxID(), recovery, others, timestampNs)
}

// ChangeRecovery builds an update moving the inbox's recovery role to newRecovery.
func ChangeRecovery(ctx context.Context, inboxID string, recovery Signer, newRecovery MemberID, timestampNs uint64) (*associations.IdentityUpdate, error) {
	return NewUpdate(inboxID, timestampNs).ChangeRecoveryAddress(recovery, newRecovery).Sign(ctx)
}
