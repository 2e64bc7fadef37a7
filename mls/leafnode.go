package mls

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// LeafNodeSource says why a leaf node was made, which decides what it carries and what its
// signature covers (RFC 9420 §7.2).
type LeafNodeSource uint8

const (
	LeafNodeSourceKeyPackage LeafNodeSource = 1
	LeafNodeSourceUpdate     LeafNodeSource = 2
	LeafNodeSourceCommit     LeafNodeSource = 3
)

// Leaf node errors.
var (
	// ErrLeafNodeSource reports a leaf_node_source outside key_package, update and commit.
	ErrLeafNodeSource = errors.New("mls: unknown leaf node source")
	// ErrHPKEKeySize reports an HPKE public key whose length is wrong for the suite.
	ErrHPKEKeySize = errors.New("mls: HPKE public key has wrong size for the cipher suite")
	// ErrLeafNodeSignature reports a leaf node whose signature does not verify.
	ErrLeafNodeSignature = errors.New("mls: leaf node signature invalid")
)

// x25519KeySize is the HPKE public key size of both supported suites (DHKEM(X25519)).
const x25519KeySize = 32

// Lifetime is the validity window of a key package's leaf node, in seconds since the Unix
// epoch (RFC 9420 §7.2).
type Lifetime struct {
	NotBefore uint64
	NotAfter  uint64
}

// LeafNode is a member's entry in the ratchet tree (RFC 9420 §7.2). Lifetime is meaningful
// only for source key_package and ParentHash only for source commit.
type LeafNode struct {
	EncryptionKey []byte
	SignatureKey  []byte
	Credential    Credential
	Capabilities  Capabilities
	Source        LeafNodeSource
	Lifetime      Lifetime
	ParentHash    []byte
	Extensions    Extensions
	Signature     []byte
}

// marshalContent writes every field before the signature; it is shared by the wire form and
// the to-be-signed form.
func (l *LeafNode) marshalContent(e *Encoder) {
	e.Opaque(l.EncryptionKey)
	e.Opaque(l.SignatureKey)
	l.Credential.Marshal(e)
	l.Capabilities.Marshal(e)
	e.U8(uint8(l.Source))
	switch l.Source {
	case LeafNodeSourceKeyPackage:
		e.U64(l.Lifetime.NotBefore)
		e.U64(l.Lifetime.NotAfter)
	case LeafNodeSourceCommit:
		e.Opaque(l.ParentHash)
	}
	l.Extensions.Marshal(e)
}

// Marshal writes the leaf node.
func (l *LeafNode) Marshal(e *Encoder) {
	l.marshalContent(e)
	e.Opaque(l.Signature)
}

// Unmarshal reads a leaf node.
func (l *LeafNode) Unmarshal(d *Decoder) {
	l.EncryptionKey = d.Opaque()
	l.SignatureKey = d.Opaque()
	l.Credential.Unmarshal(d)
	l.Capabilities.Unmarshal(d)
	l.Source = LeafNodeSource(d.U8())
	switch l.Source {
	case LeafNodeSourceKeyPackage:
		l.Lifetime.NotBefore = d.U64()
		l.Lifetime.NotAfter = d.U64()
	case LeafNodeSourceUpdate:
	case LeafNodeSourceCommit:
		l.ParentHash = d.Opaque()
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrLeafNodeSource, l.Source))
		return
	}
	l.Extensions.Unmarshal(d)
	l.Signature = d.Opaque()
}

// Encode returns the wire form of the leaf node.
func (l *LeafNode) Encode() []byte { return encode(l, 256) }

// DecodeLeafNode parses a leaf node.
func DecodeLeafNode(b []byte) (LeafNode, error) { return decode[LeafNode]("leaf node", b) }

// tbs returns LeafNodeTBS: the content, then for update and commit leaves the group and leaf
// index, so such a leaf cannot be replayed into another group or position.
func (l *LeafNode) tbs(groupID []byte, leafIndex uint32) []byte {
	e := NewEncoder(256)
	l.marshalContent(e)
	if l.Source == LeafNodeSourceUpdate || l.Source == LeafNodeSourceCommit {
		e.Opaque(groupID)
		e.U32(leafIndex)
	}
	return e.Bytes()
}

// Sign sets the signature with signPriv (the Ed25519 seed matching SignatureKey). groupID and
// leafIndex are ignored for a key_package leaf.
func (l *LeafNode) Sign(cs CipherSuite, signPriv, groupID []byte, leafIndex uint32) error {
	sig, err := cs.SignWithLabel(signPriv, "LeafNodeTBS", l.tbs(groupID, leafIndex))
	if err != nil {
		return fmt.Errorf("mls: sign leaf node: %w", err)
	}
	l.Signature = sig
	return nil
}

// VerifySignature checks the signature against the leaf's own SignatureKey. groupID and
// leafIndex are ignored for a key_package leaf.
func (l *LeafNode) VerifySignature(cs CipherSuite, groupID []byte, leafIndex uint32) error {
	if err := cs.VerifyWithLabel(l.SignatureKey, "LeafNodeTBS", l.tbs(groupID, leafIndex), l.Signature); err != nil {
		return fmt.Errorf("%w: %w", ErrLeafNodeSignature, err)
	}
	return nil
}

// checkKeySizes rejects keys whose length is impossible for a supported suite. For suites
// goxmtp does not implement the sizes are unknown and nothing is checked, so that such
// structures still decode and re-encode byte for byte.
func (l *LeafNode) checkKeySizes(cs CipherSuite) error {
	if cs.Check() != nil {
		return nil
	}
	if err := checkHPKEKeySize(cs, l.EncryptionKey); err != nil {
		return fmt.Errorf("leaf encryption key: %w", err)
	}
	if len(l.SignatureKey) != ed25519.PublicKeySize {
		return fmt.Errorf("leaf signature key of %d bytes: %w", len(l.SignatureKey), ErrSignatureKeySize)
	}
	return nil
}

// checkHPKEKeySize rejects an HPKE public key of the wrong length for a supported suite.
func checkHPKEKeySize(cs CipherSuite, key []byte) error {
	if cs.Check() == nil && len(key) != x25519KeySize {
		return fmt.Errorf("%d bytes: %w", len(key), ErrHPKEKeySize)
	}
	return nil
}
