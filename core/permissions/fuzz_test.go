package permissions_test

import (
	"testing"

	"github.com/goxmtp/goxmtp/core/permissions"
)

// FuzzDecodePolicySet feeds untrusted 0xff02 bytes to DecodePolicySet; a set that decodes
// must encode (everything decoded is expressible) and decode to an equal set.
func FuzzDecodePolicySet(f *testing.F) {
	custom := permissions.Default()
	custom.AddMember = permissions.Any(permissions.Admin(), permissions.And(permissions.Deny(), permissions.Allow()))
	for _, s := range []permissions.PolicySet{permissions.Default(), permissions.DM(), custom} {
		b, _ := s.Encode()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := permissions.DecodePolicySet(b)
		if err != nil {
			return
		}
		again, err := s.Encode()
		if err != nil {
			t.Fatalf("decoded set does not encode: %v", err)
		}
		s2, err := permissions.DecodePolicySet(again)
		if err != nil || !s2.Equal(s) {
			t.Fatalf("re-decoded set differs (%v)", err)
		}
	})
}
