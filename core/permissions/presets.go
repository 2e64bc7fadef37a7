package permissions

import "github.com/goxmtp/goxmtp/core/metadata"

// Preset names the policy sets an app picks from; the values are the JS SDK's
// GroupPermissionsOptions.
type Preset int

const (
	PresetDefault    Preset = 0 // "all members": anyone adds, admins remove
	PresetAdminsOnly Preset = 1
	PresetCustom     Preset = 2
)

// Default is libxmtp's default policy set: members may add members and edit the name,
// description, image and app data; admins remove members and set disappearing messages;
// super admins set the minimum protocol version and manage admins.
func Default() PolicySet { return presetSet(Allow(), Allow()) }

// AdminsOnly is Default with adding members and editing metadata restricted to admins.
func AdminsOnly() PolicySet { return presetSet(Admin(), Admin()) }

// presetSet builds Default and AdminsOnly, which differ only in who adds members and who
// edits the everyday attributes.
func presetSet(addMember, everyday Policy) PolicySet {
	m := make(map[string]Policy, len(metadata.PolicyKeys))
	for _, key := range metadata.PolicyKeys {
		m[key] = presetMetadataPolicy(key, everyday)
	}
	return PolicySet{
		AddMember: addMember, RemoveMember: Admin(), Metadata: m,
		AddAdmin: SuperAdmin(), RemoveAdmin: SuperAdmin(), UpdatePermissions: SuperAdmin(),
	}
}

// presetMetadataPolicy is the preset policy of key: disappearing settings need an admin and
// the minimum protocol version a super admin, whatever the preset.
func presetMetadataPolicy(key string, everyday Policy) Policy {
	switch key {
	case metadata.AttrMessageDisappearFromNS, metadata.AttrMessageDisappearInNS:
		return Admin()
	case metadata.AttrMinimumSupportedProtocolVersion:
		return SuperAdmin()
	}
	return everyday
}

// DM is the policy set of a DM: nobody adds or removes members or manages admins, both
// members may edit every attribute.
func DM() PolicySet {
	m := make(map[string]Policy, len(metadata.PolicyKeys))
	for _, key := range metadata.PolicyKeys {
		m[key] = Allow()
	}
	return PolicySet{
		AddMember: Deny(), RemoveMember: Deny(), Metadata: m,
		AddAdmin: Deny(), RemoveAdmin: Deny(), UpdatePermissions: Deny(),
	}
}

// PresetOf says which preset s is, the way libxmtp recognizes them: the fixed policies must
// match and each metadata policy present must be the preset's for its key (keys may be
// missing). Anything else is PresetCustom.
func PresetOf(s PolicySet) Preset {
	switch {
	case matchesPreset(s, Default()):
		return PresetDefault
	case matchesPreset(s, AdminsOnly()):
		return PresetAdminsOnly
	}
	return PresetCustom
}

func matchesPreset(s, preset PolicySet) bool {
	if !s.AddMember.Equal(preset.AddMember) || !s.RemoveMember.Equal(preset.RemoveMember) ||
		!s.AddAdmin.Equal(preset.AddAdmin) || !s.RemoveAdmin.Equal(preset.RemoveAdmin) ||
		!s.UpdatePermissions.Equal(preset.UpdatePermissions) {
		return false
	}
	everyday := preset.Metadata[metadata.AttrGroupName]
	for key, p := range s.Metadata {
		if !p.Equal(presetMetadataPolicy(key, everyday)) {
			return false
		}
	}
	return true
}
