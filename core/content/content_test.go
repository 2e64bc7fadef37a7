package content_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/errs"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func ptr(s string) *string { return &s }

// roundTrip encodes c to bytes and decodes it back.
func roundTrip(t *testing.T, c content.Content) content.Content {
	t.Helper()
	ec, err := content.Encode(c)
	if err != nil {
		t.Fatalf("Encode(%T): %v", c, err)
	}
	b, err := content.Marshal(ec)
	if err != nil {
		t.Fatal(err)
	}
	back, err := content.Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := content.Decode(back)
	if err != nil {
		t.Fatalf("Decode(%T): %v", c, err)
	}
	return got
}

func TestRoundTrip(t *testing.T) {
	for _, c := range []content.Content{
		content.Text("hello, 世界 👋"),
		content.Markdown("# title\n\n*bold*"),
		content.Reply{Reference: "ab12", ReferenceInboxID: "inbox-1", Content: content.Text("yes")},
		content.Reply{Reference: "ab12", Content: content.Attachment{MimeType: "image/png", Data: []byte{1, 2}}},
		content.Reaction{Reference: "ab12", Action: content.ReactionAdded, Content: "👍", Schema: content.ReactionUnicode},
		content.Reaction{Reference: "ab12", ReferenceInboxID: "i", Action: content.ReactionRemoved, Content: ":smile:", Schema: content.ReactionShortcode, Legacy: true},
		content.ReadReceipt{},
		content.Attachment{Filename: "a.txt", MimeType: "text/plain", Data: []byte("file")},
		content.RemoteAttachment{URL: "https://x.test/f", ContentDigest: "00ff", Secret: []byte{1}, Salt: []byte{2}, Nonce: []byte{3}, Scheme: "https://", ContentLength: 77, Filename: "f.bin"},
		content.MultiRemoteAttachment{Attachments: []content.RemoteAttachment{
			{URL: "https://x.test/1", ContentDigest: "aa", Secret: []byte{1}, Salt: []byte{2}, Nonce: []byte{3}, Scheme: "https://", ContentLength: 9, Filename: "1.png"},
			{URL: "https://x.test/2", ContentDigest: "bb", Secret: []byte{4}, Salt: []byte{5}, Nonce: []byte{6}, Scheme: "https://"},
		}},
		content.GroupUpdated{InitiatedBy: "a", Added: []string{"b", "c"}, Left: []string{"d"}, AddedAdmins: []string{"b"},
			MetadataChanges: []content.MetadataChange{{Field: "group_name", OldValue: ptr(""), NewValue: ptr("new")}, {Field: "x"}}},
		content.LeaveRequest{},
		content.LeaveRequest{AuthenticatedNote: []byte("note")},
	} {
		if got := roundTrip(t, c); !reflect.DeepEqual(got, c) {
			t.Errorf("round trip of %T:\n got %#v\nwant %#v", c, got, c)
		}
	}
}

func TestUnknownTypePassesThrough(t *testing.T) {
	ec := &mlscontents.EncodedContent{
		Type:     content.TypeID{Authority: "example.com", Type: "poll", Major: 3}.Proto(),
		Fallback: ptr("A poll: lunch?"),
		Content:  []byte{9, 9, 9},
	}
	c, err := content.Decode(ec)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := c.(content.Unknown)
	if !ok {
		t.Fatalf("Decode returned %T, want Unknown", c)
	}
	if u.Fallback() != "A poll: lunch?" || u.Type().String() != "example.com/poll:3.0" {
		t.Errorf("unknown content lost its type or fallback: %v %q", u.Type(), u.Fallback())
	}
	again, err := content.Encode(u)
	if err != nil || again != ec {
		t.Errorf("re-encoding Unknown must return its EncodedContent unchanged")
	}
}

