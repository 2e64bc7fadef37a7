package identity

import "errors"

// Malformed input: an update that cannot be read, before any signature is checked.
var (
	ErrMissingField      = errors.New("identity: required field missing")
	ErrInvalidAddress    = errors.New("identity: ethereum address must be 0x and 40 hex digits")
	ErrInvalidPasskey    = errors.New("identity: passkey identifier is not hex")
	ErrInvalidAccountID  = errors.New("identity: malformed CAIP-10 account id")
	ErrInvalidPublicKey  = errors.New("identity: malformed public key")
	ErrInvalidPrivateKey = errors.New("identity: malformed private key")
	ErrUnknownIdentifier = errors.New("identity: unknown identifier kind")
)

// Signature failures: a signature that does not verify, or that cannot be checked here.
var (
	ErrInvalidSignature             = errors.New("identity: signature does not verify")
	ErrMalformedLegacyKey           = errors.New("identity: malformed legacy signed public key")
	ErrNoSmartContractVerifier      = errors.New("identity: smart-contract wallet signature needs a verifier and none is configured")
	ErrSmartContractSignatureDenied = errors.New("identity: smart-contract wallet rejected the signature")
	ErrInvalidClientData            = errors.New("identity: passkey client data does not match the update")
)

// Association rules (XIP-46, libxmtp association_log.rs): each names the rule an update broke.
var (
	ErrMultipleCreate               = errors.New("identity: inbox already created")
	ErrNotCreated                   = errors.New("identity: inbox not created yet")
	ErrInitialSignerMismatch        = errors.New("identity: create inbox not signed by its initial identifier")
	ErrNewMemberSignerMismatch      = errors.New("identity: new member signature not made by the new member")
	ErrAddSelf                      = errors.New("identity: a member cannot add itself")
	ErrUnknownExistingMember        = errors.New("identity: existing member signature from neither a member nor the recovery identifier")
	ErrNotRecoveryIdentifier        = errors.New("identity: action needs the recovery identifier's signature")
	ErrSignatureKindNotAllowed      = errors.New("identity: signature kind not allowed for the member's role")
	ErrInstallationAddsInstallation = errors.New("identity: an installation cannot add an installation")
	ErrLegacySignatureMisuse        = errors.New("identity: legacy delegated signature only on a nonce-0 inbox, never for recovery")
	ErrChainIDMismatch              = errors.New("identity: smart-contract wallet signs from another chain than it was added on")
	ErrReplay                       = errors.New("identity: signature already used by an earlier update")
	ErrWrongInboxID                 = errors.New("identity: update's inbox id differs from the resulting state")
	ErrInboxLogFull                 = errors.New("identity: inbox log holds more updates than allowed")
)

// Credential and membership checks.
var (
	ErrNotBasicCredential    = errors.New("identity: MLS credential is not a basic credential")
	ErrInvalidInboxID        = errors.New("identity: inbox id must be 64 lowercase hex digits")
	ErrSequenceIDNotInLog    = errors.New("identity: sequence id not found in the inbox log")
	ErrInstallationNotMember = errors.New("identity: installation is not a member of the inbox")
	ErrTooManyInstallations  = errors.New("identity: inbox has the most installations allowed; revoke one first")
)
