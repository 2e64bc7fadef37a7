package permissions

import "github.com/goxmtp/goxmtp/core/errs"

// Errors callers branch on, each with a stable code for the JS boundary. Validation errors
// are wrapped with the rule and the inbox or field concerned.
var (
	// ErrDenied reports a change the actor's role does not allow under the group's policies.
	ErrDenied = errs.New("permissions.denied", "permissions: not allowed by the group's policies")
	// ErrSuperAdminOnly reports a change to the super-admin list or the policies by someone
	// who is not a super admin.
	ErrSuperAdminOnly = errs.New("permissions.super_admin_only", "permissions: only a super admin may do this")
	// ErrRemoveSuperAdmin reports the removal of a super admin from the group; it must be
	// demoted first.
	ErrRemoveSuperAdmin = errs.New("permissions.remove_super_admin", "permissions: a super admin cannot be removed from the group")
	// ErrLastSuperAdmin reports a change that would leave the group without a super admin.
	ErrLastSuperAdmin = errs.New("permissions.last_super_admin", "permissions: the last super admin cannot be removed")
	// ErrActorNotMember reports a commit by an inbox that is not a member before and after it.
	ErrActorNotMember = errs.New("permissions.actor_not_member", "permissions: actor is not a member of the group")
	// ErrSequenceIDDecreased reports a membership whose identity sequence id went down.
	ErrSequenceIDDecreased = errs.New("permissions.sequence_id_decreased", "permissions: a member's sequence id decreased")
	// ErrImmutableChanged reports a change to the immutable metadata.
	ErrImmutableChanged = errs.New("permissions.immutable_changed", "permissions: immutable metadata changed")
	// ErrInvalidPolicy reports a policy that is malformed on the wire (unknown value, empty
	// combination, missing policy).
	ErrInvalidPolicy = errs.New("permissions.invalid_policy", "permissions: invalid policy")
	// ErrInexpressible reports a policy the wire format cannot carry, such as Allow for the
	// admin-list and permission-update policies.
	ErrInexpressible = errs.New("permissions.inexpressible", "permissions: policy cannot be expressed for this permission")
	// ErrInvalidOption reports an enum value that does not name a settable policy, update or
	// field (DoesNotExist and Other describe policies; they cannot be set).
	ErrInvalidOption = errs.New("permissions.invalid_option", "permissions: invalid permission option")
)
