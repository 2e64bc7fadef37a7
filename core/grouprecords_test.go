package core

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/goxmtp/goxmtp/core/metadata"
)

func sampleGroupRecords() (*groupRecord, *messageRecord, *messageRef, *intentRecord, *groupChange) {
	return &groupRecord{State: []byte("state"), Type: metadata.ConversationDM, DMID: "dm:a:b", CreatedAtNs: 1, AddedBy: "a",
			Consent: ConsentAllowed, Cursor: 2, NextMessageSeq: 3, NextIntentSeq: 4, LastActivityNs: 5, IndexSeq: 6,
			PendingRemove: []string{"c"}, PendingLeave: true, InstallationsCheckedNs: 7},
		&messageRecord{ID: []byte("id"), SenderInbox: "a", SenderInstallation: []byte("k"), SentAtNs: 7, Kind: KindApplication,
			Status: DeliveryPublished, ContentType: "xmtp.org/text:1.0", Content: []byte("c"), ExpiresAtNs: 8},
		&messageRef{GroupID: []byte("g"), Seq: 9},
		&intentRecord{Kind: intentAddMembers, State: intentPublished, Attempts: 1, Change: []byte("ch"), MessageSeq: 2, Epoch: 3,
			Data: []byte("d"), NextState: []byte("n"), Welcome: []byte("w"),
			Recipients: []welcomeRecipient{{InstallationKey: []byte("i"), HPKEPublicKey: []byte("p"), Algorithm: 1, Pointers: true}}, Cursor: 4},
		&groupChange{Kind: intentUpdateAdmins, Inboxes: []string{"a", "b"}, Key: adminAdd, Value: "v", Option: 2}
}

func TestGroupRecordsRoundTrip(t *testing.T) {
	g, m, ref, it, ch := sampleGroupRecords()
	for name, c := range map[string]struct {
		in     any
		decode func() (any, error)
	}{
		"group":   {g, func() (any, error) { return decodeGroupRecord(g.encode()) }},
		"message": {m, func() (any, error) { return decodeMessageRecord(m.encode()) }},
		"ref":     {ref, func() (any, error) { return decodeMessageRef(ref.encode()) }},
		"intent":  {it, func() (any, error) { return decodeIntentRecord(it.encode()) }},
		"change":  {ch, func() (any, error) { return decodeGroupChange(ch.encode()) }},
	} {
		got, err := c.decode()
		if err != nil || !reflect.DeepEqual(got, c.in) {
			t.Errorf("%s round trip: %+v, %v", name, got, err)
		}
	}
	enc := g.encode()
	for name, b := range map[string][]byte{"version": append([]byte{99}, enc[1:]...), "truncated": enc[:len(enc)-1], "trailing": append(bytes.Clone(enc), 0)} {
		if _, err := decodeGroupRecord(b); !errors.Is(err, ErrCorruptRecord) {
			t.Errorf("%s: got %v, want ErrCorruptRecord", name, err)
		}
	}
}

// FuzzDecodeGroupRecords: group, message, intent and change records come back from disk or
// IndexedDB and may be damaged; decoding fails cleanly, and what decodes re-encodes the same.
func FuzzDecodeGroupRecords(f *testing.F) {
	g, m, ref, it, ch := sampleGroupRecords()
	for _, b := range [][]byte{g.encode(), m.encode(), ref.encode(), it.encode(), ch.encode(), encodeConsentRecord(ConsentDenied, 5)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeGroupRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("group record does not re-encode to its bytes")
		}
		if r, err := decodeMessageRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("message record does not re-encode to its bytes")
		}
		if r, err := decodeMessageRef(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("message ref does not re-encode to its bytes")
		}
		if r, err := decodeIntentRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("intent record does not re-encode to its bytes")
		}
		if r, err := decodeGroupChange(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("group change does not re-encode to its bytes")
		}
		if s, at, err := decodeConsentRecord(b); err == nil && !bytes.Equal(encodeConsentRecord(s, at), b) {
			t.Fatal("consent record does not re-encode to its bytes")
		}
	})
}
