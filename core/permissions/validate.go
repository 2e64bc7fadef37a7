package permissions

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
)

// Validate decides whether actor may change a group from old to next, applying libxmtp 1.11's
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
func Validate(actor string, old, next State) (Summary, error) {
	if _, ok := old.Membership.Members[actor]; !ok {
		return Summary{}, fmt.Errorf("%s before the change: %w", actor, ErrActorNotMember)
	}
	if _, ok := next.Membership.Members[actor]; !ok {
		return Summary{}, fmt.Errorf("%s after the change: %w", actor, ErrActorNotMember)
	}
	if !sameImmutable(old.Immutable, next.Immutable) {
		return Summary{}, ErrImmutableChanged
	}
	s := summarize(old, next)
	for _, id := range s.Updated {
		if next.Membership.Members[id] < old.Membership.Members[id] {
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
	if err := checkRoles(a, next, s, old.Policies); err != nil {
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

func checkRoles(a Actor, next State, s Summary, p PolicySet) error {
	switch {
	case len(s.AddedAdmins) > 0 && !p.AddAdmin.Allows(a):
		return fmt.Errorf("add admins %v: %w", s.AddedAdmins, ErrDenied)
	case len(s.RemovedAdmins) > 0 && !p.RemoveAdmin.Allows(a):
		return fmt.Errorf("remove admins %v: %w", s.RemovedAdmins, ErrDenied)
	case len(s.AddedSuperAdmins)+len(s.RemovedSuperAdmins) > 0 && !a.IsSuperAdmin:
		return fmt.Errorf("change super admins: %w", ErrSuperAdminOnly)
	case len(s.RemovedSuperAdmins) > 0 && len(next.Mutable.SuperAdmins) == 0:
		return ErrLastSuperAdmin
	case s.PermissionsChanged && !a.IsSuperAdmin:
		return fmt.Errorf("change policies: %w", ErrSuperAdminOnly)
	}
	return nil
}

func sameImmutable(a, b metadata.Immutable) bool {
	return a.ConversationType == b.ConversationType && a.CreatorInboxID == b.CreatorInboxID &&
		(a.DMMembers == nil) == (b.DMMembers == nil) && (a.DMMembers == nil || *a.DMMembers == *b.DMMembers) &&
		proto.Equal(a.Oneshot, b.Oneshot)
}
