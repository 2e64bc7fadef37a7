package identity

import (
	"context"
	"errors"
	"testing"
)

func TestPublicSignature(t *testing.T) {
	k, err := NewInstallationKey()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := k.SignPublic("log in to example.com")
	if err != nil {
		t.Fatal(err)
	}
	if len(sig) != 64 {
		t.Fatalf("signature of %d bytes", len(sig))
	}
	if err := VerifyPublicSignature("log in to example.com", sig, k.PublicKey()); err != nil {
		t.Fatalf("own signature: %v", err)
	}
	if err := VerifyPublicSignature("log in to example.org", sig, k.PublicKey()); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("other text: %v, want ErrInvalidSignature", err)
	}
	if err := VerifyPublicSignature("log in to example.com", sig, k.PublicKey()[:31]); !errors.Is(err, ErrInvalidPublicKey) {
		t.Fatalf("short key: %v, want ErrInvalidPublicKey", err)
	}
	// The contexts keep the two kinds apart: neither verifies as the other.
	if err := verifyInstallationSignature("log in to example.com", sig, k.PublicKey()); err == nil {
		t.Fatal("a public signature verified as an identity update signature")
	}
	update, err := k.Sign(context.Background(), "log in to example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyPublicSignature("log in to example.com", update.GetInstallationKey().GetBytes(), k.PublicKey()); err == nil {
		t.Fatal("an identity update signature verified as a public signature")
	}
}
