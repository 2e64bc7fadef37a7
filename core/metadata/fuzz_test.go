package metadata_test

import (
	"reflect"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
)

// Each fuzz target feeds untrusted extension bytes to a decoder; what decodes must encode and
// decode again to the same value.

func FuzzDecodeImmutable(f *testing.F) {
	for _, m := range []metadata.Immutable{metadata.NewDMImmutable("a", "b"), metadata.NewGroupImmutable(metadata.ConversationGroup, "c")} {
		b, _ := m.Encode()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := metadata.DecodeImmutable(b)
		if err != nil {
			return
		}
		again, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		m2, err := metadata.DecodeImmutable(again)
		if err != nil || m2.ConversationType != m.ConversationType || m2.CreatorInboxID != m.CreatorInboxID ||
			!reflect.DeepEqual(m2.DMMembers, m.DMMembers) || !proto.Equal(m2.Oneshot, m.Oneshot) {
			t.Fatalf("re-decoded %+v as %+v (%v)", m, m2, err)
		}
	})
}

func FuzzDecodeMutable(f *testing.F) {
	b, _ := metadata.NewGroupMutable("c", metadata.GroupOptions{Name: "n"}).WithAdmin("a", true).Encode()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := metadata.DecodeMutable(b)
		if err != nil {
			return
		}
		again, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if m2, err := metadata.DecodeMutable(again); err != nil || !reflect.DeepEqual(m2, m) {
			t.Fatalf("re-decoded %+v as %+v (%v)", m, m2, err)
		}
	})
}

func FuzzDecodeMembership(f *testing.F) {
	m := metadata.NewMembership()
	m.Members["a"] = 3
	m.FailedInstallations = [][]byte{{1, 2}}
	b, _ := m.Encode()
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := metadata.DecodeMembership(b)
		if err != nil {
			return
		}
		again, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if m2, err := metadata.DecodeMembership(again); err != nil || !reflect.DeepEqual(m2, m) {
			t.Fatalf("re-decoded %+v as %+v (%v)", m, m2, err)
		}
	})
}
