package content_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/content"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	now := time.Unix(1_700_000_000, 123)
	v1 := content.NewEnvelope([]byte("ec"), now)
	if v1.IdempotencyKey != "1700000000000000123" {
		t.Errorf("idempotency key = %q, want decimal nanoseconds", v1.IdempotencyKey)
	}
	for _, e := range []content.Envelope{
		v1,
		{Version: 2, IdempotencyKey: "k", Kind: content.PayloadContent, Payload: []byte("ec")},
		{Version: 2, IdempotencyKey: "k", Kind: content.PayloadDeviceSyncRequest, Payload: []byte("rq")},
		{Version: 2, IdempotencyKey: "k", Kind: content.PayloadDeviceSyncReply, Payload: []byte("rp")},
		{Version: 2, IdempotencyKey: "k", Kind: content.PayloadUserPreferenceUpdate, Payload: []byte("up")},
	} {
		b, err := content.EncodeEnvelope(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := content.DecodeEnvelope(b)
		if err != nil || !reflect.DeepEqual(got, e) {
			t.Errorf("round trip of %+v = %+v, %v", e, got, err)
		}
	}
}

func TestEnvelopeErrors(t *testing.T) {
	for _, e := range []content.Envelope{
		{Version: 1, Kind: content.PayloadDeviceSyncReply},
		{Version: 3},
		{Version: 2, Kind: content.PayloadKind(9)},
	} {
		if _, err := content.EncodeEnvelope(e); !errors.Is(err, content.ErrInvalidContent) {
			t.Errorf("EncodeEnvelope(%+v) = %v, want ErrInvalidContent", e, err)
		}
	}
	for _, b := range [][]byte{{}, {0x12, 0x00}, {0xff}} {
		if _, err := content.DecodeEnvelope(b); !errors.Is(err, content.ErrMalformed) {
			t.Errorf("DecodeEnvelope(%x) = %v, want ErrMalformed", b, err)
		}
	}
}

func TestMessageID(t *testing.T) {
	got := content.MessageID([]byte{0xaa, 0xbb}, "17", []byte("body"))
	want := sha256.Sum256([]byte("\xaa\xbb\t17\tbody"))
	if !bytes.Equal(got, want[:]) {
		t.Fatalf("MessageID = %x, want %x", got, want)
	}
}

func TestSenderHMAC(t *testing.T) {
	userKey := bytes.Repeat([]byte{7}, content.UserHMACKeySize)
	group := []byte("group-id")
	now := time.Unix(1_700_000_000, 0)
	if got := content.HMACEpoch(now); got != 1_700_000_000/(30*86400) {
		t.Errorf("HMACEpoch = %d", got)
	}
	keys := content.HMACKeys(userKey, group, now, -1, 1)
	if len(keys) != 3 || keys[1].Epoch != content.HMACEpoch(now) || len(keys[1].Key) != 42 {
		t.Fatalf("HMACKeys = %+v", keys)
	}
	if bytes.Equal(keys[0].Key, keys[1].Key) || bytes.Equal(keys[1].Key, content.DeriveHMACKey(userKey, []byte("other"), keys[1].Epoch).Key) {
		t.Error("keys of different epochs or groups must differ")
	}
	// Computed independently (Python hmac: HKDF-Extract then Expand by hand) from the formula of
	// xmtp-protocol.md §3.4.
	if got := hex.EncodeToString(content.DeriveHMACKey(userKey, group, 654).Key); got != pinnedHMACKey {
		t.Errorf("DeriveHMACKey = %s, want %s", got, pinnedHMACKey)
	}
	mac := content.SenderHMAC(keys[1], []byte("mls message"))
	if len(mac) != 32 || bytes.Equal(mac, content.SenderHMAC(keys[0], []byte("mls message"))) {
		t.Errorf("SenderHMAC = %x", mac)
	}
	if a, b := content.NewUserHMACKey(), content.NewUserHMACKey(); len(a) != 42 || bytes.Equal(a, b) {
		t.Error("NewUserHMACKey must return fresh 42-byte keys")
	}
}

const pinnedHMACKey = "74e1c29f2f0bf749724296e84849ac0bb8fc12f659df83ec7fe0144e58fb4397c1451816c51cf61fa236"

func TestTopics(t *testing.T) {
	if got := content.GroupTopic([]byte{0xAB, 0x01}); got != "/xmtp/mls/1/g-ab01/proto" {
		t.Errorf("GroupTopic = %q", got)
	}
	if got := content.WelcomeTopic([]byte{0xCD}); got != "/xmtp/mls/1/w-cd/proto" {
		t.Errorf("WelcomeTopic = %q", got)
	}
}
