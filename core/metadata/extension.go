package metadata

import (
	"fmt"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
)

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

// SetExtension returns a copy of exts with e in place of the extension of its type, or with
// e appended when there is none, so a GroupContextExtensions proposal keeps every other
// extension and their order.
func SetExtension(exts mls.Extensions, e mls.Extension) mls.Extensions {
	out := slices.Clone(exts)
	for i := range out {
		if out[i].Type == e.Type {
			out[i] = e
			return out
		}
	}
	return append(out, e)
}

// FindExtension returns the data of the extension of type t, or ErrMissingExtension.
func FindExtension(exts mls.Extensions, t mls.ExtensionType) ([]byte, error) {
	if b, ok := exts.Find(t); ok {
		return b, nil
	}
	return nil, fmt.Errorf("extension 0x%04x: %w", uint16(t), ErrMissingExtension)
}

// encodeProto marshals the proto of the extension named what deterministically, so that
// every member encoding the same content commits the same bytes.
func encodeProto(what string, m proto.Message) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return b, nil
}

// decodeProto parses untrusted bytes into the proto of the extension named what.
func decodeProto(what string, data []byte, m proto.Message) error {
	if err := proto.Unmarshal(data, m); err != nil {
		return ErrMalformed.Wrap(fmt.Errorf("%s: %w", what, err))
	}
	return nil
}
