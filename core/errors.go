package core

import "github.com/goxmtp/goxmtp/core/errs"

// The client's errors. Codes are what JS apps see as error.code; they never change.
var (
	// ErrOptions reports a Client created without an API or a Store.
	ErrOptions = errs.New("client.bad_options", "goxmtp: client options incomplete")
	// ErrSignerMismatch reports a store that belongs to another wallet than the signer's.
	ErrSignerMismatch = errs.New("client.signer_mismatch", "goxmtp: the store belongs to another identity")
	// ErrInstallationLimit reports an inbox that already has MaxInstallations installations.
	ErrInstallationLimit = errs.New("client.installation_limit", "goxmtp: the inbox already has the maximum number of installations")
	// ErrNotRegistered reports a call that needs the installation to be registered first.
	ErrNotRegistered = errs.New("client.not_registered", "goxmtp: the installation is not registered")
	// ErrRegistration reports a registration the network did not confirm.
	ErrRegistration = errs.New("client.registration_failed", "goxmtp: registration was not confirmed by the network")
	// ErrRevokeSelf reports an attempt to revoke the calling installation.
	ErrRevokeSelf = errs.New("client.revoke_self", "goxmtp: an installation cannot revoke itself")
	// ErrCorruptRecord reports a stored record that does not decode.
	ErrCorruptRecord = errs.New("store.corrupt_record", "goxmtp: stored record is corrupt")
	// ErrInboxNotFound reports an inbox the network does not know.
	ErrInboxNotFound = errs.New("identity.inbox_not_found", "goxmtp: inbox not found")
	// ErrClosed reports a call on a closed client.
	ErrClosed = errs.New("client.closed", "goxmtp: client closed")
	// ErrGroupNotFound reports a conversation id this client does not hold.
	ErrGroupNotFound = errs.New("group.not_found", "goxmtp: conversation not found")
	// ErrGroupInactive reports a send or change in a group this installation was removed from.
	ErrGroupInactive = errs.New("group.inactive", "goxmtp: this installation is no longer a member of the group")
	// ErrInvalidCommit reports a received commit that breaks XMTP's rules; it is skipped.
	ErrInvalidCommit = errs.New("group.invalid_commit", "goxmtp: commit rejected")
	// ErrMembershipMismatch reports a tree whose installations are not those its membership
	// and the members' identity logs say.
	ErrMembershipMismatch = errs.New("group.membership_mismatch", "goxmtp: group installations do not match the members' identities")
	// ErrTooManyMembers reports a group that would exceed MaxGroupSize members.
	ErrTooManyMembers = errs.New("group.too_many_members", "goxmtp: group member limit exceeded")
	// ErrNoInstallations reports an inbox to add that has no installation with a usable key package.
	ErrNoInstallations = errs.New("group.no_installations", "goxmtp: the inbox has no installation that can be added")
	// ErrPublishFailed reports an intent that failed MaxPublishAttempts times; its message is Failed.
	ErrPublishFailed = errs.New("group.publish_failed", "goxmtp: publishing failed")
	// ErrInvalidWelcome reports a welcome that cannot be opened or joined; it is skipped.
	ErrInvalidWelcome = errs.New("group.invalid_welcome", "goxmtp: welcome rejected")
	// ErrNotDM reports a DM operation on another kind of conversation, or a DM with oneself.
	ErrNotDM = errs.New("group.not_dm", "goxmtp: not a valid DM")
	// ErrCannotLeave reports a Leave that XIP-75 does not allow: from a DM, or by the group's
	// last super admin (who must hand the role on first).
	ErrCannotLeave = errs.New("group.cannot_leave", "goxmtp: cannot leave this group")
	// ErrMessageNotFound reports a message id this client does not hold.
	ErrMessageNotFound = errs.New("message.not_found", "goxmtp: message not found")
)
