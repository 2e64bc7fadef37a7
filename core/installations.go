package core

import (
	"bytes"
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// RevokeInstallations removes installations from this client's inbox. recovery must be the
// inbox's recovery wallet, which signs the revocation. Groups drop the revoked installations
// when their members next update membership.
func (c *Client) RevokeInstallations(ctx context.Context, recovery identity.Signer, installationIDs [][]byte) error {
	for _, id := range installationIDs {
		if bytes.Equal(id, c.InstallationID()) {
			return ErrRevokeSelf
		}
	}
	update, err := identity.RevokeInstallations(ctx, c.InboxID(), recovery, installationIDs, uint64(c.opts.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("revoke installations: %w", err)
	}
	return c.publishIdentityUpdate(ctx, update)
}

// RevokeAllOtherInstallations revokes every installation of the inbox but this one.
func (c *Client) RevokeAllOtherInstallations(ctx context.Context, recovery identity.Signer) error {
	in, err := c.inboxes.inbox(ctx, c.InboxID())
	if err != nil {
		return fmt.Errorf("revoke other installations: %w", err)
	}
	update, err := identity.RevokeOtherInstallations(ctx, in.state, recovery, c.InstallationID(), uint64(c.opts.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("revoke other installations: %w", err)
	}
	return c.publishIdentityUpdate(ctx, update)
}

func (c *Client) publishIdentityUpdate(ctx context.Context, update *associations.IdentityUpdate) error {
	if err := c.opts.API.PublishIdentityUpdate(ctx, &identityv1.PublishIdentityUpdateRequest{IdentityUpdate: update}); err != nil {
		return fmt.Errorf("publish identity update: %w", err)
	}
	return nil
}
