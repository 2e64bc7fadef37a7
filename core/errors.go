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
)
