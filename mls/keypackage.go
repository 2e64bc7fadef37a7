package mls

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Key package lifetime defaults, those of OpenMLS and therefore of libxmtp peers: valid from
// an hour ago (tolerating clock skew) for 84 days.
const (
	KeyPackageLifetime = 84 * 24 * time.Hour
	KeyPackageBackdate = time.Hour
)

// NoLifetimeLimit, passed as Verify's maxLifetime, skips the range check (as does any
// negative value); the window check still applies. Test vectors need it: their key packages
// are valid from 0 to 2^64-1.
const NoLifetimeLimit time.Duration = -1

// Key package errors, one per rule of RFC 9420 §10.1 that a key package can break.
var (
	// ErrKeyPackageVersion reports a key package of a version other than mls10.
	ErrKeyPackageVersion = errors.New("mls: key package version is not mls10")
	// ErrKeyPackageLeafSource reports a key package whose leaf node is not of source key_package.
	ErrKeyPackageLeafSource = errors.New("mls: key package leaf node source is not key_package")
	// ErrCapabilities reports capabilities that omit the version, suite, credential type or an
	// extension type the key package itself uses.
	ErrCapabilities = errors.New("mls: capabilities do not list what the key package uses")
	// ErrLifetimeRange reports a lifetime that ends before it starts or spans more than allowed.
	ErrLifetimeRange = errors.New("mls: key package lifetime range invalid or too long")
	// ErrLifetimeWindow reports a key package used outside its lifetime.
	ErrLifetimeWindow = errors.New("mls: key package not valid at this time")
	// ErrInitKeyReused reports an init key equal to the leaf's encryption key.
	ErrInitKeyReused = errors.New("mls: key package init key equals the leaf encryption key")
	// ErrKeyPackageSignature reports a key package whose signature does not verify.
	ErrKeyPackageSignature = errors.New("mls: key package signature invalid")
	// ErrKeyPackageOptions reports options NewKeyPackage cannot build a key package from.
	ErrKeyPackageOptions = errors.New("mls: invalid key package options")
)

// KeyPackage advertises a client so that others can add it to groups (RFC 9420 §10): an
// HPKE init key to encrypt its Welcome to, and the leaf node it will occupy.
type KeyPackage struct {
	Version     ProtocolVersion
	CipherSuite CipherSuite
	InitKey     []byte
	LeafNode    LeafNode
	Extensions  Extensions
	Signature   []byte
}

func (kp *KeyPackage) marshalTBS(e *Encoder) {
	e.U16(uint16(kp.Version))
	e.U16(uint16(kp.CipherSuite))
	e.Opaque(kp.InitKey)
	kp.LeafNode.Marshal(e)
	kp.Extensions.Marshal(e)
}

// Marshal writes the key package.
func (kp *KeyPackage) Marshal(e *Encoder) {
	kp.marshalTBS(e)
	e.Opaque(kp.Signature)
}

// Unmarshal reads a key package. When the suite is one goxmtp implements, key sizes are
// checked here, so no later code sees an X25519 or Ed25519 key of the wrong length.
func (kp *KeyPackage) Unmarshal(d *Decoder) {
	kp.Version = ProtocolVersion(d.U16())
	kp.CipherSuite = CipherSuite(d.U16())
	kp.InitKey = d.Opaque()
	kp.LeafNode.Unmarshal(d)
	kp.Extensions.Unmarshal(d)
	kp.Signature = d.Opaque()
	if d.Err() == nil {
		if err := kp.checkKeySizes(); err != nil {
			d.Fail(err)
		}
	}
}

func (kp *KeyPackage) checkKeySizes() error {
	if err := checkHPKEKeySize(kp.CipherSuite, kp.InitKey); err != nil {
		return fmt.Errorf("key package init key: %w", err)
	}
	return kp.LeafNode.checkKeySizes(kp.CipherSuite)
}

// Encode returns the wire form of the key package.
func (kp *KeyPackage) Encode() []byte { return encode(kp, 512) }

// DecodeKeyPackage parses a bare KeyPackage (not wrapped in an MLSMessage).
func DecodeKeyPackage(b []byte) (KeyPackage, error) { return decode[KeyPackage]("key package", b) }

// Ref returns the KeyPackageRef that names this key package in a Welcome (RFC 9420 §5.2).
func (kp *KeyPackage) Ref() ([]byte, error) {
	if err := kp.CipherSuite.Check(); err != nil {
		return nil, fmt.Errorf("mls: key package ref: %w", err)
	}
	return kp.CipherSuite.RefHash("MLS 1.0 KeyPackage Reference", kp.Encode()), nil
}

