package permissions

import (
	"fmt"

	"github.com/goxmtp/goxmtp/core/metadata"
)

// The numeric enums of the JS SDK (browser-sdk 7.1, xmtp-protocol.md §7.3). Their values are
// what crosses the wasm boundary; they are not the proto values.

// UpdateType names the permission an app changes.
type UpdateType int

const (
	UpdateAddMember      UpdateType = 0
	UpdateRemoveMember   UpdateType = 1
	UpdateAddAdmin       UpdateType = 2
	UpdateRemoveAdmin    UpdateType = 3
	UpdateUpdateMetadata UpdateType = 4
)

// Option is a policy as the JS SDK shows it. DoesNotExist (no policy for a metadata key) and
// Other (an And/Any combination) only describe policies; they cannot be set.
type Option int

const (
	OptionAllow        Option = 0
	OptionDeny         Option = 1
	OptionAdmin        Option = 2
	OptionSuperAdmin   Option = 3
	OptionDoesNotExist Option = 4
	OptionOther        Option = 5
)

// MetadataField names the attributes the JS SDK exposes.
type MetadataField int

const (
	FieldAppData                 MetadataField = 0
	FieldDescription             MetadataField = 1
	FieldGroupName               MetadataField = 2
	FieldGroupImageURLSquare     MetadataField = 3
	FieldMessageExpirationFromNS MetadataField = 4
	FieldMessageExpirationInNS   MetadataField = 5
)

var fieldKeys = [...]string{
	FieldAppData:                 metadata.AttrAppData,
	FieldDescription:             metadata.AttrDescription,
	FieldGroupName:               metadata.AttrGroupName,
	FieldGroupImageURLSquare:     metadata.AttrGroupImageURLSquare,
	FieldMessageExpirationFromNS: metadata.AttrMessageDisappearFromNS,
	FieldMessageExpirationInNS:   metadata.AttrMessageDisappearInNS,
}

// Key returns the attribute key of f.
func (f MetadataField) Key() (string, error) {
	if f < 0 || int(f) >= len(fieldKeys) {
		return "", fmt.Errorf("metadata field %d: %w", f, ErrInvalidOption)
	}
	return fieldKeys[f], nil
}

// Policy returns the policy o stands for; DoesNotExist, Other and unknown values fail.
func (o Option) Policy() (Policy, error) {
	switch o {
	case OptionAllow:
		return Allow(), nil
	case OptionDeny:
		return Deny(), nil
	case OptionAdmin:
		return Admin(), nil
	case OptionSuperAdmin:
		return SuperAdmin(), nil
	}
	return Policy{}, fmt.Errorf("policy option %d: %w", o, ErrInvalidOption)
}

// OptionOf describes p as the JS SDK does: its base, or Other for a combination.
func OptionOf(p Policy) Option {
	b, ok := p.Leaf()
	if !ok {
		return OptionOther
	}
	return [...]Option{BaseAllow: OptionAllow, BaseDeny: OptionDeny, BaseAdmin: OptionAdmin, BaseSuperAdmin: OptionSuperAdmin}[b]
}

// WithUpdate returns a copy of s with one permission set to o; metadataKey names the
// attribute for UpdateUpdateMetadata and is ignored otherwise. Allow for the admin-list
// policies fails with ErrInexpressible, where libxmtp silently stores super-admin-only.
func (s PolicySet) WithUpdate(u UpdateType, o Option, metadataKey string) (PolicySet, error) {
	p, err := o.Policy()
	if err != nil {
		return PolicySet{}, err
	}
	out := s.Clone()
	switch u {
	case UpdateAddMember:
		out.AddMember = p
	case UpdateRemoveMember:
		out.RemoveMember = p
	case UpdateAddAdmin, UpdateRemoveAdmin:
		if o == OptionAllow {
			return PolicySet{}, fmt.Errorf("allow for admin-list policy: %w", ErrInexpressible)
		}
		if u == UpdateAddAdmin {
			out.AddAdmin = p
		} else {
			out.RemoveAdmin = p
		}
	case UpdateUpdateMetadata:
		if metadataKey == "" {
			return PolicySet{}, fmt.Errorf("metadata policy update without a field: %w", ErrInvalidOption)
		}
		if out.Metadata == nil {
			out.Metadata = map[string]Policy{}
		}
		out.Metadata[metadataKey] = p
	default:
		return PolicySet{}, fmt.Errorf("permission update type %d: %w", u, ErrInvalidOption)
	}
	return out, nil
}

// OptionSet is the JS SDK's PermissionPolicySet: a group's policies as Options.
type OptionSet struct {
	AddMember, RemoveMember, AddAdmin, RemoveAdmin                     Option
	UpdateGroupName, UpdateGroupDescription, UpdateGroupImageURLSquare Option
	// UpdateMessageDisappearing is read from message_disappear_in_ns and, when set, applies
	// to both disappearing attributes.
	UpdateMessageDisappearing Option
	UpdateAppData             Option
}

// Options describes s for the JS SDK; metadata keys without a policy are DoesNotExist.
func (s PolicySet) Options() OptionSet {
	meta := func(key string) Option {
		if p, ok := s.Metadata[key]; ok {
			return OptionOf(p)
		}
		return OptionDoesNotExist
	}
	return OptionSet{
		AddMember: OptionOf(s.AddMember), RemoveMember: OptionOf(s.RemoveMember),
		AddAdmin: OptionOf(s.AddAdmin), RemoveAdmin: OptionOf(s.RemoveAdmin),
		UpdateGroupName:           meta(metadata.AttrGroupName),
		UpdateGroupDescription:    meta(metadata.AttrDescription),
		UpdateGroupImageURLSquare: meta(metadata.AttrGroupImageURLSquare),
		UpdateMessageDisappearing: meta(metadata.AttrMessageDisappearInNS),
		UpdateAppData:             meta(metadata.AttrAppData),
	}
}

// Custom builds the policy set of a custom-permission group from o. Permission updates stay
// super-admin-only, as in libxmtp. Unlike libxmtp, the disappearing option covers both
// disappearing attributes, so changing the setting (which writes both) follows one policy.
func Custom(o OptionSet) (PolicySet, error) {
	s := PolicySet{Metadata: map[string]Policy{}, UpdatePermissions: SuperAdmin()}
	for _, f := range []struct {
		opt Option
		set func(Policy)
	}{
		{o.AddMember, func(p Policy) { s.AddMember = p }},
		{o.RemoveMember, func(p Policy) { s.RemoveMember = p }},
		{o.UpdateGroupName, func(p Policy) { s.Metadata[metadata.AttrGroupName] = p }},
		{o.UpdateGroupDescription, func(p Policy) { s.Metadata[metadata.AttrDescription] = p }},
		{o.UpdateGroupImageURLSquare, func(p Policy) { s.Metadata[metadata.AttrGroupImageURLSquare] = p }},
		{o.UpdateMessageDisappearing, func(p Policy) {
			s.Metadata[metadata.AttrMessageDisappearInNS] = p
			s.Metadata[metadata.AttrMessageDisappearFromNS] = p
		}},
		{o.UpdateAppData, func(p Policy) { s.Metadata[metadata.AttrAppData] = p }},
	} {
		p, err := f.opt.Policy()
		if err != nil {
			return PolicySet{}, err
		}
		f.set(p)
	}
	var err error
	if s, err = s.WithUpdate(UpdateAddAdmin, o.AddAdmin, ""); err != nil {
		return PolicySet{}, err
	}
	return s.WithUpdate(UpdateRemoveAdmin, o.RemoveAdmin, "")
}
