package permissions_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/permissions"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

var (
	member     = permissions.Actor{InboxID: "m"}
	admin      = permissions.Actor{InboxID: "a", IsAdmin: true}
	superAdmin = permissions.Actor{InboxID: "s", IsSuperAdmin: true}
)

func TestPolicyAllows(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		p                    permissions.Policy
		member, admin, super bool
	}{
		{"allow", permissions.Allow(), true, true, true},
		{"zero value", permissions.Policy{}, true, true, true},
		{"deny", permissions.Deny(), false, false, false},
		{"admin", permissions.Admin(), false, true, true},
		{"super admin", permissions.SuperAdmin(), false, false, true},
		{"and", permissions.And(permissions.Admin(), permissions.SuperAdmin()), false, false, true},
		{"any", permissions.Any(permissions.Deny(), permissions.Admin()), false, true, true},
		{"nested", permissions.Any(permissions.And(permissions.Allow(), permissions.Deny()), permissions.SuperAdmin()), false, false, true},
	} {
		got := [3]bool{tc.p.Allows(member), tc.p.Allows(admin), tc.p.Allows(superAdmin)}
		if want := [3]bool{tc.member, tc.admin, tc.super}; got != want {
			t.Errorf("%s: member/admin/super admin = %v, want %v", tc.name, got, want)
		}
	}
}

