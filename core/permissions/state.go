package permissions

import (
	"fmt"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/mls"
)

// State is what a group's context extensions say in one epoch: the input of Validate.
type State struct {
	Immutable  metadata.Immutable
	Mutable    metadata.Mutable
	Membership metadata.Membership
	Policies   PolicySet
}

// ReadState decodes the four XMTP extensions (0xf000, 0xff00, 0xff01, 0xff02) of a group
// context; any one missing fails with metadata.ErrMissingExtension.
func ReadState(exts mls.Extensions) (State, error) {
	var s State
	for _, x := range []struct {
		t    mls.ExtensionType
		read func([]byte) error
	}{
		{metadata.ExtensionImmutableMetadata, func(b []byte) (err error) { s.Immutable, err = metadata.DecodeImmutable(b); return }},
		{metadata.ExtensionMutableMetadata, func(b []byte) (err error) { s.Mutable, err = metadata.DecodeMutable(b); return }},
		{metadata.ExtensionGroupMembership, func(b []byte) (err error) { s.Membership, err = metadata.DecodeMembership(b); return }},
		{metadata.ExtensionGroupPermissions, func(b []byte) (err error) { s.Policies, err = DecodePolicySet(b); return }},
	} {
		b, err := metadata.FindExtension(exts, x.t)
		if err != nil {
			return State{}, err
		}
		if err := x.read(b); err != nil {
			return State{}, fmt.Errorf("extension 0x%04x: %w", uint16(x.t), err)
		}
	}
	return s, nil
}

// Extensions returns exts with the four XMTP extensions set to s, the others kept: the
// extension list of a GroupContextExtensions proposal, or of a new group when exts holds
// only RequiredCapabilities.
func (s State) Extensions(exts mls.Extensions) (mls.Extensions, error) {
	for _, enc := range []func() (mls.Extension, error){s.Immutable.Extension, s.Mutable.Extension, s.Membership.Extension, s.Policies.Extension} {
		e, err := enc()
		if err != nil {
			return nil, err
		}
		exts = metadata.SetExtension(exts, e)
	}
	return exts, nil
}
