package permissions_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/mls"
)

// group is a Default-policy group: "creator" is the super admin, "admin" an admin, "alice"
// and "bob" plain members.
func group(policies permissions.PolicySet) permissions.State {
	m := metadata.NewGroupMutable("creator", metadata.GroupOptions{Name: "g", CommitLogSigner: make([]byte, 32)}).WithAdmin("admin", true)
	ms := metadata.NewMembership()
	for _, id := range []string{"creator", "admin", "alice", "bob"} {
		ms.Members[id] = 1
	}
	return permissions.State{Immutable: metadata.NewGroupImmutable(metadata.ConversationGroup, "creator"), Mutable: m, Membership: ms, Policies: policies}
}

func dm() permissions.State {
	ms := metadata.NewMembership()
	ms.Members["alice"], ms.Members["bob"] = 1, 1
	return permissions.State{Immutable: metadata.NewDMImmutable("alice", "bob"), Mutable: metadata.NewDMMutable(nil, make([]byte, 32)), Membership: ms, Policies: permissions.DM()}
}

// change returns a deep copy of s changed by f.
func change(s permissions.State, f func(*permissions.State)) permissions.State {
	s.Mutable = s.Mutable.Clone()
	s.Membership = s.Membership.Clone()
	s.Policies = s.Policies.Clone()
	f(&s)
	return s
}

func add(ids ...string) func(*permissions.State) {
	return func(s *permissions.State) {
		for _, id := range ids {
			s.Membership.Members[id] = 1
		}
	}
}

func remove(ids ...string) func(*permissions.State) {
	return func(s *permissions.State) {
		for _, id := range ids {
			delete(s.Membership.Members, id)
		}
	}
}

func setAttr(key, value string) func(*permissions.State) {
	return func(s *permissions.State) { s.Mutable, _ = s.Mutable.WithAttribute(key, value) }
}

func admins(id string, add bool) func(*permissions.State) {
	return func(s *permissions.State) { s.Mutable = s.Mutable.WithAdmin(id, add) }
}

func superAdmins(id string, add bool) func(*permissions.State) {
	return func(s *permissions.State) { s.Mutable = s.Mutable.WithSuperAdmin(id, add) }
}

