package metadata_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func TestImmutableRoundTrip(t *testing.T) {
	for _, m := range []metadata.Immutable{
		metadata.NewGroupImmutable(metadata.ConversationGroup, "creator"),
		metadata.NewGroupImmutable(metadata.ConversationSync, "me"),
		metadata.NewDMImmutable("alice", "bob"),
		{ConversationType: metadata.ConversationOneshot, CreatorInboxID: "c", Oneshot: &mlscontents.OneshotMessage{
			MessageType: &mlscontents.OneshotMessage_ReaddRequest{ReaddRequest: &mlscontents.ReaddRequest{GroupId: []byte{1}, LatestCommitSequenceId: 9}}}},
		{ConversationType: 42, CreatorInboxID: "future"},
	} {
		ext, err := m.Extension()
		if err != nil || ext.Type != 0xf000 {
			t.Fatal(ext.Type, err)
		}
		got, err := metadata.DecodeImmutable(ext.Data)
		if err != nil {
			t.Fatal(err)
		}
		if got.ConversationType != m.ConversationType || got.CreatorInboxID != m.CreatorInboxID ||
			!reflect.DeepEqual(got.DMMembers, m.DMMembers) || !proto.Equal(got.Oneshot, m.Oneshot) {
			t.Errorf("round trip of %+v = %+v", m, got)
		}
	}
}

// 0xf000 is a TLS opaque<V> around the proto: a varint length, then GroupMetadataV1 bytes.
func TestImmutableIsLengthPrefixed(t *testing.T) {
	data, _ := metadata.NewGroupImmutable(metadata.ConversationGroup, "ab").Encode()
	want := []byte{6, 0x08, 0x01, 0x1a, 0x02, 'a', 'b'}
	if !bytes.Equal(data, want) {
		t.Fatalf("Encode = %x, want %x", data, want)
	}
	for _, bad := range [][]byte{{}, {7, 0x08, 0x01}, append(want, 0), {2, 0xff, 0xff}} {
		if _, err := metadata.DecodeImmutable(bad); !errors.Is(err, metadata.ErrMalformed) {
			t.Errorf("DecodeImmutable(%x) = %v, want ErrMalformed", bad, err)
		}
	}
	half, _ := proto.Marshal(&mlscontents.GroupMetadataV1{DmMembers: &mlscontents.DmMembers{DmMemberOne: &mlscontents.Inbox{InboxId: "a"}}})
	if _, err := metadata.DecodeImmutable(append([]byte{byte(len(half))}, half...)); !errors.Is(err, metadata.ErrMissingField) {
		t.Errorf("DM with one member: %v, want ErrMissingField", err)
	}
}

func TestDMID(t *testing.T) {
	if got := metadata.DMID("BBB", "aaa"); got != "dm:aaa:bbb" {
		t.Errorf("DMID = %q", got)
	}
	if metadata.DMID("x", "y") != metadata.DMID("y", "x") {
		t.Error("DMID must not depend on order")
	}
	id, err := metadata.NewDMImmutable("Zed", "amy").DMID()
	if err != nil || id != "dm:amy:zed" {
		t.Errorf("Immutable.DMID = %q, %v", id, err)
	}
	if _, err := metadata.NewGroupImmutable(metadata.ConversationGroup, "a").DMID(); !errors.Is(err, metadata.ErrNotDM) {
		t.Errorf("group DMID error = %v", err)
	}
}

func TestConversationTypes(t *testing.T) {
	if !metadata.ConversationSync.Known() || metadata.ConversationSync.Listed() || !metadata.ConversationDM.Listed() {
		t.Error("SYNC is known but not listed; DMs are listed")
	}
	if metadata.ConversationType(0).Known() || metadata.ConversationType(9).String() != "unknown(9)" {
		t.Error("unspecified and future types are unknown")
	}
}

