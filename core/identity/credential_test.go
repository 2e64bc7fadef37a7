package identity

import (
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/mls"
)

func TestCredentialRoundTrip(t *testing.T) {
	r := register(t)
	c, err := NewCredential(r.inboxID)
	if err != nil {
		t.Fatal(err)
	}
	// MlsCredential{inbox_id} is field 1, length-delimited: 0x0a, 64, then the id.
	if c.Type != mls.CredentialBasic || len(c.Data) != 66 || c.Data[0] != 0x0a || c.Data[1] != 64 || string(c.Data[2:]) != r.inboxID {
		t.Fatalf("credential %d %x", c.Type, c.Data)
	}
	got, err := CredentialInboxID(c)
	if err != nil || got != r.inboxID {
		t.Fatalf("inbox id %q, %v", got, err)
	}
	if _, err := NewCredential("not an inbox"); !errors.Is(err, ErrInvalidInboxID) {
		t.Fatalf("bad inbox id: %v", err)
	}
	if _, err := CredentialInboxID(mls.Credential{Type: mls.CredentialX509, Data: c.Data}); !errors.Is(err, ErrNotBasicCredential) {
		t.Fatalf("x509 credential: %v", err)
	}
	if _, err := CredentialInboxID(mls.NewBasicCredential([]byte{0x0a, 1, 'x'})); !errors.Is(err, ErrInvalidInboxID) {
		t.Fatalf("short inbox id: %v", err)
	}
}

func TestCheckInstallation(t *testing.T) {
	ctx := context.Background()
	r := register(t)
	later := newInstallation(t)
	r.push(t, must(t)(AddInstallation(ctx, r.inboxID, r.wallet, later, testTime+1)))
	r.push(t, must(t)(RevokeInstallations(ctx, r.inboxID, r.wallet, [][]byte{r.installation.PublicKey()}, testTime+2)))
	// The node's sequence ids are global, so an inbox's are increasing but not consecutive.
	log := []LogEntry{{10, r.log[0]}, {14, r.log[1]}, {20, r.log[2]}}
	c, err := NewCredential(r.inboxID)
	if err != nil {
		t.Fatal(err)
	}
	v := Validator{}
	for _, tc := range []struct {
		key  []byte
		seq  uint64
		want error
	}{
		{r.installation.PublicKey(), 10, nil},
		{later.PublicKey(), 10, ErrInstallationNotMember},
		{later.PublicKey(), 14, nil},
		{r.installation.PublicKey(), 14, nil},
		{r.installation.PublicKey(), 20, ErrInstallationNotMember},
		{later.PublicKey(), 20, nil},
		{later.PublicKey(), 15, ErrSequenceIDNotInLog},
		{later.PublicKey(), 99, ErrSequenceIDNotInLog},
	} {
		if err := v.CheckInstallation(ctx, c, tc.key, log, tc.seq); !errors.Is(err, tc.want) && (err != nil || tc.want != nil) {
			t.Errorf("installation %x at %d: %v, want %v", tc.key[:4], tc.seq, err, tc.want)
		}
	}
	other, err := NewCredential(register(t).inboxID)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.CheckInstallation(ctx, other, later.PublicKey(), log, 20); !errors.Is(err, ErrWrongInboxID) {
		t.Fatalf("credential of another inbox: %v", err)
	}
}