func TestPolicySetRoundTrip(t *testing.T) {
	custom := permissions.Default()
	custom.AddMember = permissions.Any(permissions.Admin(), permissions.And(permissions.Allow(), permissions.Deny()))
	custom.RemoveAdmin = permissions.And(permissions.Admin(), permissions.SuperAdmin())
	custom.Metadata["x"] = permissions.Any(permissions.Deny(), permissions.SuperAdmin())
	for name, s := range map[string]permissions.PolicySet{
		"default": permissions.Default(), "admins only": permissions.AdminsOnly(), "dm": permissions.DM(), "custom": custom,
	} {
		ext, err := s.Extension()
		if err != nil || ext.Type != 0xff02 {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := permissions.DecodePolicySet(ext.Data)
		if err != nil || !got.Equal(s) {
			t.Errorf("%s: round trip = %+v, %v", name, got, err)
		}
	}
}

// The presets on the wire, built by hand from the numbers of xmtp-protocol.md §3.2.
func TestPresetWireValues(t *testing.T) {
	mem := func(n int32) *mlscontents.MembershipPolicy {
		return &mlscontents.MembershipPolicy{Kind: &mlscontents.MembershipPolicy_Base{Base: mlscontents.MembershipPolicy_BasePolicy(n)}}
	}
	meta := func(n int32) *mlscontents.MetadataPolicy {
		return &mlscontents.MetadataPolicy{Kind: &mlscontents.MetadataPolicy_Base{Base: mlscontents.MetadataPolicy_MetadataBasePolicy(n)}}
	}
	perm := func(n int32) *mlscontents.PermissionsUpdatePolicy {
		return &mlscontents.PermissionsUpdatePolicy{Kind: &mlscontents.PermissionsUpdatePolicy_Base{Base: mlscontents.PermissionsUpdatePolicy_PermissionsBasePolicy(n)}}
	}
	wantDefault := &mlscontents.PolicySet{
		AddMemberPolicy: mem(1), RemoveMemberPolicy: mem(3),
		UpdateMetadataPolicy: map[string]*mlscontents.MetadataPolicy{
			"group_name": meta(1), "description": meta(1), "group_image_url_square": meta(1), "app_data": meta(1),
			"message_disappear_from_ns": meta(3), "message_disappear_in_ns": meta(3), "minimum_supported_protocol_version": meta(4),
		},
		AddAdminPolicy: perm(3), RemoveAdminPolicy: perm(3), UpdatePermissionsPolicy: perm(3),
	}
	wantAdmins := proto.CloneOf(wantDefault)
	wantAdmins.AddMemberPolicy = mem(3)
	for _, k := range []string{"group_name", "description", "group_image_url_square", "app_data"} {
		wantAdmins.UpdateMetadataPolicy[k] = meta(3)
	}
	wantDM := &mlscontents.PolicySet{
		AddMemberPolicy: mem(2), RemoveMemberPolicy: mem(2), UpdateMetadataPolicy: map[string]*mlscontents.MetadataPolicy{},
		AddAdminPolicy: perm(1), RemoveAdminPolicy: perm(1), UpdatePermissionsPolicy: perm(1),
	}
	for k := range wantDefault.UpdateMetadataPolicy {
		wantDM.UpdateMetadataPolicy[k] = meta(1)
	}
	for name, tc := range map[string]struct {
		s    permissions.PolicySet
		want *mlscontents.PolicySet
	}{"default": {permissions.Default(), wantDefault}, "admins only": {permissions.AdminsOnly(), wantAdmins}, "dm": {permissions.DM(), wantDM}} {
		got, err := tc.s.Proto()
		if err != nil || !proto.Equal(got, tc.want) {
			t.Errorf("%s preset on the wire:\n got %v\nwant %v (%v)", name, got, tc.want, err)
		}
	}
}

func TestPresetOf(t *testing.T) {
	if permissions.PresetOf(permissions.Default()) != permissions.PresetDefault || permissions.PresetOf(permissions.AdminsOnly()) != permissions.PresetAdminsOnly {
		t.Error("presets must recognize themselves")
	}
	partial := permissions.Default()
	delete(partial.Metadata, "app_data")
	if permissions.PresetOf(partial) != permissions.PresetDefault {
		t.Error("a missing metadata key does not make a set custom (libxmtp is_policy_default)")
	}
	changed, _ := permissions.Default().WithUpdate(permissions.UpdateUpdateMetadata, permissions.OptionDeny, "group_name")
	if permissions.PresetOf(changed) != permissions.PresetCustom || permissions.PresetOf(permissions.DM()) != permissions.PresetCustom {
		t.Error("changed sets and the DM set are custom")
	}
}

func TestMetadataPolicyFallback(t *testing.T) {
	s := permissions.Default()
	if !s.MetadataPolicy("group_name").Allows(member) {
		t.Error("explicit policy ignored")
	}
	if p := s.MetadataPolicy("_commit_log_signer"); p.Allows(admin) || !p.Allows(superAdmin) {
		t.Error(`keys starting with "_" default to super admins`)
	}
	if p := s.MetadataPolicy("some_new_key"); p.Allows(member) || !p.Allows(admin) {
		t.Error("other keys default to admins")
	}
}

func TestEncodeInexpressible(t *testing.T) {
	for name, mutate := range map[string]func(*permissions.PolicySet){
		"allow to add admins": func(s *permissions.PolicySet) { s.AddAdmin = permissions.Allow() },
		"allow nested in remove admin": func(s *permissions.PolicySet) {
			s.RemoveAdmin = permissions.Any(permissions.Admin(), permissions.Allow())
		},
		"allow to change permissions": func(s *permissions.PolicySet) { s.UpdatePermissions = permissions.Allow() },
	} {
		s := permissions.Default()
		mutate(&s)
		if _, err := s.Encode(); !errors.Is(err, permissions.ErrInexpressible) {
			t.Errorf("%s: %v, want ErrInexpressible", name, err)
		}
	}
	s := permissions.Default()
	s.AddMember = permissions.And()
	if _, err := s.Encode(); !errors.Is(err, permissions.ErrInvalidPolicy) {
		t.Errorf("empty And: %v, want ErrInvalidPolicy", err)
	}
}

func TestDecodeInvalidPolicies(t *testing.T) {
	valid, _ := permissions.Default().Proto()
	for name, mutate := range map[string]func(*mlscontents.PolicySet){
		"missing add member":   func(p *mlscontents.PolicySet) { p.AddMemberPolicy = nil },
		"missing update perms": func(p *mlscontents.PolicySet) { p.UpdatePermissionsPolicy = nil },
		"unspecified base":     func(p *mlscontents.PolicySet) { p.RemoveMemberPolicy.Kind = &mlscontents.MembershipPolicy_Base{} },
		"no kind":              func(p *mlscontents.PolicySet) { p.AddMemberPolicy.Kind = nil },
		"permissions value 4": func(p *mlscontents.PolicySet) {
			p.AddAdminPolicy = &mlscontents.PermissionsUpdatePolicy{Kind: &mlscontents.PermissionsUpdatePolicy_Base{Base: 4}}
		},
		"empty any": func(p *mlscontents.PolicySet) {
			p.AddMemberPolicy.Kind = &mlscontents.MembershipPolicy_AnyCondition_{AnyCondition: &mlscontents.MembershipPolicy_AnyCondition{}}
		},
		"metadata value 5": func(p *mlscontents.PolicySet) {
			p.UpdateMetadataPolicy["x"] = &mlscontents.MetadataPolicy{Kind: &mlscontents.MetadataPolicy_Base{Base: 5}}
		},
	} {
		p := proto.CloneOf(valid)
		mutate(p)
		b, _ := proto.Marshal(&mlscontents.GroupMutablePermissionsV1{Policies: p})
		if _, err := permissions.DecodePolicySet(b); !errors.Is(err, permissions.ErrInvalidPolicy) {
			t.Errorf("%s: %v, want ErrInvalidPolicy", name, err)
		}
	}
	for _, b := range [][]byte{{}, {0x0a, 0x10}} {
		if _, err := permissions.DecodePolicySet(b); !errors.Is(err, permissions.ErrInvalidPolicy) {
			t.Errorf("DecodePolicySet(%x): %v, want ErrInvalidPolicy", b, err)
		}
	}
}