// LastResort reports whether the key package may be used more than once (the last_resort
// extension), so a server keeps it after handing it out.
func (kp *KeyPackage) LastResort() bool { return kp.Extensions.Has(ExtensionLastResort) }

// KeyPackageOptions describes the key package NewKeyPackage builds.
type KeyPackageOptions struct {
	CipherSuite CipherSuite
	Credential  Credential
	// SignaturePrivateKey is the 32-byte Ed25519 seed of the member's signature key; its
	// public half becomes the leaf's signature key.
	SignaturePrivateKey []byte
	// Capabilities are advertised as given, after adding whatever the key package itself
	// uses and a list left out: mls10, the suite, the credential type and every non-default
	// extension type.
	Capabilities   Capabilities
	LeafExtensions Extensions
	Extensions     Extensions
	// LastResort adds the last_resort extension to Extensions.
	LastResort bool
	// Lifetime is used when set; otherwise Now minus KeyPackageBackdate to Now plus
	// KeyPackageLifetime. Time is always injected, never read from the clock.
	Lifetime Lifetime
	Now      time.Time
}

// KeyPackageBundle is a new key package and the private keys its owner must keep until the
// package is used (init key) or the member leaves (encryption key).
type KeyPackageBundle struct {
	KeyPackage           KeyPackage
	InitPrivateKey       []byte
	EncryptionPrivateKey []byte
}

// NewKeyPackage builds and signs a key package with fresh init and encryption key pairs.
func NewKeyPackage(opts KeyPackageOptions) (*KeyPackageBundle, error) {
	cs := opts.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, fmt.Errorf("mls: new key package: %w", err)
	}
	if len(opts.SignaturePrivateKey) != ed25519.SeedSize {
		return nil, fmt.Errorf("mls: new key package: signature private key: %w", ErrSignatureKeySize)
	}
	if opts.Credential.Type == 0 {
		return nil, fmt.Errorf("%w: no credential", ErrKeyPackageOptions)
	}
	lifetime := opts.Lifetime
	if lifetime == (Lifetime{}) {
		if opts.Now.IsZero() {
			return nil, fmt.Errorf("%w: neither Lifetime nor Now set", ErrKeyPackageOptions)
		}
		lifetime = Lifetime{
			NotBefore: uint64(opts.Now.Add(-KeyPackageBackdate).Unix()),
			NotAfter:  uint64(opts.Now.Add(KeyPackageLifetime).Unix()),
		}
	}
	extensions := slices.Clone(opts.Extensions)
	if opts.LastResort && !extensions.Has(ExtensionLastResort) {
		extensions = append(extensions, Extension{Type: ExtensionLastResort, Data: []byte{}})
	}
	initPriv, initPub, err := cs.GenerateHPKEKeyPair()
	if err != nil {
		return nil, fmt.Errorf("mls: new key package: init key: %w", err)
	}
	encPriv, encPub, err := cs.GenerateHPKEKeyPair()
	if err != nil {
		return nil, fmt.Errorf("mls: new key package: encryption key: %w", err)
	}
	if bytes.Equal(initPub, encPub) {
		return nil, fmt.Errorf("mls: new key package: %w", ErrInitKeyReused)
	}
	kp := KeyPackage{
		Version:     ProtocolVersionMLS10,
		CipherSuite: cs,
		InitKey:     initPub,
		LeafNode: LeafNode{
			EncryptionKey: encPub,
			SignatureKey:  ed25519.NewKeyFromSeed(opts.SignaturePrivateKey).Public().(ed25519.PublicKey),
			Credential:    opts.Credential,
			Capabilities:  completeCapabilities(opts.Capabilities, cs, opts.Credential.Type, opts.LeafExtensions, extensions),
			Source:        LeafNodeSourceKeyPackage,
			Lifetime:      lifetime,
			Extensions:    slices.Clone(opts.LeafExtensions),
		},
		Extensions: extensions,
	}
	if err := kp.LeafNode.Sign(cs, opts.SignaturePrivateKey, nil, 0); err != nil {
		return nil, fmt.Errorf("mls: new key package: %w", err)
	}
	e := NewEncoder(512)
	kp.marshalTBS(e)
	if kp.Signature, err = cs.SignWithLabel(opts.SignaturePrivateKey, "KeyPackageTBS", e.Bytes()); err != nil {
		return nil, fmt.Errorf("mls: new key package: %w", err)
	}
	return &KeyPackageBundle{KeyPackage: kp, InitPrivateKey: initPriv, EncryptionPrivateKey: encPriv}, nil
}

