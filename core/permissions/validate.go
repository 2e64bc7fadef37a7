package permissions

import (
	"fmt"
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/metadata"
	"google.golang.org/protobuf/proto"
)

// State is what a group's context extensions say in one epoch.
type State struct {
	Immutable  metadata.Immutable
	Mutable    metadata.Mutable
	Membership metadata.Membership
	Policies   PolicySet
}

// Summary is what a validated change does, the material of its group_updated transcript.
type Summary struct {
	Added, Removed []string // inboxes, sorted
	// Updated are members whose identity sequence id rose: their installations changed.
	Updated                              []string
	MetadataChanges                      []content.MetadataChange // sorted by field
	AddedAdmins, RemovedAdmins           []string
	AddedSuperAdmins, RemovedSuperAdmins []string
	PermissionsChanged                   bool
}

// Empty reports whether the change needs no transcript: libxmtp records a group_updated
// message only when members, attributes or admin lists change, not for key updates,
// sequence-id bumps or policy changes alone.
func (s Summary) Empty() bool {
	return len(s.Added)+len(s.Removed)+len(s.MetadataChanges)+len(s.AddedAdmins)+len(s.RemovedAdmins)+
		len(s.AddedSuperAdmins)+len(s.RemovedSuperAdmins) == 0
}

// Validate decides whether actor may change a group from old to new, applying libxmtp 1.11's
// rules (validated_commit.rs, PolicySet::evaluate_commit) with the policies and roles of
// old. The first rule broken is returned as a named error wrapped with what broke it:
//
//   - the actor is a member before and after (ErrActorNotMember), and the immutable
//     metadata does not change (ErrImmutableChanged);
//   - sequence ids never decrease (ErrSequenceIDDecreased);
//   - changed attributes respect their length limits (metadata.ErrTooLong);
//   - added inboxes pass the add-member policy, except that the other member of a DM may
//     always be re-added; removed inboxes pass the remove-member policy (ErrDenied);
//   - nobody removes a super admin from the group (ErrRemoveSuperAdmin);
//   - each changed attribute passes its metadata policy (ErrDenied);
//   - admin-list changes pass the add-admin and remove-admin policies (ErrDenied);
//   - only super admins change the super-admin list or the policies (ErrSuperAdminOnly),
//     and the super-admin list never becomes empty (ErrLastSuperAdmin).
//
// libxmtp gives the creator no protection beyond being a super admin: once demoted, the
// creator may be removed like anyone. Validate agrees, so both sides accept the same commits.
// Installation-level checks (proposals against the membership diff, credentials against
// identity state) need the MLS commit and identity updates and are the caller's.
func Validate(actor string, old, new State) (Summary, error) {
	if _, ok := old.Membership.Members[actor]; !ok {
		return Summary{}, fmt.Errorf("%s before the change: %w", actor, ErrActorNotMember)
	}
	if _, ok := new.Membership.Members[actor]; !ok {
		return Summary{}, fmt.Errorf("%s after the change: %w", actor, ErrActorNotMember)
	}
	if !sameImmutable(old.Immutable, new.Immutable) {
		return Summary{}, ErrImmutableChanged
	}
	s := summarize(old, new)
	for _, id := range s.Updated {
		if new.Membership.Members[id] < old.Membership.Members[id] {
			return Summary{}, fmt.Errorf("%s: %w", id, ErrSequenceIDDecreased)
		}
	}
	for _, c := range s.MetadataChanges {
		if c.NewValue != nil {
			if err := metadata.CheckAttribute(c.Field, *c.NewValue); err != nil {
				return Summary{}, err
			}
		}
	}
	a := Actor{InboxID: actor, IsAdmin: old.Mutable.IsAdmin(actor), IsSuperAdmin: old.Mutable.IsSuperAdmin(actor)}
	if err := checkMembers(a, old, s); err != nil {
		return Summary{}, err
	}
	for _, c := range s.MetadataChanges {
		if !old.Policies.MetadataPolicy(c.Field).Allows(a) {
			return Summary{}, fmt.Errorf("change %s: %w", c.Field, ErrDenied)
		}
	}
	if err := checkRoles(a, new, s, old.Policies); err != nil {
		return Summary{}, err
	}
	return s, nil
}

