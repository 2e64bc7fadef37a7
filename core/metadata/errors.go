package metadata

import "github.com/goxmtp/goxmtp/core/errs"

// Errors callers branch on, each with a stable code for the JS boundary.
var (
	// ErrMalformed reports extension bytes that do not parse.
	ErrMalformed = errs.New("metadata.malformed", "metadata: malformed group extension")
	// ErrMissingField reports a required field absent from an extension (e.g. an admin list).
	ErrMissingField = errs.New("metadata.missing_field", "metadata: required field missing")
	// ErrTooLong reports an attribute value above its length limit.
	ErrTooLong = errs.New("metadata.too_long", "metadata: attribute value too long")
	// ErrMissingExtension reports a group context without one of the XMTP extensions.
	ErrMissingExtension = errs.New("metadata.missing_extension", "metadata: group extension missing")
	// ErrNotDM reports a DM operation on metadata that has no DM members.
	ErrNotDM = errs.New("metadata.not_dm", "metadata: conversation has no DM members")
)
