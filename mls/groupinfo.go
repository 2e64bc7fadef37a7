package mls

import (
	"errors"
	"fmt"
)

// ErrGroupInfoSignature reports a GroupInfo whose signature does not verify.
var ErrGroupInfoSignature = errors.New("mls: group info signature invalid")

// GroupInfo is what a joiner needs to know about a group beyond the secrets (RFC 9420
// §12.4.3): the group context, extensions such as the ratchet tree, and the confirmation tag,
// signed by the member at leaf index Signer.
type GroupInfo struct {
	GroupContext    GroupContext
	Extensions      Extensions
	ConfirmationTag []byte
	Signer          uint32
	Signature       []byte
}

func (g *GroupInfo) marshalTBS(e *Encoder) {
	g.GroupContext.Marshal(e)
	g.Extensions.Marshal(e)
	e.Opaque(g.ConfirmationTag)
	e.U32(g.Signer)
}

// Marshal writes the group info.
func (g *GroupInfo) Marshal(e *Encoder) {
	g.marshalTBS(e)
	e.Opaque(g.Signature)
}

// Unmarshal reads a group info. The ratchet tree extension, if any, is parsed on demand by
// RatchetTree.
func (g *GroupInfo) Unmarshal(d *Decoder) {
	g.GroupContext.Unmarshal(d)
	g.Extensions.Unmarshal(d)
	g.ConfirmationTag = d.Opaque()
	g.Signer = d.U32()
	g.Signature = d.Opaque()
}

// Encode returns the wire form of the group info.
func (g *GroupInfo) Encode() []byte { return encode(g, 1024) }

// DecodeGroupInfo parses a bare GroupInfo (not wrapped in an MLSMessage).
func DecodeGroupInfo(b []byte) (GroupInfo, error) { return decode[GroupInfo]("group info", b) }

// Sign sets the signature with the signer's Ed25519 seed.
func (g *GroupInfo) Sign(signPriv []byte) error {
	e := NewEncoder(1024)
	g.marshalTBS(e)
	sig, err := g.GroupContext.CipherSuite.SignWithLabel(signPriv, "GroupInfoTBS", e.Bytes())
	if err != nil {
		return fmt.Errorf("mls: sign group info: %w", err)
	}
	g.Signature = sig
	return nil
}

// VerifySignature checks the signature against the signer's public key, which the caller
// takes from the leaf at index Signer.
func (g *GroupInfo) VerifySignature(signPub []byte) error {
	e := NewEncoder(1024)
	g.marshalTBS(e)
	if err := g.GroupContext.CipherSuite.VerifyWithLabel(signPub, "GroupInfoTBS", e.Bytes(), g.Signature); err != nil {
		return fmt.Errorf("%w: %w", ErrGroupInfoSignature, err)
	}
	return nil
}

// RatchetTree decodes the ratchet_tree extension; ok is false when there is none and the
// tree must come out of band. The tree aliases the extension's data, which for a decoded
// GroupInfo is the package's private copy of the input.
func (g *GroupInfo) RatchetTree() (tree RatchetTree, ok bool, err error) {
	data, ok := g.Extensions.Find(ExtensionRatchetTree)
	if !ok {
		return nil, false, nil
	}
	tree, err = decodeRatchetTree(data, g.GroupContext.CipherSuite)
	return tree, true, err
}