// completeCapabilities returns c plus anything a key package of this shape must advertise.
func completeCapabilities(c Capabilities, cs CipherSuite, cred CredentialType, lists ...Extensions) Capabilities {
	c = Capabilities{
		Versions:     slices.Clone(c.Versions),
		CipherSuites: slices.Clone(c.CipherSuites),
		Extensions:   slices.Clone(c.Extensions),
		Proposals:    slices.Clone(c.Proposals),
		Credentials:  slices.Clone(c.Credentials),
	}
	if !slices.Contains(c.Versions, ProtocolVersionMLS10) {
		c.Versions = append(c.Versions, ProtocolVersionMLS10)
	}
	if !slices.Contains(c.CipherSuites, cs) {
		c.CipherSuites = append(c.CipherSuites, cs)
	}
	if !slices.Contains(c.Credentials, cred) {
		c.Credentials = append(c.Credentials, cred)
	}
	for _, list := range lists {
		for _, ext := range list {
			if !c.SupportsExtension(ext.Type) {
				c.Extensions = append(c.Extensions, ext.Type)
			}
		}
	}
	return c
}

// Verify checks a received key package against RFC 9420 §10.1 at time now: version, suite,
// leaf source, capabilities, a lifetime no longer than maxLifetime that contains now, distinct
// init and encryption keys, then the leaf and key package signatures. maxLifetime is the
// caller's policy (libxmtp allows KeyPackageLifetime + KeyPackageBackdate) or NoLifetimeLimit.
func (kp *KeyPackage) Verify(now time.Time, maxLifetime time.Duration) error {
	if err := kp.verify(now, maxLifetime, true); err != nil {
		return fmt.Errorf("mls: verify key package: %w", err)
	}
	return nil
}

// verify is Verify; without signatures it checks all but the two signatures.
func (kp *KeyPackage) verify(now time.Time, maxLifetime time.Duration, signatures bool) error {
	cs := kp.CipherSuite
	leaf := &kp.LeafNode
	if kp.Version != ProtocolVersionMLS10 {
		return fmt.Errorf("%w: %d", ErrKeyPackageVersion, kp.Version)
	}
	if err := cs.Check(); err != nil {
		return err
	}
	if err := kp.checkKeySizes(); err != nil {
		return err
	}
	if leaf.Source != LeafNodeSourceKeyPackage {
		return fmt.Errorf("%w: %d", ErrKeyPackageLeafSource, leaf.Source)
	}
	if err := kp.checkCapabilities(); err != nil {
		return err
	}
	lt := leaf.Lifetime
	tooLong := maxLifetime >= 0 && lt.NotAfter-lt.NotBefore > uint64(maxLifetime/time.Second)
	if lt.NotAfter < lt.NotBefore || tooLong {
		return fmt.Errorf("%w: %d to %d", ErrLifetimeRange, lt.NotBefore, lt.NotAfter)
	}
	if t := now.Unix(); t < 0 || uint64(t) < lt.NotBefore || uint64(t) > lt.NotAfter {
		return fmt.Errorf("%w: %d to %d at %d", ErrLifetimeWindow, lt.NotBefore, lt.NotAfter, t)
	}
	if bytes.Equal(kp.InitKey, leaf.EncryptionKey) {
		return ErrInitKeyReused
	}
	if !signatures {
		return nil
	}
	if err := leaf.VerifySignature(cs, nil, 0); err != nil {
		return err
	}
	e := NewEncoder(512)
	kp.marshalTBS(e)
	if err := cs.VerifyWithLabel(leaf.SignatureKey, "KeyPackageTBS", e.Bytes(), kp.Signature); err != nil {
		return fmt.Errorf("%w: %w", ErrKeyPackageSignature, err)
	}
	return nil
}

// checkCapabilities requires the leaf's capabilities to list what the package uses.
func (kp *KeyPackage) checkCapabilities() error {
	c := &kp.LeafNode.Capabilities
	switch {
	case !slices.Contains(c.Versions, ProtocolVersionMLS10):
		return fmt.Errorf("%w: version mls10 missing", ErrCapabilities)
	case !slices.Contains(c.CipherSuites, kp.CipherSuite):
		return fmt.Errorf("%w: cipher suite %d missing", ErrCapabilities, kp.CipherSuite)
	case !slices.Contains(c.Credentials, kp.LeafNode.Credential.Type):
		return fmt.Errorf("%w: credential type %d missing", ErrCapabilities, kp.LeafNode.Credential.Type)
	}
	for _, list := range []Extensions{kp.LeafNode.Extensions, kp.Extensions} {
		for _, ext := range list {
			if !c.SupportsExtension(ext.Type) {
				return fmt.Errorf("%w: extension type 0x%04x missing", ErrCapabilities, uint16(ext.Type))
			}
		}
	}
	return nil
}
