package metadata

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Immutable is the metadata fixed when a group is created (extension 0xf000, GroupMetadataV1).
type Immutable struct {
	ConversationType ConversationType
	CreatorInboxID   string
	DMMembers        *DMMembers                  // set for DMs only
	Oneshot          *mlscontents.OneshotMessage // set for ONESHOT conversations only
}

// NewGroupImmutable returns the immutable metadata of a group (or SYNC group) created by creator.
func NewGroupImmutable(t ConversationType, creator string) Immutable {
	return Immutable{ConversationType: t, CreatorInboxID: creator}
}

// NewDMImmutable returns the immutable metadata of a DM that creator opens with peer.
func NewDMImmutable(creator, peer string) Immutable {
	return Immutable{ConversationType: ConversationDM, CreatorInboxID: creator, DMMembers: &DMMembers{One: creator, Two: peer}}
}

// DMID returns the DM id of a DM, or ErrNotDM for other conversations.
func (m Immutable) DMID() (string, error) {
	if m.DMMembers == nil {
		return "", ErrNotDM
	}
	return m.DMMembers.ID(), nil
}

// Encode returns the extension_data of 0xf000. Unlike the other XMTP extensions it is a TLS
// opaque<V> around the proto bytes, because openmls defines it as a struct with one vector.
func (m Immutable) Encode() ([]byte, error) {
	p := &mlscontents.GroupMetadataV1{
		ConversationType: mlscontents.ConversationType(m.ConversationType),
		CreatorInboxId:   m.CreatorInboxID,
		OneshotMessage:   m.Oneshot,
	}
	if m.DMMembers != nil {
		p.DmMembers = &mlscontents.DmMembers{
			DmMemberOne: &mlscontents.Inbox{InboxId: m.DMMembers.One},
			DmMemberTwo: &mlscontents.Inbox{InboxId: m.DMMembers.Two},
		}
	}
	b, err := proto.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("immutable metadata: %w", err)
	}
	e := mls.NewEncoder(len(b) + 4)
	e.Opaque(b)
	return e.Bytes(), nil
}

// Extension returns m as the group-context extension 0xf000.
func (m Immutable) Extension() (mls.Extension, error) {
	b, err := m.Encode()
	return mls.Extension{Type: ExtensionImmutableMetadata, Data: b}, err
}

// DecodeImmutable parses the extension_data of 0xf000 from untrusted bytes.
func DecodeImmutable(data []byte) (Immutable, error) {
	d := mls.NewDecoder(data)
	b := d.Opaque()
	if err := d.Finish(); err != nil {
		return Immutable{}, ErrMalformed.Wrap(fmt.Errorf("immutable metadata: %w", err))
	}
	var p mlscontents.GroupMetadataV1
	if err := decodeProto("immutable metadata", b, &p); err != nil {
		return Immutable{}, err
	}
	m := Immutable{ConversationType: ConversationType(p.ConversationType), CreatorInboxID: p.CreatorInboxId, Oneshot: p.OneshotMessage}
	if p.DmMembers != nil {
		if p.DmMembers.DmMemberOne == nil || p.DmMembers.DmMemberTwo == nil {
			return Immutable{}, fmt.Errorf("immutable metadata DM member: %w", ErrMissingField)
		}
		m.DMMembers = &DMMembers{One: p.DmMembers.DmMemberOne.InboxId, Two: p.DmMembers.DmMemberTwo.InboxId}
	}
	return m, nil
}
