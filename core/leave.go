package core

import (
	"context"
	"slices"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
)

// Leaving follows XIP-75 (V1): an MLS member cannot commit its own removal, so it sends a
// leave_request message; every member records the request, and members whose role lets them
// remove the sender do so on their next sync. The transcript then says the member left.

// Leave asks the group's admins to remove this inbox. The group stays active until one of
// them does. DMs cannot be left, and the last super admin must hand the role on first.
func (g *Group) Leave(ctx context.Context) error {
	st, err := g.Metadata()
	if err != nil {
		return err
	}
	self := g.c.InboxID()
	if st.Immutable.ConversationType == metadata.ConversationDM {
		return ErrCannotLeave
	}
	if st.Mutable.IsSuperAdmin(self) && len(st.Mutable.SuperAdmins) == 1 {
		return ErrCannotLeave.Wrap(permissions.ErrLastSuperAdmin)
	}
	ec, err := content.Encode(content.LeaveRequest{})
	if err != nil {
		return err
	}
	if _, err := g.Send(ctx, ec, SendOptions{}); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	rec := *g.rec
	rec.PendingLeave = true
	return g.save(ctx, g.mls, &rec, nil)
}

// PendingLeave reports whether this inbox asked to leave and has not been removed yet.
func (g *Group) PendingLeave() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.PendingLeave && g.mls.Active() == nil
}

// noteLeaveRequest records a member's leave request in rec.
func (g *Group) noteLeaveRequest(rec *groupRecord, sender string) {
	if sender == g.c.InboxID() {
		rec.PendingLeave = true // asked from another installation of this inbox
		return
	}
	if !slices.Contains(rec.PendingRemove, sender) {
		rec.PendingRemove = append(slices.Clone(rec.PendingRemove), sender)
	}
}

// settleLeaves forgets the leave requests of members a commit removed.
func settleLeaves(rec *groupRecord, removed []string) {
	rec.PendingRemove = slices.DeleteFunc(slices.Clone(rec.PendingRemove), func(id string) bool { return slices.Contains(removed, id) })
}

// queueLeaveRemovals makes the removal commit of the members that asked to leave, when this
// member may remove them and no such commit is already on its way. It reports whether it
// queued one.
func (g *Group) queueLeaveRemovals(ctx context.Context) (bool, error) {
	if len(g.rec.PendingRemove) == 0 || g.mls.Active() != nil {
		return false, nil
	}
	intents, err := g.intents(ctx)
	if err != nil {
		return false, err
	}
	for _, it := range intents {
		if it.rec.Kind == intentRemoveMembers {
			return false, nil
		}
	}
	old, err := g.stateLocked()
	if err != nil {
		return false, err
	}
	ch := &groupChange{Kind: intentRemoveMembers}
	for _, id := range g.rec.PendingRemove {
		if _, ok := old.Membership.Members[id]; ok {
			ch.Inboxes = append(ch.Inboxes, id)
		}
	}
	rec := *g.rec
	if len(ch.Inboxes) == 0 {
		rec.PendingRemove = nil
		return false, g.save(ctx, g.mls, &rec, nil)
	}
	next, err := g.c.applyChange(ctx, old, ch)
	if err != nil {
		return false, err
	}
	if _, err := permissions.Validate(g.c.InboxID(), old, next); err != nil {
		return false, nil // not ours to remove: an admin will
	}
	it := &intentRecord{Kind: ch.Kind, State: intentToPublish, Change: ch.encode()}
	seq := rec.NextIntentSeq
	rec.NextIntentSeq++
	var changes store.Changes
	changes.PutSeq(tableIntents, g.id, seq, it.encode())
	return true, g.save(ctx, g.mls, &rec, changes)
}
