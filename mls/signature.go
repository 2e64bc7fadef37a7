package mls

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// Signature errors.
var (
	// ErrSignatureInvalid means a signature did not verify under the given key and label.
	ErrSignatureInvalid = errors.New("mls: invalid signature")
	// ErrSignatureKeySize means a signature key has the wrong length for Ed25519.
	ErrSignatureKeySize = errors.New("mls: signature key has wrong size")
)

// signContent is the SignContent structure of RFC 9420 §5.1.2: the label binds every
// signature to its purpose, so one signed structure can never be replayed as another.
func signContent(label string, content []byte) []byte {
	e := NewEncoder(len(labelPrefix) + len(label) + len(content) + 8)
	e.Opaque([]byte(labelPrefix + label))
	e.Opaque(content)
	return e.Bytes()
}

// SignWithLabel signs content under label with an Ed25519 private key: the 32-byte seed MLS
// serializes, or the 64-byte ed25519.PrivateKey expanded from it by ExpandSignatureKey. The
// expanded form saves deriving the public key on every signature, which triples the cost of
// signing in js/wasm, so a member that signs many messages keeps it.
func (cs CipherSuite) SignWithLabel(signPriv []byte, label string, content []byte) ([]byte, error) {
	if err := cs.Check(); err != nil {
		return nil, err
	}
	var key ed25519.PrivateKey
	switch len(signPriv) {
	case ed25519.SeedSize:
		key = ed25519.NewKeyFromSeed(signPriv)
	case ed25519.PrivateKeySize:
		key = ed25519.PrivateKey(signPriv)
	default:
		return nil, fmt.Errorf("mls: sign %q: private key: %w", label, ErrSignatureKeySize)
	}
	return ed25519.Sign(key, signContent(label, content)), nil
}

// ExpandSignatureKey returns the 64-byte form of an Ed25519 seed (seed then public key), for
// repeated SignWithLabel calls.
func (cs CipherSuite) ExpandSignatureKey(seed []byte) ([]byte, error) {
	if err := cs.Check(); err != nil {
		return nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("mls: expand signature key: %w", ErrSignatureKeySize)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// VerifyWithLabel checks sig over content under label and the Ed25519 public key signPub.
func (cs CipherSuite) VerifyWithLabel(signPub []byte, label string, content, sig []byte) error {
	if err := cs.Check(); err != nil {
		return err
	}
	if len(signPub) != ed25519.PublicKeySize {
		return fmt.Errorf("mls: verify %q: public key: %w", label, ErrSignatureKeySize)
	}
	if !ed25519.Verify(ed25519.PublicKey(signPub), signContent(label, content), sig) {
		return fmt.Errorf("mls: verify %q: %w", label, ErrSignatureInvalid)
	}
	return nil
}

// GenerateSignatureKeyPair returns a fresh Ed25519 key pair: the 32-byte seed and the
// 32-byte public key. Randomness comes from crypto/rand's global source (Go 1.26).
func (cs CipherSuite) GenerateSignatureKeyPair() (priv, pub []byte, err error) {
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	pk, sk, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: generate signature key: %w", err)
	}
	return sk.Seed(), []byte(pk), nil
}
