package permissions

import (
	"fmt"
	"maps"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/mls"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// PolicySet is a group's permissions (extension 0xff02, GroupMutablePermissionsV1).
// AddAdmin and RemoveAdmin govern the admin list; UpdatePermissions is stored but, as in
// libxmtp, Validate lets only super admins change the policies whatever it says.
type PolicySet struct {
	AddMember    Policy
	RemoveMember Policy
	// Metadata holds the policy of each attribute key that has one; see MetadataPolicy.
	Metadata          map[string]Policy
	AddAdmin          Policy
	RemoveAdmin       Policy
	UpdatePermissions Policy
}

// MetadataPolicy returns the policy for changing attribute key: its own when the set names
// one, otherwise super admins only for keys starting with "_" and admins for the rest.
func (s PolicySet) MetadataPolicy(key string) Policy {
	if p, ok := s.Metadata[key]; ok {
		return p
	}
	if metadata.IsSuperAdminKey(key) {
		return SuperAdmin()
	}
	return Admin()
}

// Equal reports whether s and t hold the same policies.
func (s PolicySet) Equal(t PolicySet) bool {
	return s.AddMember.Equal(t.AddMember) && s.RemoveMember.Equal(t.RemoveMember) &&
		s.AddAdmin.Equal(t.AddAdmin) && s.RemoveAdmin.Equal(t.RemoveAdmin) &&
		s.UpdatePermissions.Equal(t.UpdatePermissions) && maps.EqualFunc(s.Metadata, t.Metadata, Policy.Equal)
}

// Clone returns a copy of s whose metadata map may be changed freely.
func (s PolicySet) Clone() PolicySet {
	s.Metadata = maps.Clone(s.Metadata)
	return s
}

// Proto returns s as the wire PolicySet, or ErrInexpressible when a policy uses a base its
// proto cannot carry (Allow in an admin-list or permissions policy).
func (s PolicySet) Proto() (*mlscontents.PolicySet, error) {
	var p mlscontents.PolicySet
	var err error
	if p.AddMemberPolicy, err = membershipWire.encode(s.AddMember); err != nil {
		return nil, fmt.Errorf("add member: %w", err)
	}
	if p.RemoveMemberPolicy, err = membershipWire.encode(s.RemoveMember); err != nil {
		return nil, fmt.Errorf("remove member: %w", err)
	}
	if p.AddAdminPolicy, err = permissionsWire.encode(s.AddAdmin); err != nil {
		return nil, fmt.Errorf("add admin: %w", err)
	}
	if p.RemoveAdminPolicy, err = permissionsWire.encode(s.RemoveAdmin); err != nil {
		return nil, fmt.Errorf("remove admin: %w", err)
	}
	if p.UpdatePermissionsPolicy, err = permissionsWire.encode(s.UpdatePermissions); err != nil {
		return nil, fmt.Errorf("update permissions: %w", err)
	}
	p.UpdateMetadataPolicy = make(map[string]*mlscontents.MetadataPolicy, len(s.Metadata))
	for key, policy := range s.Metadata {
		if p.UpdateMetadataPolicy[key], err = metadataWire.encode(policy); err != nil {
			return nil, fmt.Errorf("metadata %s: %w", key, err)
		}
	}
	return &p, nil
}

// PolicySetFromProto reads a wire PolicySet; every policy but the metadata map is required.
func PolicySetFromProto(p *mlscontents.PolicySet) (PolicySet, error) {
	if p.GetAddMemberPolicy() == nil || p.GetRemoveMemberPolicy() == nil || p.GetAddAdminPolicy() == nil ||
		p.GetRemoveAdminPolicy() == nil || p.GetUpdatePermissionsPolicy() == nil {
		return PolicySet{}, fmt.Errorf("policy set lacks a policy: %w", ErrInvalidPolicy)
	}
	var s PolicySet
	var err error
	if s.AddMember, err = membershipWire.decode(p.AddMemberPolicy); err != nil {
		return PolicySet{}, fmt.Errorf("add member: %w", err)
	}
	if s.RemoveMember, err = membershipWire.decode(p.RemoveMemberPolicy); err != nil {
		return PolicySet{}, fmt.Errorf("remove member: %w", err)
	}
	if s.AddAdmin, err = permissionsWire.decode(p.AddAdminPolicy); err != nil {
		return PolicySet{}, fmt.Errorf("add admin: %w", err)
	}
	if s.RemoveAdmin, err = permissionsWire.decode(p.RemoveAdminPolicy); err != nil {
		return PolicySet{}, fmt.Errorf("remove admin: %w", err)
	}
	if s.UpdatePermissions, err = permissionsWire.decode(p.UpdatePermissionsPolicy); err != nil {
		return PolicySet{}, fmt.Errorf("update permissions: %w", err)
	}
	s.Metadata = make(map[string]Policy, len(p.UpdateMetadataPolicy))
	for key, w := range p.UpdateMetadataPolicy {
		if s.Metadata[key], err = metadataWire.decode(w); err != nil {
			return PolicySet{}, fmt.Errorf("metadata %s: %w", key, err)
		}
	}
	return s, nil
}

// Encode returns the extension_data of 0xff02: GroupMutablePermissionsV1, deterministic.
func (s PolicySet) Encode() ([]byte, error) {
	p, err := s.Proto()
	if err != nil {
		return nil, err
	}
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&mlscontents.GroupMutablePermissionsV1{Policies: p})
	if err != nil {
		return nil, fmt.Errorf("group permissions: %w", err)
	}
	return b, nil
}

// Extension returns s as the group-context extension 0xff02.
func (s PolicySet) Extension() (mls.Extension, error) {
	b, err := s.Encode()
	return mls.Extension{Type: metadata.ExtensionGroupPermissions, Data: b}, err
}

// DecodePolicySet parses the extension_data of 0xff02 from untrusted bytes.
func DecodePolicySet(data []byte) (PolicySet, error) {
	var p mlscontents.GroupMutablePermissionsV1
	if err := proto.Unmarshal(data, &p); err != nil {
		return PolicySet{}, ErrInvalidPolicy.Wrap(fmt.Errorf("group permissions: %w", err))
	}
	if p.Policies == nil {
		return PolicySet{}, fmt.Errorf("group permissions without policies: %w", ErrInvalidPolicy)
	}
	return PolicySetFromProto(p.Policies)
}
