//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/permissions"
)

// browser-sdk's GroupPermissionsOptions; PresetOf answers with the same numbers.
const (
	jsPermissionsDefault   = 0
	jsPermissionsAdminOnly = 1
	jsPermissionsCustom    = 2
)

// policySetFields pairs browser-sdk's PermissionPolicySet fields with core's OptionSet.
func policySetFields(o *permissions.OptionSet) []struct {
	name string
	opt  *permissions.Option
} {
	return []struct {
		name string
		opt  *permissions.Option
	}{
		{"addMemberPolicy", &o.AddMember},
		{"removeMemberPolicy", &o.RemoveMember},
		{"addAdminPolicy", &o.AddAdmin},
		{"removeAdminPolicy", &o.RemoveAdmin},
		{"updateGroupNamePolicy", &o.UpdateGroupName},
		{"updateGroupDescriptionPolicy", &o.UpdateGroupDescription},
		{"updateGroupImageUrlSquarePolicy", &o.UpdateGroupImageURLSquare},
		{"updateMessageDisappearingPolicy", &o.UpdateMessageDisappearing},
		{"updateAppDataPolicy", &o.UpdateAppData},
	}
}

// groupPermissions is browser-sdk's GroupPermissions {policyType, policySet} of a policy set.
func groupPermissions(s permissions.PolicySet) object {
	o := s.Options()
	set := object{}
	for _, f := range policySetFields(&o) {
		set[f.name] = int(*f.opt)
	}
	return object{"policyType": int(permissions.PresetOf(s)), "policySet": set}
}

// policySetOption reads CreateGroupOptions' permissions and customPermissionPolicySet.
func policySetOption(opts js.Value) (*permissions.PolicySet, error) {
	var s permissions.PolicySet
	p := opts.Get("permissions")
	switch {
	case typeOf(p) == js.TypeUndefined || (typeOf(p) == js.TypeNumber && p.Int() == jsPermissionsDefault):
		return nil, nil
	case typeOf(p) == js.TypeNumber && p.Int() == jsPermissionsAdminOnly:
		s = permissions.AdminsOnly()
	case typeOf(p) == js.TypeNumber && p.Int() == jsPermissionsCustom:
		custom := opts.Get("customPermissionPolicySet")
		if typeOf(custom) != js.TypeObject {
			return nil, badArgument("permissions CustomPolicy needs customPermissionPolicySet")
		}
		var o permissions.OptionSet
		for _, f := range policySetFields(&o) {
			v := custom.Get(f.name)
			if typeOf(v) != js.TypeNumber {
				return nil, badArgument("customPermissionPolicySet.%s must be a PermissionPolicy", f.name)
			}
			*f.opt = permissions.Option(v.Int())
		}
		var err error
		if s, err = permissions.Custom(o); err != nil {
			return nil, badArgument("customPermissionPolicySet: %w", err)
		}
	default:
		return nil, badArgument("permissions must be a GroupPermissionsOptions")
	}
	return &s, nil
}

// metadataFieldName is the module's metadataFieldName(field): the attribute key a
// MetadataField names in the group's metadata (e.g. "group_name"), as browser-sdk's function.
func metadataFieldName(_ context.Context, args []js.Value) (any, error) {
	f, err := enumValue(arg(args, 0), "field", "a MetadataField", int(permissions.FieldMessageExpirationInNS))
	if err != nil {
		return nil, err
	}
	return permissions.MetadataField(f).Key()
}
