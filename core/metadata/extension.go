package metadata

import "github.com/goxmtp/goxmtp/mls"

// The XMTP extension types (libxmtp xmtp_configuration metadata.rs). 0xf000 is the id
// openmls assigned to its ImmutableMetadata extension; the 0xff.. ids are private use.
// 0xff05 was PROPOSAL_SUPPORT and must not be reused.
const (
	ExtensionImmutableMetadata        mls.ExtensionType = 0xf000
	ExtensionMutableMetadata          mls.ExtensionType = 0xff00
	ExtensionGroupMembership          mls.ExtensionType = 0xff01
	ExtensionGroupPermissions         mls.ExtensionType = 0xff02
	ExtensionWelcomeWrapperEncryption mls.ExtensionType = 0xff03 // key packages only
	ExtensionWelcomePointeeAEADTypes  mls.ExtensionType = 0xff04 // key packages only
)

// RequiredExtensionTypes is what a group's RequiredCapabilities lists, in libxmtp's order, so
// that every member can read the XMTP extensions; the proposal types required are
// [GroupContextExtensions (7)] and the credential types [Basic (1)].
var RequiredExtensionTypes = []mls.ExtensionType{
	ExtensionGroupMembership, ExtensionMutableMetadata, ExtensionGroupPermissions, ExtensionImmutableMetadata,
	mls.ExtensionLastResort, mls.ExtensionApplicationID,
}
