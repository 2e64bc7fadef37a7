package permissions_test

import (
	"testing"

	"github.com/goxmtp/goxmtp/core/permissions"
)

func BenchmarkPolicyAllows(b *testing.B) {
	p := permissions.Any(permissions.And(permissions.Admin(), permissions.Deny()), permissions.SuperAdmin())
	for b.Loop() {
		p.Allows(admin)
	}
}

// BenchmarkValidate measures checking a typical commit: one member added and the group renamed.
func BenchmarkValidate(b *testing.B) {
	old := group(permissions.Default())
	next := change(old, func(s *permissions.State) {
		add("carol")(s)
		setAttr("group_name", "renamed")(s)
	})
	for b.Loop() {
		if _, err := permissions.Validate("alice", old, next); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodePolicySet(b *testing.B) {
	raw, _ := permissions.Default().Encode()
	for b.Loop() {
		if _, err := permissions.DecodePolicySet(raw); err != nil {
			b.Fatal(err)
		}
	}
}
