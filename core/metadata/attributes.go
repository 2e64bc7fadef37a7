package metadata

import (
	"fmt"
	"strconv"
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
// commit (groups/mod.rs MAX_*_LENGTH); other keys are unlimited.
var maxAttributeLength = map[string]int{
	AttrGroupName:           100,
	AttrDescription:         1000,
	AttrGroupImageURLSquare: 2048,
	AttrAppData:             8192,
}

// MaxAttributeLength returns the limit on key's value and whether it has one.
func MaxAttributeLength(key string) (int, bool) {
	n, ok := maxAttributeLength[key]
	return n, ok
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

// Disappearing is the disappearing-messages setting: messages sent at or after FromNS
// (Unix nanoseconds) are deleted InNS nanoseconds after they were sent.
type Disappearing struct {
	FromNS int64
	InNS   int64
}

// Enabled reports whether the setting deletes anything; libxmtp needs both values positive.
func (d Disappearing) Enabled() bool { return d.FromNS > 0 && d.InNS > 0 }

// disappearingFrom reads the two attributes; missing or unparsable values count as off.
func disappearingFrom(attrs map[string]string) Disappearing {
	from, _ := strconv.ParseInt(attrs[AttrMessageDisappearFromNS], 10, 64)
	in, _ := strconv.ParseInt(attrs[AttrMessageDisappearInNS], 10, 64)
	return Disappearing{FromNS: from, InNS: in}
}

func (d Disappearing) setOn(attrs map[string]string) {
	attrs[AttrMessageDisappearFromNS] = strconv.FormatInt(d.FromNS, 10)
	attrs[AttrMessageDisappearInNS] = strconv.FormatInt(d.InNS, 10)
}
