package content_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
)

func TestRemoteAttachmentEncryption(t *testing.T) {
	a := content.Attachment{Filename: "photo.jpg", MimeType: "image/jpeg", Data: []byte("not really a jpeg")}
	payload, r, err := content.EncryptAttachment(a)
	if err != nil {
		t.Fatal(err)
	}
	if r.ContentLength != uint32(len(payload)) || len(r.ContentDigest) != 64 || r.Filename != "photo.jpg" || r.Scheme != "https://" {
		t.Fatalf("remote attachment metadata = %+v", r)
	}
	r.URL = "https://files.test/1"
	// The receiver sees r only after a trip through the message.
	got := roundTrip(t, r).(content.RemoteAttachment)
	back, err := content.DecryptAttachment(payload, got)
	if err != nil || !reflect.DeepEqual(back, a) {
		t.Fatalf("DecryptAttachment = %+v, %v", back, err)
	}

	tampered := append([]byte(nil), payload...)
	tampered[0] ^= 1
	if _, err := content.DecryptAttachment(tampered, got); !errors.Is(err, content.ErrDigestMismatch) {
		t.Errorf("tampered payload: %v, want ErrDigestMismatch", err)
	}
	wrongKey := got
	wrongKey.Secret = make([]byte, 32)
	if _, err := content.DecryptAttachment(payload, wrongKey); !errors.Is(err, content.ErrDecrypt) {
		t.Errorf("wrong secret: %v, want ErrDecrypt", err)
	}
	short := got
	short.Nonce = short.Nonce[:4]
	if _, err := content.DecryptAttachment(payload, short); !errors.Is(err, content.ErrMalformed) {
		t.Errorf("short nonce: %v, want ErrMalformed", err)
	}
}
