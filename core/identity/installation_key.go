package identity

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// installationSignatureContext is the Ed25519ph context of installation signatures over
// identity updates (libxmtp constants.rs). It separates them from every other use of the
// key, such as MLS signatures, which are plain Ed25519.
const installationSignatureContext = "IDENTITY UPDATE SIGNATURE"

// installationOptions selects Ed25519ph (RFC 8032 §5.1): the message passed to the
// ed25519 package is the SHA-512 digest of the text.
var installationOptions = &ed25519.Options{Hash: crypto.SHA512, Context: installationSignatureContext}

// InstallationKey is an installation's Ed25519 key. Its public key is the installation id
// and its MLS signature key.
type InstallationKey struct {
	private ed25519.PrivateKey
}

// NewInstallationKey generates a fresh installation key.
func NewInstallationKey() (*InstallationKey, error) {
	_, private, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate installation key: %w", err)
	}
	return &InstallationKey{private}, nil
}

// InstallationKeyFromSeed restores an installation key from its 32-byte seed.
func InstallationKeyFromSeed(seed []byte) (*InstallationKey, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("installation key seed of %d bytes: %w", len(seed), ErrInvalidPrivateKey)
	}
	return &InstallationKey{ed25519.NewKeyFromSeed(seed)}, nil
}

// Seed returns the 32-byte seed to persist the key.
func (k *InstallationKey) Seed() []byte { return k.private.Seed() }

// PublicKey returns the 32-byte public key, the installation id.
func (k *InstallationKey) PublicKey() []byte {
	return append([]byte(nil), k.private.Public().(ed25519.PublicKey)...)
}

// Member returns the installation as an inbox member.
func (k *InstallationKey) Member() MemberID { return InstallationMember(k.PublicKey()) }

// Sign signs an identity update's text with Ed25519ph. It never blocks, but takes a context
// to satisfy Signer.
func (k *InstallationKey) Sign(_ context.Context, text string) (*associations.Signature, error) {
	digest := sha512.Sum512([]byte(text))
	sig, err := k.private.Sign(nil, digest[:], installationOptions)
	if err != nil {
		return nil, fmt.Errorf("installation signature: %w", err)
	}
	return &associations.Signature{Signature: &associations.Signature_InstallationKey{
		InstallationKey: &associations.RecoverableEd25519Signature{Bytes: sig, PublicKey: k.PublicKey()},
	}}, nil
}

// verifyInstallationSignature checks an Ed25519ph signature over text by publicKey.
func verifyInstallationSignature(text string, sig, publicKey []byte) error {
	if len(publicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("installation key of %d bytes: %w", len(publicKey), ErrInvalidPublicKey)
	}
	digest := sha512.Sum512([]byte(text))
	if err := ed25519.VerifyWithOptions(publicKey, digest[:], sig, installationOptions); err != nil {
		return fmt.Errorf("installation signature: %w", ErrInvalidSignature)
	}
	return nil
}
