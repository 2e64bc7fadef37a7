package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
)

// CreateDm returns the DM with peerInboxID, creating it when this client has none: one DM per
// pair, recognised by its dm_id whoever created it (xmtp-protocol.md §3.2). DMs carry the DM
// policies: nobody may add or remove members or admins.
func (cv *Conversations) CreateDm(ctx context.Context, peerInboxID string, disappearing *metadata.Disappearing) (*Group, error) {
	self := cv.c.InboxID()
	if peerInboxID == self || peerInboxID == "" {
		return nil, ErrNotDM
	}
	if g, err := cv.FindDm(ctx, peerInboxID); err == nil {
		return g, nil
	} else if !errors.Is(err, ErrGroupNotFound) {
		return nil, err
	}
	g, err := cv.newGroup(ctx, metadata.NewDMImmutable(self, peerInboxID), metadata.NewDMMutable(disappearing, nil), permissions.DM())
	if err != nil {
		return nil, err
	}
	if err := g.AddMembers(ctx, []string{self, peerInboxID}); err != nil {
		return g, fmt.Errorf("create dm: %w", err)
	}
	return g, nil
}

// CreateDmWithIdentifier returns the DM with the inbox of a wallet address.
func (cv *Conversations) CreateDmWithIdentifier(ctx context.Context, address string, disappearing *metadata.Disappearing) (*Group, error) {
	ids, err := cv.c.inboxIDsOf(ctx, []string{address})
	if err != nil {
		return nil, err
	}
	return cv.CreateDm(ctx, ids[0], disappearing)
}

// FindDm returns the DM with peerInboxID (the most recently active, if each side created
// one), or ErrGroupNotFound.
func (cv *Conversations) FindDm(ctx context.Context, peerInboxID string) (*Group, error) {
	want := metadata.DMID(cv.c.InboxID(), peerInboxID)
	recs, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{})
	if err != nil {
		return nil, fmt.Errorf("find dm: %w", err)
	}
	var best *Group
	for _, r := range recs {
		g, err := cv.load(ctx, r.Value)
		if err != nil {
			return nil, err
		}
		if g.DMID() == want && (best == nil || best.lastActivity() < g.lastActivity()) {
			best = g
		}
	}
	if best == nil {
		return nil, fmt.Errorf("%w: no dm with %s", ErrGroupNotFound, peerInboxID)
	}
	return best, nil
}