func checkMembers(a Actor, old State, s Summary) error {
	if len(s.Added) > 0 && !old.Policies.AddMember.Allows(a) && !isDMReAdd(a, old.Immutable, s.Added) {
		return fmt.Errorf("add %v: %w", s.Added, ErrDenied)
	}
	for _, id := range s.Removed {
		if old.Mutable.IsSuperAdmin(id) {
			return fmt.Errorf("remove %s: %w", id, ErrRemoveSuperAdmin)
		}
	}
	if len(s.Removed) > 0 && !old.Policies.RemoveMember.Allows(a) {
		return fmt.Errorf("remove %v: %w", s.Removed, ErrDenied)
	}
	return nil
}

// isDMReAdd reports the one addition a DM allows: its other member coming back.
func isDMReAdd(a Actor, m metadata.Immutable, added []string) bool {
	return m.DMMembers != nil && len(added) == 1 && m.DMMembers.Has(added[0]) && added[0] != a.InboxID
}

func checkRoles(a Actor, new State, s Summary, p PolicySet) error {
	switch {
	case len(s.AddedAdmins) > 0 && !p.AddAdmin.Allows(a):
		return fmt.Errorf("add admins %v: %w", s.AddedAdmins, ErrDenied)
	case len(s.RemovedAdmins) > 0 && !p.RemoveAdmin.Allows(a):
		return fmt.Errorf("remove admins %v: %w", s.RemovedAdmins, ErrDenied)
	case len(s.AddedSuperAdmins)+len(s.RemovedSuperAdmins) > 0 && !a.IsSuperAdmin:
		return fmt.Errorf("change super admins: %w", ErrSuperAdminOnly)
	case len(s.RemovedSuperAdmins) > 0 && len(new.Mutable.SuperAdmins) == 0:
		return ErrLastSuperAdmin
	case s.PermissionsChanged && !a.IsSuperAdmin:
		return fmt.Errorf("change policies: %w", ErrSuperAdminOnly)
	}
	return nil
}

// summarize lists what differs between old and new.
func summarize(old, new State) Summary {
	d := metadata.Diff(old.Membership, new.Membership)
	return Summary{
		Added: d.Added, Removed: d.Removed, Updated: d.Updated,
		MetadataChanges:    attributeChanges(old.Mutable.Attributes, new.Mutable.Attributes),
		AddedAdmins:        missingFrom(new.Mutable.Admins, old.Mutable.Admins),
		RemovedAdmins:      missingFrom(old.Mutable.Admins, new.Mutable.Admins),
		AddedSuperAdmins:   missingFrom(new.Mutable.SuperAdmins, old.Mutable.SuperAdmins),
		RemovedSuperAdmins: missingFrom(old.Mutable.SuperAdmins, new.Mutable.SuperAdmins),
		PermissionsChanged: !old.Policies.Equal(new.Policies),
	}
}

// missingFrom returns the ids of list that are not in other, in list's order.
func missingFrom(list, other []string) []string {
	var out []string
	for _, id := range list {
		if !slices.Contains(other, id) {
			out = append(out, id)
		}
	}
	return out
}

func attributeChanges(old, new map[string]string) []content.MetadataChange {
	union := make(map[string]string, len(old)+len(new))
	maps.Copy(union, old)
	maps.Copy(union, new)
	var out []content.MetadataChange
	for _, k := range slices.Sorted(maps.Keys(union)) {
		o, hadOld := old[k]
		n, hasNew := new[k]
		if hadOld == hasNew && o == n {
			continue
		}
		c := content.MetadataChange{Field: k}
		if hadOld {
			c.OldValue = &o
		}
		if hasNew {
			c.NewValue = &n
		}
		out = append(out, c)
	}
	return out
}

func sameImmutable(a, b metadata.Immutable) bool {
	return a.ConversationType == b.ConversationType && a.CreatorInboxID == b.CreatorInboxID &&
		(a.DMMembers == nil) == (b.DMMembers == nil) && (a.DMMembers == nil || *a.DMMembers == *b.DMMembers) &&
		proto.Equal(a.Oneshot, b.Oneshot)
}

// Transcript returns the group_updated content of the change, committed by actor. Removed
// inboxes that had asked to leave (a leave_request) are listed as having left.
func (s Summary) Transcript(actor string, leaveRequested []string) content.GroupUpdated {
	g := content.GroupUpdated{
		InitiatedBy: actor, Added: s.Added, MetadataChanges: s.MetadataChanges,
		AddedAdmins: s.AddedAdmins, RemovedAdmins: s.RemovedAdmins,
		AddedSuperAdmins: s.AddedSuperAdmins, RemovedSuperAdmins: s.RemovedSuperAdmins,
	}
	for _, id := range s.Removed {
		if slices.Contains(leaveRequested, id) {
			g.Left = append(g.Left, id)
		} else {
			g.Removed = append(g.Removed, id)
		}
	}
	return g
}