func TestNewGroupMutable(t *testing.T) {
	signer := bytes.Repeat([]byte{0xab}, 32)
	m := metadata.NewGroupMutable("creator", metadata.GroupOptions{Name: "n", Disappearing: &metadata.Disappearing{FromNS: 5, InNS: 7}, CommitLogSigner: signer})
	want := map[string]string{
		"group_name": "n", "description": "", "group_image_url_square": "", "app_data": "",
		"message_disappear_from_ns": "5", "message_disappear_in_ns": "7",
		"_commit_log_signer": strings.Repeat("ab", 32),
	}
	if !reflect.DeepEqual(m.Attributes, want) || len(m.Admins) != 0 || !reflect.DeepEqual(m.SuperAdmins, []string{"creator"}) {
		t.Fatalf("NewGroupMutable = %+v", m)
	}
	if !m.IsSuperAdmin("creator") || m.IsAdmin("creator") || !bytes.Equal(m.CommitLogSigner(), signer) {
		t.Error("creator must be the one super admin, with the given signer")
	}
	if d := m.Disappearing(); !d.Enabled() || d.InNS != 7 {
		t.Errorf("Disappearing = %+v", d)
	}
	drawn := metadata.NewGroupMutable("c", metadata.GroupOptions{})
	if len(drawn.CommitLogSigner()) != 32 || drawn.Disappearing().Enabled() {
		t.Errorf("default group: signer %x, disappearing %+v", drawn.CommitLogSigner(), drawn.Disappearing())
	}
	if _, ok := drawn.Attributes["message_disappear_in_ns"]; ok {
		t.Error("disappearing attributes are written only when configured")
	}
}

func TestNewDMMutable(t *testing.T) {
	m := metadata.NewDMMutable(nil, nil)
	if _, ok := m.Attributes["app_data"]; ok || len(m.Attributes) != 4 || len(m.SuperAdmins) != 0 || len(m.Admins) != 0 {
		t.Fatalf("NewDMMutable = %+v", m)
	}
}

func TestMutableRoundTrip(t *testing.T) {
	m := metadata.NewGroupMutable("c", metadata.GroupOptions{Name: "x"}).WithAdmin("a1", true).WithSuperAdmin("s2", true)
	ext, err := m.Extension()
	if err != nil || ext.Type != 0xff00 {
		t.Fatal(err)
	}
	got, err := metadata.DecodeMutable(ext.Data)
	if err != nil || !reflect.DeepEqual(got, m) {
		t.Fatalf("round trip = %+v, %v; want %+v", got, err, m)
	}
	again, _ := got.Encode()
	if !bytes.Equal(again, ext.Data) {
		t.Error("encoding is not deterministic")
	}
	empty, _ := metadata.Mutable{}.Encode()
	if got, err := metadata.DecodeMutable(empty); err != nil || got.Admins == nil || got.Attributes == nil {
		t.Errorf("empty lists must survive a round trip: %+v, %v", got, err)
	}
}

func TestDecodeMutableErrors(t *testing.T) {
	noSuper, _ := proto.Marshal(&mlscontents.GroupMutableMetadataV1{AdminList: &mlscontents.Inboxes{}})
	if _, err := metadata.DecodeMutable(noSuper); !errors.Is(err, metadata.ErrMissingField) {
		t.Errorf("missing super-admin list: %v", err)
	}
	if _, err := metadata.DecodeMutable([]byte{0x0a, 0xff}); !errors.Is(err, metadata.ErrMalformed) {
		t.Errorf("garbage: %v", err)
	}
}

func TestMutableCopies(t *testing.T) {
	m := metadata.NewGroupMutable("c", metadata.GroupOptions{})
	m2, err := m.WithAttribute("group_name", "new")
	if err != nil || m.Attributes["group_name"] != "" || m2.Attributes["group_name"] != "new" {
		t.Fatal("WithAttribute must not change its receiver")
	}
	m3 := m2.WithAdmin("a", true).WithAdmin("a", true)
	if len(m3.Admins) != 1 || len(m2.Admins) != 0 {
		t.Fatal("WithAdmin adds once and copies")
	}
	if m4 := m3.WithAdmin("a", false).WithSuperAdmin("c", false); m4.IsAdmin("a") || m4.IsSuperAdmin("c") || !m3.IsAdmin("a") || !m3.IsSuperAdmin("c") {
		t.Fatal("removal must not change the receiver")
	}
}

