package metadata

import (
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/mls"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Membership is the group's member list (extension 0xff01, GroupMembership): each member
// inbox mapped to the identity-update sequence id up to which its installations belong to the
// group, plus the installations that could not be added. Every client derives the expected
// installation set from it, so it is the source of truth a commit's Add and Remove proposals
// are checked against.
type Membership struct {
	Members             map[string]uint64
	FailedInstallations [][]byte
}

// NewMembership returns an empty membership.
func NewMembership() Membership { return Membership{Members: map[string]uint64{}} }

// Clone returns a deep copy of m.
func (m Membership) Clone() Membership {
	var failed [][]byte
	for _, f := range m.FailedInstallations {
		failed = append(failed, slices.Clone(f))
	}
	return Membership{Members: maps.Clone(m.Members), FailedInstallations: failed}
}

// InboxIDs returns the member inbox ids, sorted.
func (m Membership) InboxIDs() []string { return slices.Sorted(maps.Keys(m.Members)) }

// Encode returns the extension_data of 0xff01: raw proto bytes, deterministic.
func (m Membership) Encode() ([]byte, error) {
	return encodeProto("group membership", &mlscontents.GroupMembership{
		Members: m.Members, FailedInstallations: m.FailedInstallations,
	})
}

// Extension returns m as the group-context extension 0xff01.
func (m Membership) Extension() (mls.Extension, error) {
	b, err := m.Encode()
	return mls.Extension{Type: ExtensionGroupMembership, Data: b}, err
}

// DecodeMembership parses the extension_data of 0xff01 from untrusted bytes.
func DecodeMembership(data []byte) (Membership, error) {
	var p mlscontents.GroupMembership
	if err := decodeProto("group membership", data, &p); err != nil {
		return Membership{}, err
	}
	members := p.Members
	if members == nil {
		members = map[string]uint64{}
	}
	return Membership{Members: members, FailedInstallations: p.FailedInstallations}, nil
}

// MembershipDiff is how a membership changed: inboxes added, removed, and kept with another
// sequence id (their installations must be re-derived). Each list is sorted.
type MembershipDiff struct {
	Added   []string
	Removed []string
	Updated []string
}

// Empty reports whether nothing changed.
func (d MembershipDiff) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Updated) == 0 }

// Diff returns what changed from old to next.
func Diff(old, next Membership) MembershipDiff {
	var d MembershipDiff
	for id, seq := range old.Members {
		switch newSeq, ok := next.Members[id]; {
		case !ok:
			d.Removed = append(d.Removed, id)
		case newSeq != seq:
			d.Updated = append(d.Updated, id)
		}
	}
	for id := range next.Members {
		if _, ok := old.Members[id]; !ok {
			d.Added = append(d.Added, id)
		}
	}
	slices.Sort(d.Added)
	slices.Sort(d.Removed)
	slices.Sort(d.Updated)
	return d
}
