package metadata

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/mls"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Mutable is the metadata commits may change (extension 0xff00, GroupMutableMetadataV1): the
// named attributes and the two admin lists. Treat it as a value: the With methods return
// changed copies and never touch the receiver's map or slices.
type Mutable struct {
	Attributes  map[string]string
	Admins      []string
	SuperAdmins []string
}

// GroupOptions are the creator's choices for a new group; empty strings are stored as such.
type GroupOptions struct {
	Name, Description, ImageURLSquare, AppData string
	// Disappearing, when set, is stored in the two message_disappear_* attributes.
	Disappearing *Disappearing
	// CommitLogSigner is the 32-byte Ed25519 private key of the commit log; nil draws one.
	CommitLogSigner []byte
}

// commitLogSignerSize is the size of an Ed25519 private key seed.
const commitLogSignerSize = 32

// NewGroupMutable returns the mutable metadata libxmtp 1.11 writes for a new group: name,
// description, image URL and app data, the disappearing settings when given, a commit-log
// signer, no admins and the creator as the one super admin.
func NewGroupMutable(creator string, opts GroupOptions) Mutable {
	attrs := map[string]string{
		AttrGroupName:           opts.Name,
		AttrDescription:         opts.Description,
		AttrGroupImageURLSquare: opts.ImageURLSquare,
		AttrAppData:             opts.AppData,
	}
	setCommonDefaults(attrs, opts.Disappearing, opts.CommitLogSigner)
	return Mutable{Attributes: attrs, Admins: []string{}, SuperAdmins: []string{creator}}
}

// NewDMMutable returns the mutable metadata of a new DM: empty name, description and image
// URL (no app data, as libxmtp), the disappearing settings when given, a commit-log signer and
// empty admin lists, since a DM has no admins.
func NewDMMutable(disappearing *Disappearing, commitLogSigner []byte) Mutable {
	attrs := map[string]string{AttrGroupName: "", AttrDescription: "", AttrGroupImageURLSquare: ""}
	setCommonDefaults(attrs, disappearing, commitLogSigner)
	return Mutable{Attributes: attrs, Admins: []string{}, SuperAdmins: []string{}}
}

func setCommonDefaults(attrs map[string]string, disappearing *Disappearing, signer []byte) {
	if disappearing != nil {
		disappearing.setOn(attrs)
	}
	if signer == nil {
		signer = make([]byte, commitLogSignerSize)
		rand.Read(signer) // never fails (crypto/rand since Go 1.24)
	}
	attrs[AttrCommitLogSigner] = hex.EncodeToString(signer)
}

// IsAdmin reports whether inboxID is on the admin list (not the super-admin list).
func (m Mutable) IsAdmin(inboxID string) bool { return slices.Contains(m.Admins, inboxID) }

// IsSuperAdmin reports whether inboxID is on the super-admin list.
func (m Mutable) IsSuperAdmin(inboxID string) bool { return slices.Contains(m.SuperAdmins, inboxID) }

// Disappearing returns the disappearing-messages setting (zero when unset).
func (m Mutable) Disappearing() Disappearing { return disappearingFrom(m.Attributes) }

// CommitLogSigner returns the commit-log private key, or nil when absent or not hex.
func (m Mutable) CommitLogSigner() []byte {
	b, err := hex.DecodeString(m.Attributes[AttrCommitLogSigner])
	if err != nil || len(b) == 0 {
		return nil
	}
	return b
}

// Clone returns a deep copy of m.
func (m Mutable) Clone() Mutable {
	return Mutable{Attributes: maps.Clone(m.Attributes), Admins: slices.Clone(m.Admins), SuperAdmins: slices.Clone(m.SuperAdmins)}
}

// WithAttribute returns a copy of m with key set to value, checking the length limit.
func (m Mutable) WithAttribute(key, value string) (Mutable, error) {
	if err := CheckAttribute(key, value); err != nil {
		return Mutable{}, err
	}
	out := m.Clone()
	if out.Attributes == nil {
		out.Attributes = map[string]string{}
	}
	out.Attributes[key] = value
	return out, nil
}

// WithAdmin returns a copy of m with inboxID added to (add) or removed from the admin list.
func (m Mutable) WithAdmin(inboxID string, add bool) Mutable {
	out := m.Clone()
	out.Admins = setMember(out.Admins, inboxID, add)
	return out
}

// WithSuperAdmin returns a copy of m with inboxID added to (add) or removed from the
// super-admin list.
func (m Mutable) WithSuperAdmin(inboxID string, add bool) Mutable {
	out := m.Clone()
	out.SuperAdmins = setMember(out.SuperAdmins, inboxID, add)
	return out
}

func setMember(list []string, id string, add bool) []string {
	if add {
		if slices.Contains(list, id) {
			return list
		}
		return append(list, id)
	}
	return slices.DeleteFunc(list, func(s string) bool { return s == id })
}

// Encode returns the extension_data of 0xff00: raw proto bytes, deterministic, with both
// lists present even when empty (libxmtp rejects metadata without them).
func (m Mutable) Encode() ([]byte, error) {
	return encodeProto("mutable metadata", &mlscontents.GroupMutableMetadataV1{
		Attributes:     m.Attributes,
		AdminList:      &mlscontents.Inboxes{InboxIds: m.Admins},
		SuperAdminList: &mlscontents.Inboxes{InboxIds: m.SuperAdmins},
	})
}

// Extension returns m as the group-context extension 0xff00.
func (m Mutable) Extension() (mls.Extension, error) {
	b, err := m.Encode()
	return mls.Extension{Type: ExtensionMutableMetadata, Data: b}, err
}

// DecodeMutable parses the extension_data of 0xff00 from untrusted bytes.
func DecodeMutable(data []byte) (Mutable, error) {
	var p mlscontents.GroupMutableMetadataV1
	if err := decodeProto("mutable metadata", data, &p); err != nil {
		return Mutable{}, err
	}
	if p.AdminList == nil || p.SuperAdminList == nil {
		return Mutable{}, fmt.Errorf("mutable metadata admin lists: %w", ErrMissingField)
	}
	attrs := p.Attributes
	if attrs == nil {
		attrs = map[string]string{}
	}
	return Mutable{Attributes: attrs, Admins: nonNil(p.AdminList.InboxIds), SuperAdmins: nonNil(p.SuperAdminList.InboxIds)}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
