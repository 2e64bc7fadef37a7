package identity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/sha512"
	"errors"
	"testing"
)

func TestInstallationSignature(t *testing.T) {
	k := newInstallation(t)
	sig, err := k.Sign(context.Background(), "text")
	if err != nil {
		t.Fatal(err)
	}
	ik := sig.GetInstallationKey()
	if err := verifyInstallationSignature("text", ik.GetBytes(), ik.GetPublicKey()); err != nil {
		t.Fatal(err)
	}
	if err := verifyInstallationSignature("other", ik.GetBytes(), ik.GetPublicKey()); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("other text: %v", err)
	}
	if err := verifyInstallationSignature("text", ik.GetBytes(), newInstallation(t).PublicKey()); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("other key: %v", err)
	}
	if err := verifyInstallationSignature("text", ik.GetBytes(), ik.GetPublicKey()[:31]); !errors.Is(err, ErrInvalidPublicKey) {
		t.Fatalf("short key: %v", err)
	}
	// Plain Ed25519 (what MLS signs with) must not pass as an identity signature.
	plain := ed25519.Sign(ed25519.NewKeyFromSeed(k.Seed()), []byte("text"))
	if err := verifyInstallationSignature("text", plain, k.PublicKey()); err == nil {
		t.Fatal("plain Ed25519 signature accepted")
	}
	again, err := InstallationKeyFromSeed(k.Seed())
	if err != nil || string(again.PublicKey()) != string(k.PublicKey()) {
		t.Fatalf("restored key differs: %v", err)
	}
}

// TestInstallationSignatureContext shows the context binds: the same key's Ed25519ph
// signature under libxmtp's other context does not verify as an identity signature.
func TestInstallationSignatureContext(t *testing.T) {
	k := newInstallation(t)
	digest := sha512.Sum512([]byte("text"))
	other, err := ed25519.NewKeyFromSeed(k.Seed()).Sign(nil, digest[:], &ed25519.Options{Hash: crypto.SHA512, Context: "PUBLIC SIGNATURE CONTEXT"})
	if err != nil {
		t.Fatal(err)
	}
	if err := verifyInstallationSignature("text", other, k.PublicKey()); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("signature under another context: %v", err)
	}
}
