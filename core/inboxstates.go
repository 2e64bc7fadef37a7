package core

import (
	"context"
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
)

// What an app can do about an inbox without a client of it: read its state, and revoke its
// installations with the recovery wallet. That is how a user at the installation limit frees
// a slot before this browser can register (browser-sdk's static Client.fetchInboxStates and
// Client.revokeInstallations).

// FetchInboxStates returns the verified states of inboxIDs from the node a, in that order.
// v verifies the updates (its zero value refuses smart-contract wallets).
func FetchInboxStates(ctx context.Context, a api.API, v identity.Validator, inboxIDs []string) ([]*identity.State, error) {
	got, err := newInboxDirectory(a, v).refresh(ctx, inboxIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*identity.State, len(inboxIDs))
	for i, id := range inboxIDs {
		out[i] = got[id].state
	}
	return out, nil
}

// RevokeInstallationsOf revokes installations of inboxID, signed by its recovery wallet,
// through the node a.
func RevokeInstallationsOf(ctx context.Context, a api.API, inboxID string, recovery identity.Signer, installationIDs [][]byte) error {
	update, err := identity.RevokeInstallations(ctx, inboxID, recovery, installationIDs, uint64(time.Now().UnixNano()))
	if err != nil {
		return fmt.Errorf("revoke installations: %w", err)
	}
	if err := a.PublishIdentityUpdate(ctx, &identityv1.PublishIdentityUpdateRequest{IdentityUpdate: update}); err != nil {
		return fmt.Errorf("publish identity update: %w", err)
	}
	return nil
}
