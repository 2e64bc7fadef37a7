package core

import (
	"context"
	"strconv"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
)

// Metadata and role changes are commits like membership changes: checked here against the
// group's policies before publishing, and by every receiver before merging (XIP-47).

// UpdateName sets the group's name (at most 100 bytes).
func (g *Group) UpdateName(ctx context.Context, name string) error {
	return g.UpdateAttribute(ctx, metadata.AttrGroupName, name)
}

// UpdateDescription sets the group's description (at most 1000 bytes).
func (g *Group) UpdateDescription(ctx context.Context, description string) error {
	return g.UpdateAttribute(ctx, metadata.AttrDescription, description)
}

// UpdateImageURL sets the group's square image URL (at most 2048 bytes).
func (g *Group) UpdateImageURL(ctx context.Context, url string) error {
	return g.UpdateAttribute(ctx, metadata.AttrGroupImageURLSquare, url)
}

// UpdateDisappearing sets (or, with the zero value, clears) disappearing messages.
func (g *Group) UpdateDisappearing(ctx context.Context, d metadata.Disappearing) error {
	if err := g.UpdateAttribute(ctx, metadata.AttrMessageDisappearFromNS, strconv.FormatInt(d.FromNS, 10)); err != nil {
		return err
	}
	return g.UpdateAttribute(ctx, metadata.AttrMessageDisappearInNS, strconv.FormatInt(d.InNS, 10))
}

// UpdateAttribute sets any mutable-metadata attribute, subject to its policy.
func (g *Group) UpdateAttribute(ctx context.Context, key, value string) error {
	if err := metadata.CheckAttribute(key, value); err != nil {
		return err
	}
	return g.change(ctx, &groupChange{Kind: intentUpdateMetadata, Key: key, Value: value})
}

// AddAdmin, RemoveAdmin, AddSuperAdmin and RemoveSuperAdmin change the group's admin lists,
// under the add-admin and remove-admin policies (super admins: super admins only).
func (g *Group) AddAdmin(ctx context.Context, inboxID string) error {
	return g.changeAdmins(ctx, adminAdd, inboxID)
}

func (g *Group) RemoveAdmin(ctx context.Context, inboxID string) error {
	return g.changeAdmins(ctx, adminRemove, inboxID)
}

func (g *Group) AddSuperAdmin(ctx context.Context, inboxID string) error {
	return g.changeAdmins(ctx, superAdminAdd, inboxID)
}

func (g *Group) RemoveSuperAdmin(ctx context.Context, inboxID string) error {
	return g.changeAdmins(ctx, superAdminRemove, inboxID)
}

func (g *Group) changeAdmins(ctx context.Context, action, inboxID string) error {
	return g.change(ctx, &groupChange{Kind: intentUpdateAdmins, Key: action, Inboxes: []string{inboxID}})
}

// UpdatePermission changes one policy of the group (super admins only). metadataField names
// the attribute for permissions.UpdateUpdateMetadata and is ignored otherwise; a policy the wire
// format cannot carry fails with permissions.ErrInexpressible.
func (g *Group) UpdatePermission(ctx context.Context, u permissions.UpdateType, o permissions.Option, metadataField string) error {
	st, err := g.Metadata()
	if err != nil {
		return err
	}
	if _, err := st.Policies.WithUpdate(u, o, metadataField); err != nil {
		return err
	}
	return g.change(ctx, &groupChange{Kind: intentUpdatePermission, Key: strconv.Itoa(int(u)), Option: uint8(o), Value: metadataField})
}

// IsAdmin and IsSuperAdmin report an inbox's role in the group.
func (g *Group) IsAdmin(inboxID string) bool {
	st, err := g.Metadata()
	return err == nil && st.Mutable.IsAdmin(inboxID)
}

func (g *Group) IsSuperAdmin(inboxID string) bool {
	st, err := g.Metadata()
	return err == nil && st.Mutable.IsSuperAdmin(inboxID)
}