func TestValidate(t *testing.T) {
	def, adminsOnly := group(permissions.Default()), group(permissions.AdminsOnly())
	demoted := change(def, func(s *permissions.State) { // "admin" is also a super admin; creator demoted
		s.Mutable = s.Mutable.WithSuperAdmin("admin", true).WithSuperAdmin("creator", false)
	})
	for _, tc := range []struct {
		name  string
		actor string
		old   permissions.State
		f     func(*permissions.State)
		want  error // nil: allowed
	}{
		// membership of the actor
		{"outsider commits", "eve", def, setAttr("group_name", "x"), permissions.ErrActorNotMember},
		{"actor removes itself", "alice", def, remove("alice"), permissions.ErrActorNotMember},
		{"key update by a member", "alice", def, func(*permissions.State) {}, nil},
		// immutable metadata
		{"creator changed", "creator", def, func(s *permissions.State) { s.Immutable.CreatorInboxID = "alice" }, permissions.ErrImmutableChanged},
		{"conversation type changed", "creator", def, func(s *permissions.State) { s.Immutable.ConversationType = metadata.ConversationDM }, permissions.ErrImmutableChanged},
		// sequence ids
		{"sequence id rises", "alice", def, func(s *permissions.State) { s.Membership.Members["bob"] = 5 }, nil},
		{"sequence id falls", "alice", change(def, func(s *permissions.State) { s.Membership.Members["bob"] = 5 }), func(s *permissions.State) { s.Membership.Members["bob"] = 4 }, permissions.ErrSequenceIDDecreased},
		// length limits
		{"name at the limit", "alice", def, setAttr("group_name", strings.Repeat("n", 100)), nil},
		{"name over the limit", "creator", def, func(s *permissions.State) { s.Mutable.Attributes["group_name"] = strings.Repeat("n", 101) }, metadata.ErrTooLong},
		{"app data over the limit", "creator", def, func(s *permissions.State) { s.Mutable.Attributes["app_data"] = strings.Repeat("a", 8193) }, metadata.ErrTooLong},
		// adding members
		{"member adds (default)", "alice", def, add("carol"), nil},
		{"member adds (admins only)", "alice", adminsOnly, add("carol"), permissions.ErrDenied},
		{"admin adds (admins only)", "admin", adminsOnly, add("carol", "dave"), nil},
		{"DM member re-adds the other", "alice", change(dm(), remove("bob")), add("bob"), nil},
		{"DM member adds a stranger", "alice", dm(), add("carol"), permissions.ErrDenied},
		{"DM re-add with a stranger", "alice", change(dm(), remove("bob")), add("bob", "carol"), permissions.ErrDenied},
		// removing members
		{"member removes", "alice", def, remove("bob"), permissions.ErrDenied},
		{"admin removes", "admin", def, remove("bob"), nil},
		{"admin removes the super-admin creator", "admin", def, remove("creator"), permissions.ErrRemoveSuperAdmin},
		{"creator removes another super admin", "creator", change(def, superAdmins("alice", true)), remove("alice"), permissions.ErrRemoveSuperAdmin},
		{"admin removes the demoted creator", "admin", demoted, remove("creator"), nil},
		{"DM member removes the other", "alice", dm(), remove("bob"), permissions.ErrDenied},
		// metadata
		{"member renames (default)", "alice", def, setAttr("group_name", "new"), nil},
		{"member renames (admins only)", "alice", adminsOnly, setAttr("group_name", "new"), permissions.ErrDenied},
		{"member sets disappearing", "alice", def, setAttr("message_disappear_in_ns", "10"), permissions.ErrDenied},
		{"admin sets disappearing", "admin", def, setAttr("message_disappear_in_ns", "10"), nil},
		{"admin sets min version", "admin", def, setAttr("minimum_supported_protocol_version", "1.2.0"), permissions.ErrDenied},
		{"super admin sets min version", "creator", def, setAttr("minimum_supported_protocol_version", "1.2.0"), nil},
		{"admin rotates the commit-log signer", "admin", def, setAttr("_commit_log_signer", "00"), permissions.ErrDenied},
		{"super admin rotates the commit-log signer", "creator", def, setAttr("_commit_log_signer", "00"), nil},
		{"member sets an unknown key", "alice", def, setAttr("color", "red"), permissions.ErrDenied},
		{"admin sets an unknown key", "admin", def, setAttr("color", "red"), nil},
		{"member deletes the name", "alice", adminsOnly, func(s *permissions.State) { delete(s.Mutable.Attributes, "group_name") }, permissions.ErrDenied},
		{"DM member renames", "bob", dm(), setAttr("group_name", "us"), nil},
		// admin list
		{"admin adds an admin", "admin", def, admins("alice", true), permissions.ErrDenied},
		{"super admin adds an admin", "creator", def, admins("alice", true), nil},
		{"admin removes an admin", "admin", def, admins("admin", false), permissions.ErrDenied},
		{"super admin removes an admin", "creator", def, admins("admin", false), nil},
		{"admin adds admins when admins may", "admin", change(def, func(s *permissions.State) { s.Policies.AddAdmin = permissions.Admin() }), admins("alice", true), nil},
		{"member promotes itself and renames", "alice", adminsOnly, func(s *permissions.State) { admins("alice", true)(s); setAttr("group_name", "x")(s) }, permissions.ErrDenied},
		// super-admin list
		{"admin adds a super admin", "admin", def, superAdmins("alice", true), permissions.ErrSuperAdminOnly},
		{"super admin adds a super admin", "creator", def, superAdmins("alice", true), nil},
		{"admin demotes a super admin", "admin", def, superAdmins("creator", false), permissions.ErrSuperAdminOnly},
		{"super admin demotes another", "creator", change(def, superAdmins("alice", true)), superAdmins("alice", false), nil},
		{"last super admin demotes itself", "creator", def, superAdmins("creator", false), permissions.ErrLastSuperAdmin},
		{"super admin steps down for another", "creator", def, func(s *permissions.State) { superAdmins("alice", true)(s); superAdmins("creator", false)(s) }, nil},
		// policies
		{"admin changes policies", "admin", change(def, func(s *permissions.State) { s.Policies.UpdatePermissions = permissions.Admin() }),
			func(s *permissions.State) { s.Policies.AddMember = permissions.Deny() }, permissions.ErrSuperAdminOnly},
		{"super admin changes policies", "creator", def, func(s *permissions.State) { s.Policies.AddMember = permissions.Deny() }, nil},
		{"super admin changes policies despite deny", "creator", change(def, func(s *permissions.State) { s.Policies.UpdatePermissions = permissions.Deny() }),
			func(s *permissions.State) { s.Policies.RemoveMember = permissions.SuperAdmin() }, nil},
		{"DM member changes policies", "alice", dm(), func(s *permissions.State) { s.Policies.AddMember = permissions.Allow() }, permissions.ErrSuperAdminOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := permissions.Validate(tc.actor, tc.old, change(tc.old, tc.f))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Validate = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestValidateSummary(t *testing.T) {
	old := group(permissions.Default())
	next := change(old, func(s *permissions.State) {
		add("carol")(s)
		remove("bob", "alice")(s)
		s.Membership.Members["admin"] = 3
		setAttr("group_name", "renamed")(s)
		setAttr("description", "about")(s)
		delete(s.Mutable.Attributes, "app_data")
		admins("carol", true)(s)
		superAdmins("admin", true)(s)
		s.Policies.AddMember = permissions.Admin()
	})
	sum, err := permissions.Validate("creator", old, next)
	if err != nil {
		t.Fatal(err)
	}
	str := func(s string) *string { return &s }
	want := permissions.Summary{
		Added: []string{"carol"}, Removed: []string{"alice", "bob"}, Updated: []string{"admin"},
		MetadataChanges: []content.MetadataChange{
			{Field: "app_data", OldValue: str("")},
			{Field: "description", OldValue: str(""), NewValue: str("about")},
			{Field: "group_name", OldValue: str("g"), NewValue: str("renamed")},
		},
		AddedAdmins: []string{"carol"}, AddedSuperAdmins: []string{"admin"}, PermissionsChanged: true,
	}
	if !reflect.DeepEqual(sum, want) {
		t.Fatalf("Summary =\n%+v\nwant\n%+v", sum, want)
	}
	if sum.Empty() {
		t.Error("Summary.Empty with changes")
	}
	if s, _ := permissions.Validate("creator", old, change(old, func(s *permissions.State) {
		s.Membership.Members["bob"] = 9
		s.Policies.AddMember = permissions.Deny()
	})); !s.Empty() {
		t.Error("sequence-id and policy changes alone need no transcript")
	}
	g := sum.Transcript("creator", []string{"bob"})
	if g.InitiatedBy != "creator" || !reflect.DeepEqual(g.Left, []string{"bob"}) || !reflect.DeepEqual(g.Removed, []string{"alice"}) ||
		!reflect.DeepEqual(g.AddedSuperAdmins, []string{"admin"}) || len(g.MetadataChanges) != 3 {
		t.Errorf("Transcript = %+v", g)
	}
}

func TestStateExtensions(t *testing.T) {
	s := group(permissions.Default())
	other := mls.Extension{Type: mls.ExtensionRequiredCapabilities, Data: []byte{1, 2}}
	exts, err := s.Extensions(mls.Extensions{other})
	if err != nil || len(exts) != 5 || exts[0].Type != other.Type {
		t.Fatalf("Extensions = %v, %v", exts, err)
	}
	back, err := permissions.ReadState(exts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := permissions.Validate("alice", s, back); err != nil {
		t.Errorf("state read back differs: %v", err)
	}
	renamed := change(s, setAttr("group_name", "x"))
	exts2, _ := renamed.Extensions(exts)
	if len(exts2) != 5 || exts[1].Type != exts2[1].Type {
		t.Error("updating must replace extensions in place")
	}
	if got, _ := permissions.ReadState(exts2); got.Mutable.Attributes["group_name"] != "x" {
		t.Error("update lost")
	}
	if _, err := permissions.ReadState(exts[:4]); !errors.Is(err, metadata.ErrMissingExtension) {
		t.Errorf("missing permissions: %v", err)
	}
	broken := metadata.SetExtension(exts, mls.Extension{Type: metadata.ExtensionGroupMembership, Data: []byte{0x0a}})
	if _, err := permissions.ReadState(broken); !errors.Is(err, metadata.ErrMalformed) {
		t.Errorf("malformed membership: %v", err)
	}
}
