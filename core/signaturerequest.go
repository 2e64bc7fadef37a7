package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/errs"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// Identity updates whose wallet signature the app collects itself (browser-sdk's
// unsafe_*SignatureText and unsafe_applySignatureRequest): the app shows Text to the wallet
// however it likes (a hardware wallet, another device) and hands the signature to Apply.
// This installation signs its own part, when the update needs one, at Apply.

var (
	// ErrSignatureRequestSigner reports a signature by another wallet than the request's.
	ErrSignatureRequestSigner = errs.New("identity.signature_request_signer", "goxmtp: the signature request needs another wallet's signature")
	// ErrSignatureRequestUsed reports a request applied already.
	ErrSignatureRequestUsed = errs.New("identity.signature_request_used", "goxmtp: the signature request was applied already")
)

// SignatureRequest is one identity update waiting for a wallet's signature.
type SignatureRequest struct {
	c       *Client
	builder *identity.UpdateBuilder
	text    string
	wallet  *collectedSignature

	mu   sync.Mutex
	used bool
}

// Text is what the wallet must sign (EIP-191).
func (r *SignatureRequest) Text() string { return r.text }

// Wallet is the wallet whose signature the request needs.
func (r *SignatureRequest) Wallet() identity.MemberID { return r.wallet.member }

// Apply completes the update with the wallet's EIP-191 signature (65 bytes, R‖S‖V) and
// publishes it; the node checks the signature. A request is applied once; one the node did
// not take can be applied again.
func (r *SignatureRequest) Apply(ctx context.Context, wallet identity.MemberID, signature []byte) error {
	if wallet != r.wallet.member {
		return ErrSignatureRequestSigner
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.used {
		return ErrSignatureRequestUsed
	}
	r.wallet.signature = signature
	update, err := r.builder.Sign(ctx)
	if err != nil {
		return fmt.Errorf("apply signature request: %w", err)
	}
	if err := r.c.publishIdentityUpdate(ctx, update); err != nil {
		return err // the node refused it or was not reached: the request may be applied again
	}
	r.used = true
	return nil
}

// collectedSignature stands for the wallet in the update: it answers with the signature the
// app collected.
type collectedSignature struct {
	member    identity.MemberID
	signature []byte
}

func (s *collectedSignature) Member() identity.MemberID { return s.member }

func (s *collectedSignature) Sign(context.Context, string) (*associations.Signature, error) {
	return &associations.Signature{Signature: &associations.Signature_Erc_191{
		Erc_191: &associations.RecoverableEcdsaSignature{Bytes: s.signature},
	}}, nil
}

// newSignatureRequest builds the update with the wallet standing in as signer.
func (c *Client) newSignatureRequest(wallet identity.MemberID, build func(b *identity.UpdateBuilder, wallet identity.Signer)) (*SignatureRequest, error) {
	r := &SignatureRequest{c: c, wallet: &collectedSignature{member: wallet}}
	r.builder = identity.NewUpdate(c.InboxID(), uint64(c.opts.Now().UnixNano()))
	build(r.builder, r.wallet)
	text, err := r.builder.SignatureText()
	if err != nil {
		return nil, err
	}
	r.text = text
	return r, nil
}

// recoveryRequest is a request the inbox's recovery wallet signs; build adds the actions,
// given the inbox's state.
func (c *Client) recoveryRequest(ctx context.Context, build func(st *identity.State, b *identity.UpdateBuilder, w identity.Signer)) (*SignatureRequest, error) {
	st, err := c.InboxState(ctx, c.InboxID())
	if err != nil {
		return nil, err
	}
	return c.newSignatureRequest(st.RecoveryIdentifier(), func(b *identity.UpdateBuilder, w identity.Signer) { build(st, b, w) })
}

// RevokeInstallationsRequest is RevokeInstallations, signed by the recovery wallet later.
func (c *Client) RevokeInstallationsRequest(ctx context.Context, installationIDs [][]byte) (*SignatureRequest, error) {
	return c.recoveryRequest(ctx, func(_ *identity.State, b *identity.UpdateBuilder, w identity.Signer) {
		for _, id := range installationIDs {
			b.Revoke(w, identity.InstallationMember(id))
		}
	})
}

// RevokeAllOtherInstallationsRequest is RevokeAllOtherInstallations, signed later.
func (c *Client) RevokeAllOtherInstallationsRequest(ctx context.Context) (*SignatureRequest, error) {
	return c.recoveryRequest(ctx, func(st *identity.State, b *identity.UpdateBuilder, w identity.Signer) {
		for _, id := range st.Installations() {
			if string(id) != string(c.InstallationID()) {
				b.Revoke(w, identity.InstallationMember(id))
			}
		}
	})
}

// RemoveAccountRequest is RemoveAccount, signed by the recovery wallet later.
func (c *Client) RemoveAccountRequest(ctx context.Context, address string) (*SignatureRequest, error) {
	return c.recoveryRequest(ctx, func(_ *identity.State, b *identity.UpdateBuilder, w identity.Signer) {
		b.Revoke(w, identity.EthereumMember(address))
	})
}

// ChangeRecoveryIdentifierRequest is ChangeRecoveryIdentifier, signed by the current
// recovery wallet later.
func (c *Client) ChangeRecoveryIdentifierRequest(ctx context.Context, address string) (*SignatureRequest, error) {
	return c.recoveryRequest(ctx, func(_ *identity.State, b *identity.UpdateBuilder, w identity.Signer) {
		b.ChangeRecoveryAddress(w, identity.EthereumMember(address))
	})
}

// AddAccountRequest is AddAccount, signed by the new wallet later (this installation vouches
// at Apply).
func (c *Client) AddAccountRequest(ctx context.Context, address string, reassign bool) (*SignatureRequest, error) {
	norm, err := identity.NormalizeAddress(address)
	if err != nil {
		return nil, err
	}
	if err := c.checkAccountFree(ctx, norm, reassign); err != nil {
		return nil, err
	}
	return c.newSignatureRequest(identity.EthereumMember(norm), func(b *identity.UpdateBuilder, w identity.Signer) {
		b.AddMember(c.installation, w)
	})
}
