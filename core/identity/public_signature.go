package identity

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha512"
	"fmt"
)

// Signatures an app makes with an installation key for its own purposes (browser-sdk's
// signWithInstallationKey, e.g. to prove an installation to the app's server). They use a
// different Ed25519ph context from identity updates, so that no such signature can ever be
// replayed as an identity update (libxmtp crates/xmtp_id: PUBLIC_SIGNATURE_CONTEXT).
var publicOptions = &ed25519.Options{Hash: crypto.SHA512, Context: "PUBLIC SIGNATURE CONTEXT"}

// SignPublic signs text with Ed25519ph in the public context: 64 bytes.
func (k *InstallationKey) SignPublic(text string) ([]byte, error) {
	digest := sha512.Sum512([]byte(text))
	sig, err := k.private.Sign(nil, digest[:], publicOptions)
	if err != nil {
		return nil, fmt.Errorf("public installation signature: %w", err)
	}
	return sig, nil
}

// VerifyPublicSignature checks a SignPublic signature over text by the installation key
// publicKey; it fails with ErrInvalidPublicKey or ErrInvalidSignature.
func VerifyPublicSignature(text string, sig, publicKey []byte) error {
	if len(publicKey) != ed25519.PublicKeySize {
		return fmt.Errorf("installation key of %d bytes: %w", len(publicKey), ErrInvalidPublicKey)
	}
	digest := sha512.Sum512([]byte(text))
	if err := ed25519.VerifyWithOptions(publicKey, digest[:], sig, publicOptions); err != nil {
		return fmt.Errorf("public installation signature: %w", ErrInvalidSignature)
	}
	return nil
}
