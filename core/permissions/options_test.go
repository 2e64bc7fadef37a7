package permissions_test

import (
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/permissions"
)

func TestOptions(t *testing.T) {
	for o, want := range map[permissions.Option]permissions.Policy{
		permissions.OptionAllow: permissions.Allow(), permissions.OptionDeny: permissions.Deny(),
		permissions.OptionAdmin: permissions.Admin(), permissions.OptionSuperAdmin: permissions.SuperAdmin(),
	} {
		p, err := o.Policy()
		if err != nil || !p.Equal(want) || permissions.OptionOf(p) != o {
			t.Errorf("option %d: %v, %v", o, p, err)
		}
	}
	for _, o := range []permissions.Option{permissions.OptionDoesNotExist, permissions.OptionOther, 9, -1} {
		if _, err := o.Policy(); !errors.Is(err, permissions.ErrInvalidOption) {
			t.Errorf("option %d: %v, want ErrInvalidOption", o, err)
		}
	}
	if permissions.OptionOf(permissions.And(permissions.Admin())) != permissions.OptionOther {
		t.Error("combinations are Other")
	}
}

func TestMetadataFieldKeys(t *testing.T) {
	want := []string{"app_data", "description", "group_name", "group_image_url_square", "message_disappear_from_ns", "message_disappear_in_ns"}
	for i, k := range want {
		if got, err := permissions.MetadataField(i).Key(); err != nil || got != k {
			t.Errorf("field %d = %q, %v; want %q", i, got, err, k)
		}
	}
	if _, err := permissions.MetadataField(6).Key(); !errors.Is(err, permissions.ErrInvalidOption) {
		t.Errorf("field 6: %v", err)
	}
}

func TestWithUpdate(t *testing.T) {
	base := permissions.Default()
	for _, tc := range []struct {
		u   permissions.UpdateType
		o   permissions.Option
		key string
		get func(permissions.PolicySet) permissions.Policy
	}{
		{permissions.UpdateAddMember, permissions.OptionDeny, "", func(s permissions.PolicySet) permissions.Policy { return s.AddMember }},
		{permissions.UpdateRemoveMember, permissions.OptionSuperAdmin, "", func(s permissions.PolicySet) permissions.Policy { return s.RemoveMember }},
		{permissions.UpdateAddAdmin, permissions.OptionAdmin, "", func(s permissions.PolicySet) permissions.Policy { return s.AddAdmin }},
		{permissions.UpdateRemoveAdmin, permissions.OptionDeny, "", func(s permissions.PolicySet) permissions.Policy { return s.RemoveAdmin }},
		{permissions.UpdateUpdateMetadata, permissions.OptionDeny, "group_name", func(s permissions.PolicySet) permissions.Policy { return s.Metadata["group_name"] }},
	} {
		s, err := base.WithUpdate(tc.u, tc.o, tc.key)
		if err != nil {
			t.Fatalf("update %d: %v", tc.u, err)
		}
		if want, _ := tc.o.Policy(); !tc.get(s).Equal(want) {
			t.Errorf("update %d did not set %d", tc.u, tc.o)
		}
	}
	if !base.Equal(permissions.Default()) {
		t.Error("WithUpdate changed its receiver")
	}
	for name, tc := range map[string]struct {
		u    permissions.UpdateType
		o    permissions.Option
		key  string
		want error
	}{
		"allow to add admins":    {permissions.UpdateAddAdmin, permissions.OptionAllow, "", permissions.ErrInexpressible},
		"allow to remove admins": {permissions.UpdateRemoveAdmin, permissions.OptionAllow, "", permissions.ErrInexpressible},
		"does not exist":         {permissions.UpdateAddMember, permissions.OptionDoesNotExist, "", permissions.ErrInvalidOption},
		"metadata without key":   {permissions.UpdateUpdateMetadata, permissions.OptionAllow, "", permissions.ErrInvalidOption},
		"unknown update":         {7, permissions.OptionAllow, "", permissions.ErrInvalidOption},
	} {
		if _, err := base.WithUpdate(tc.u, tc.o, tc.key); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
}

func TestCustomPolicySet(t *testing.T) {
	o := permissions.OptionSet{
		AddMember: permissions.OptionAdmin, RemoveMember: permissions.OptionSuperAdmin,
		AddAdmin: permissions.OptionSuperAdmin, RemoveAdmin: permissions.OptionDeny,
		UpdateGroupName: permissions.OptionAllow, UpdateGroupDescription: permissions.OptionDeny,
		UpdateGroupImageURLSquare: permissions.OptionAdmin, UpdateMessageDisappearing: permissions.OptionAllow,
		UpdateAppData: permissions.OptionSuperAdmin,
	}
	s, err := permissions.Custom(o)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Options(); got != o {
		t.Errorf("Options() = %+v, want %+v", got, o)
	}
	if !s.Metadata["message_disappear_from_ns"].Equal(permissions.Allow()) || !s.UpdatePermissions.Equal(permissions.SuperAdmin()) {
		t.Error("disappearing covers both keys; permission updates stay super-admin-only")
	}
	if _, err := s.Encode(); err != nil {
		t.Errorf("custom set does not encode: %v", err)
	}
	o.RemoveAdmin = permissions.OptionAllow
	if _, err := permissions.Custom(o); !errors.Is(err, permissions.ErrInexpressible) {
		t.Errorf("Allow to remove admins: %v, want ErrInexpressible", err)
	}
	o.RemoveAdmin, o.UpdateAppData = permissions.OptionDeny, permissions.OptionOther
	if _, err := permissions.Custom(o); !errors.Is(err, permissions.ErrInvalidOption) {
		t.Errorf("Other: %v, want ErrInvalidOption", err)
	}
	if got := permissions.DM().Options(); got.AddMember != permissions.OptionDeny || got.UpdateAppData != permissions.OptionAllow {
		t.Errorf("DM options = %+v", got)
	}
	if got := (permissions.PolicySet{}).Options(); got.UpdateGroupName != permissions.OptionDoesNotExist {
		t.Errorf("missing metadata policy = %d, want DoesNotExist", got.UpdateGroupName)
	}
}