// Vectors produced by the JS content-type codecs (libxmtp crates/xmtp_content_types/fixtures),
// so decoding is checked against another implementation's bytes.
func TestDecodeForeignVectors(t *testing.T) {
	for _, tc := range []struct {
		name, b64 string
		want      content.Content
		exact     bool // our encoding reproduces the bytes
	}{
		{"text", "ChIKCHhtdHAub3JnEgR0ZXh0GAESEQoIZW5jb2RpbmcSBVVURi04Ig1IZWxsbywgV29ybGQh", content.Text("Hello, World!"), true},
		{"read receipt", "ChkKCHhtdHAub3JnEgtyZWFkUmVjZWlwdBgB", content.ReadReceipt{}, true},
		{"reaction 1.0", "ChYKCHhtdHAub3JnEghyZWFjdGlvbhgBInl7ImFjdGlvbiI6InJlbW92ZWQiLCJyZWZlcmVuY2UiOiJtZXNzYWdlLWlkLTQ1NiIsInJlZmVyZW5jZUluYm94SWQiOiJpbmJveC1pZC03ODkiLCJzY2hlbWEiOiJ1bmljb2RlIiwiY29udGVudCI6IuKdpO+4jyJ9",
			content.Reaction{Reference: "message-id-456", ReferenceInboxID: "inbox-id-789", Action: content.ReactionRemoved, Content: "❤️", Schema: content.ReactionUnicode, Legacy: true}, false},
		{"reply", "ChMKCHhtdHAub3JnEgVyZXBseRgBEiAKC2NvbnRlbnRUeXBlEhF4bXRwLm9yZy90ZXh0OjEuMBIgCglyZWZlcmVuY2USE29yaWdpbmFsLW1lc3NhZ2UtaWQSIwoQcmVmZXJlbmNlSW5ib3hJZBIPc2VuZGVyLWluYm94LWlkIjwKEgoIeG10cC5vcmcSBHRleHQYARIRCghlbmNvZGluZxIFVVRGLTgiE1JlcGx5IHdpdGggaW5ib3ggSUQ=",
			content.Reply{Reference: "original-message-id", ReferenceInboxID: "sender-inbox-id", Content: content.Text("Reply with inbox ID")}, false},
		{"remote attachment", "CiQKCHhtdHAub3JnEhZyZW1vdGVTdGF0aWNBdHRhY2htZW50GAESUQoNY29udGVudERpZ2VzdBJAZWZnaDU2Nzg5MDEyMzRlZmdoNTY3ODkwMTIzNGVmZ2g1Njc4OTAxMjM0ZWZnaDU2Nzg5MDEyMzRlZmdoNTY3OBJICgRzYWx0EkAwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1MDUwNTA1EiEKBW5vbmNlEhgwNjA2MDYwNjA2MDYwNjA2MDYwNjA2MDYSSgoGc2VjcmV0EkAwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0MDQwNDA0Eg8KBnNjaGVtZRIFaHR0cHMSFQoNY29udGVudExlbmd0aBIEMjA0OBIiCghmaWxlbmFtZRIWaW1wb3J0YW50LWRvY3VtZW50LnBkZiIgaHR0cHM6Ly9leGFtcGxlLmNvbS9kb2N1bWVudC5wZGY=",
			content.RemoteAttachment{URL: "https://example.com/document.pdf", ContentDigest: "efgh567890123" + "4efgh567890123" + "4efgh567890123" + "4efgh567890123" + "4efgh5678",
				Secret: bytes.Repeat([]byte{4}, 32), Salt: bytes.Repeat([]byte{5}, 32), Nonce: bytes.Repeat([]byte{6}, 12), Scheme: "https", ContentLength: 2048, Filename: "important-document.pdf"}, false},
		{"members added", "ChsKCHhtdHAub3JnEg1ncm91cF91cGRhdGVkGAEiLQoLYWRtaW4taW5ib3gSDgoMbmV3LW1lbWJlci0xEg4KDG5ldy1tZW1iZXItMg==",
			content.GroupUpdated{InitiatedBy: "admin-inbox", Added: []string{"new-member-1", "new-member-2"}}, true},
		{"members removed", "ChsKCHhtdHAub3JnEg1ncm91cF91cGRhdGVkGAEiIQoLYWRtaW4taW5ib3gaEgoQcmVtb3ZlZC1tZW1iZXItMQ==",
			content.GroupUpdated{InitiatedBy: "admin-inbox", Removed: []string{"removed-member-1"}}, true},
		{"markdown", "ChYKCHhtdHAub3JnEghtYXJrZG93bhgBEhEKCGVuY29kaW5nEgVVVEYtOCIlIyBIZWxsbyBXb3JsZAoKVGhpcyBpcyAqKmJvbGQqKiB0ZXh0Lg==",
			content.Markdown("# Hello World\n\nThis is **bold** text."), true},
		{"group updated", "ChsKCHhtdHAub3JnEg1ncm91cF91cGRhdGVkGAEiLQoJaW5ib3gtMTIzIiAKCmdyb3VwX25hbWUSCE9sZCBOYW1lGghOZXcgTmFtZQ==",
			content.GroupUpdated{InitiatedBy: "inbox-123", MetadataChanges: []content.MetadataChange{{Field: "group_name", OldValue: ptr("Old Name"), NewValue: ptr("New Name")}}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := base64.StdEncoding.DecodeString(tc.b64)
			if err != nil {
				t.Fatal(err)
			}
			ec, err := content.Unmarshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := content.Decode(ec)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v\nwant %#v", got, tc.want)
			}
			if !tc.exact {
				return
			}
			mine, _ := content.Encode(tc.want)
			b, _ := content.Marshal(mine)
			if !bytes.Equal(b, raw) {
				t.Errorf("our encoding differs:\n got %x\nwant %x", b, raw)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	text := content.TypeText.Proto()
	for _, tc := range []struct {
		name string
		ec   *mlscontents.EncodedContent
		want error
	}{
		{"latin-1 text", &mlscontents.EncodedContent{Type: text, Parameters: map[string]string{"encoding": "ISO-8859-1"}, Content: []byte("x")}, content.ErrUnsupportedEncoding},
		{"invalid UTF-8", &mlscontents.EncodedContent{Type: text, Content: []byte{0xff}}, content.ErrMalformed},
		{"reaction 2.0 garbage", &mlscontents.EncodedContent{Type: content.TypeReaction.Proto(), Content: []byte{0xff, 0xff}}, content.ErrMalformed},
		{"reaction 1.0 neither JSON nor parameters", &mlscontents.EncodedContent{Type: content.TypeReactionLegacy.Proto(), Content: []byte("👍")}, content.ErrMalformed},
		{"reply body not EncodedContent", &mlscontents.EncodedContent{Type: content.TypeReply.Proto(), Content: []byte{0x0a, 0x05}}, content.ErrMalformed},
		{"remote attachment bad hex", &mlscontents.EncodedContent{Type: content.TypeRemoteAttachment.Proto(), Parameters: map[string]string{"secret": "zz"}}, content.ErrMalformed},
		{"multi remote attachment garbage", &mlscontents.EncodedContent{Type: content.TypeMultiRemoteAttachment.Proto(), Content: []byte{0x0a, 0x09}}, content.ErrMalformed},
		{"remote attachment bad length", &mlscontents.EncodedContent{Type: content.TypeRemoteAttachment.Proto(), Parameters: map[string]string{"contentLength": "-1"}}, content.ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := content.Decode(tc.ec)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Decode error = %v, want %v", err, tc.want)
			}
			if errs.Code(err) == "" {
				t.Errorf("error %v has no code", err)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range []content.Content{
		content.Text("\xff"),
		content.Reply{Reference: "x"},
		content.Reaction{Legacy: true, Schema: content.ReactionUnicode},
		content.Reaction{Legacy: true, Action: content.ReactionAdded},
	} {
		if _, err := content.Encode(c); !errors.Is(err, content.ErrInvalidContent) {
			t.Errorf("Encode(%#v) error = %v, want ErrInvalidContent", c, err)
		}
	}
}

// The oldest JS reaction codec put the reference and action in parameters.
func TestLegacyReactionParameters(t *testing.T) {
	ec := &mlscontents.EncodedContent{
		Type:       content.TypeReactionLegacy.Proto(),
		Parameters: map[string]string{"reference": "abc", "action": "added", "schema": "unicode"},
		Content:    []byte("🎉"),
	}
	got, err := content.Decode(ec)
	want := content.Reaction{Reference: "abc", Action: content.ReactionAdded, Content: "🎉", Schema: content.ReactionUnicode, Legacy: true}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode = %#v, %v; want %#v", got, err, want)
	}
}

func TestReplyNestingIsBounded(t *testing.T) {
	var c content.Content = content.Text("deep")
	for range 10 {
		c = content.Reply{Reference: "r", Content: c}
	}
	got := roundTrip(t, c)
	depth := 0
	for {
		r, ok := got.(content.Reply)
		if !ok {
			break
		}
		depth++
		got = r.Content
	}
	if _, ok := got.(content.Unknown); !ok || depth > 5 {
		t.Errorf("after %d decoded replies got %T, want Unknown within 5 levels", depth, got)
	}
}

func TestFallbacks(t *testing.T) {
	for _, tc := range []struct {
		c    content.Content
		want string
	}{
		{content.Reply{Content: content.Text("sure")}, `"sure"`},
		{content.Reaction{Action: content.ReactionAdded, Content: "👍"}, "👍"},
		{content.Attachment{Filename: "cat.png"}, "cat.png"},
		{content.RemoteAttachment{Filename: "dog.png"}, "dog.png"},
	} {
		ec, err := content.Encode(tc.c)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(content.Fallback(ec), tc.want) {
			t.Errorf("fallback of %T = %q, want it to mention %q", tc.c, content.Fallback(ec), tc.want)
		}
	}
	for _, c := range []content.Content{content.Text("x"), content.ReadReceipt{}, content.GroupUpdated{}} {
		if ec, _ := content.Encode(c); ec.Fallback != nil {
			t.Errorf("%T must not carry a fallback", c)
		}
	}
}

func TestParseTypeID(t *testing.T) {
	id, err := content.ParseTypeID("xmtp.org/remoteStaticAttachment:1.0")
	if err != nil || id != content.TypeRemoteAttachment {
		t.Fatalf("ParseTypeID = %v, %v", id, err)
	}
	for _, bad := range []string{"", "xmtp.org/text", "text:1.0", "/text:1.0", "xmtp.org/text:1", "xmtp.org/text:a.0", "xmtp.org/text:1.99999999999"} {
		if _, err := content.ParseTypeID(bad); !errors.Is(err, content.ErrMalformed) {
			t.Errorf("ParseTypeID(%q) error = %v, want ErrMalformed", bad, err)
		}
	}
}

func TestShouldPush(t *testing.T) {
	push := []content.TypeID{content.TypeText, content.TypeMarkdown, content.TypeReply, content.TypeAttachment, content.TypeRemoteAttachment,
		{Authority: "xmtp.org", Type: "transactionReference", Major: 1}, {Authority: "coinbase.com", Type: "actions", Major: 1}, {Authority: "example.com", Type: "custom", Major: 1}}
	silent := []content.TypeID{content.TypeReaction, content.TypeReactionLegacy, content.TypeReadReceipt, content.TypeGroupUpdated, content.TypeLeaveRequest,
		{Authority: "xmtp.org", Type: "deleteMessage", Major: 1}, {Authority: "xmtp.org", Type: "group_membership_change", Major: 1}}
	for _, id := range push {
		if !content.ShouldPush(id) {
			t.Errorf("ShouldPush(%s) = false, want true", id)
		}
	}
	for _, id := range silent {
		if content.ShouldPush(id) {
			t.Errorf("ShouldPush(%s) = true, want false", id)
		}
	}
}

func TestKindOf(t *testing.T) {
	for id, want := range map[content.TypeID]content.Kind{
		content.TypeText: content.KindText, content.TypeReactionLegacy: content.KindReaction, content.TypeReaction: content.KindReaction,
		content.TypeGroupUpdated: content.KindGroupUpdated, content.TypeRemoteAttachment: content.KindRemoteAttachment,
		{Authority: "coinbase.com", Type: "actions", Major: 1}: content.KindActions,
		{Authority: "example.com", Type: "poll", Major: 1}:     content.KindCustom,
	} {
		if got := content.KindOf(id); got != want {
			t.Errorf("KindOf(%s) = %d, want %d", id, got, want)
		}
	}
}
