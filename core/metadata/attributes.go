package metadata

import (
	"fmt"
	"strings"
)

// Attribute keys of the mutable metadata (libxmtp 1.11 group_mutable_metadata.rs).
const (
	AttrGroupName                       = "group_name"
	AttrDescription                     = "description"
	AttrGroupImageURLSquare             = "group_image_url_square"
	AttrMessageDisappearFromNS          = "message_disappear_from_ns"
	AttrMessageDisappearInNS            = "message_disappear_in_ns"
	AttrMinimumSupportedProtocolVersion = "minimum_supported_protocol_version"
	AttrAppData                         = "app_data"
	// AttrCommitLogSigner holds the hex of the Ed25519 private key that signs the group's
	// commit log (XIP-68). Its "_" prefix makes it super-admin-only.
	AttrCommitLogSigner = "_commit_log_signer"
)

// SuperAdminPrefix marks attribute keys that only super admins may change when the policy set
// names no policy for them.
const SuperAdminPrefix = "_"

// PolicyKeys are the attributes that the preset policy sets name, in libxmtp's order. Other
// keys fall back to admin-only, or super-admin-only with SuperAdminPrefix.
var PolicyKeys = []string{
	AttrGroupName, AttrDescription, AttrGroupImageURLSquare, AttrMessageDisappearFromNS,
	AttrMessageDisappearInNS, AttrMinimumSupportedProtocolVersion, AttrAppData,
}

// Length limits of attribute values, in bytes, which libxmtp enforces when it validates a
// commit (groups/mod.rs MAX_*_LENGTH); other keys are unlimited. CheckAttribute applies them.
var maxAttributeLength = map[string]int{
	AttrGroupName:           100,
	AttrDescription:         1000,
	AttrGroupImageURLSquare: 2048,
	AttrAppData:             8192,
}

// CheckAttribute returns ErrTooLong when value exceeds key's limit.
func CheckAttribute(key, value string) error {
	if n, ok := maxAttributeLength[key]; ok && len(value) > n {
		return fmt.Errorf("%s of %d bytes, limit %d: %w", key, len(value), n, ErrTooLong)
	}
	return nil
}

// IsSuperAdminKey reports whether key carries SuperAdminPrefix.
func IsSuperAdminKey(key string) bool { return strings.HasPrefix(key, SuperAdminPrefix) }
