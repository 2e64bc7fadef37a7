package core

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/errs"
	"github.com/goxmtp/goxmtp/core/identity"
)

// The wallets of an inbox (browser-sdk's unsafe_addAccount, removeAccount and
// changeRecoveryIdentifier): each is one identity update the node checks against the
// inbox's log, as it checks registrations and revocations.

var (
	// ErrInboxReassign refuses to link a wallet that belongs to another inbox: it would
	// lose that inbox, so the caller must ask for it explicitly.
	ErrInboxReassign = errs.New("identity.inbox_reassign", "goxmtp: the wallet belongs to another inbox; linking it moves it here")
	// ErrAccountAlreadyAssociated reports a wallet that already belongs to this inbox.
	ErrAccountAlreadyAssociated = errs.New("identity.account_already_associated", "goxmtp: the wallet already belongs to this inbox")
)

// AddAccount links another wallet to this inbox: this installation vouches for the update
// and the wallet signs it. A wallet that has an inbox already is moved here only when
// reassign is set (it then stops reaching its old inbox).
func (c *Client) AddAccount(ctx context.Context, wallet identity.Signer, reassign bool) error {
	if err := c.checkAccountFree(ctx, wallet.Member().Address(), reassign); err != nil {
		return err
	}
	update, err := identity.LinkWallet(ctx, c.InboxID(), c.installation, wallet, uint64(c.opts.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("add account: %w", err)
	}
	return c.publishIdentityUpdate(ctx, update)
}

// checkAccountFree refuses a wallet this inbox has, or one of another inbox unless reassign.
func (c *Client) checkAccountFree(ctx context.Context, address string, reassign bool) error {
	current, found, err := c.InboxIDFor(ctx, address)
	switch {
	case err != nil:
		return fmt.Errorf("add account: %w", err)
	case found && current == c.InboxID():
		return ErrAccountAlreadyAssociated
	case found && !reassign:
		return ErrInboxReassign
	}
	return nil
}

// RemoveAccount unlinks a wallet (address) from this inbox, signed by the recovery wallet.
func (c *Client) RemoveAccount(ctx context.Context, recovery identity.Signer, address string) error {
	norm, err := identity.NormalizeAddress(address)
	if err != nil {
		return err
	}
	update, err := identity.NewUpdate(c.InboxID(), uint64(c.opts.Now().UnixNano())).
		Revoke(recovery, identity.EthereumMember(norm)).Sign(ctx)
	if err != nil {
		return fmt.Errorf("remove account: %w", err)
	}
	return c.publishIdentityUpdate(ctx, update)
}

// ChangeRecoveryIdentifier makes another wallet (address) the inbox's recovery wallet, the
// one that revokes; signed by the current recovery wallet.
func (c *Client) ChangeRecoveryIdentifier(ctx context.Context, recovery identity.Signer, address string) error {
	norm, err := identity.NormalizeAddress(address)
	if err != nil {
		return err
	}
	update, err := identity.ChangeRecovery(ctx, c.InboxID(), recovery, identity.EthereumMember(norm), uint64(c.opts.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("change recovery identifier: %w", err)
	}
	return c.publishIdentityUpdate(ctx, update)
}