func TestAttributeLimits(t *testing.T) {
	for key, n := range map[string]int{"group_name": 100, "description": 1000, "group_image_url_square": 2048, "app_data": 8192} {
		if err := metadata.CheckAttribute(key, strings.Repeat("x", n)); err != nil {
			t.Errorf("%s at the limit: %v", key, err)
		}
		if err := metadata.CheckAttribute(key, strings.Repeat("x", n+1)); !errors.Is(err, metadata.ErrTooLong) {
			t.Errorf("%s over the limit: %v", key, err)
		}
		if _, err := (metadata.Mutable{}).WithAttribute(key, strings.Repeat("x", n+1)); !errors.Is(err, metadata.ErrTooLong) {
			t.Errorf("WithAttribute(%s) over the limit: %v", key, err)
		}
	}
	if err := metadata.CheckAttribute("custom", strings.Repeat("x", 100000)); err != nil {
		t.Errorf("keys without a limit: %v", err)
	}
	if !metadata.IsSuperAdminKey("_commit_log_signer") || metadata.IsSuperAdminKey("group_name") {
		t.Error("IsSuperAdminKey")
	}
}

func TestMembership(t *testing.T) {
	old := metadata.NewMembership()
	old.Members["a"], old.Members["b"], old.Members["c"] = 1, 2, 3
	next := old.Clone()
	delete(next.Members, "b")
	next.Members["c"] = 4
	next.Members["d"] = 1
	next.FailedInstallations = [][]byte{{9}}
	if len(old.Members) != 3 || old.Members["c"] != 3 {
		t.Fatal("Clone must copy the map")
	}
	d := metadata.Diff(old, next)
	want := metadata.MembershipDiff{Added: []string{"d"}, Removed: []string{"b"}, Updated: []string{"c"}}
	if !reflect.DeepEqual(d, want) || d.Empty() || !metadata.Diff(next, next).Empty() {
		t.Fatalf("Diff = %+v, want %+v", d, want)
	}
	ext, err := next.Extension()
	if err != nil || ext.Type != 0xff01 {
		t.Fatal(err)
	}
	got, err := metadata.DecodeMembership(ext.Data)
	if err != nil || !reflect.DeepEqual(got, next) {
		t.Fatalf("round trip = %+v, %v", got, err)
	}
	if ids := got.InboxIDs(); !reflect.DeepEqual(ids, []string{"a", "c", "d"}) {
		t.Errorf("InboxIDs = %v", ids)
	}
	if _, err := metadata.DecodeMembership([]byte{0x0a}); !errors.Is(err, metadata.ErrMalformed) {
		t.Errorf("garbage: %v", err)
	}
}

func TestDisappearingExpiry(t *testing.T) {
	now := time.Unix(100, 0)
	if at, ok := (metadata.Disappearing{FromNS: 1, InNS: 5}).ExpiresAt(now); !ok || at != now.UnixNano()+5 {
		t.Errorf("ExpiresAt = %d, %v", at, ok)
	}
	for _, d := range []metadata.Disappearing{{}, {FromNS: 1}, {InNS: 5}, {FromNS: -1, InNS: 5}} {
		if _, ok := d.ExpiresAt(now); ok {
			t.Errorf("%+v must not expire messages", d)
		}
	}
	m, _ := metadata.NewDMMutable(nil, nil).WithAttribute("message_disappear_in_ns", "not a number")
	if m.Disappearing().Enabled() {
		t.Error("unparsable settings count as off")
	}
}
