package mls

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrKeyPackageRefSize reports a Welcome entry whose KeyPackageRef is not one hash long.
var ErrKeyPackageRefSize = errors.New("mls: key package reference has wrong size for the cipher suite")

// Welcome brings new members into a group (RFC 9420 §12.4.3.1): per new member, the group
// secrets sealed to its key package's init key, and the GroupInfo encrypted under a key
// derived from the joiner secret.
type Welcome struct {
	CipherSuite        CipherSuite
	Secrets            []EncryptedGroupSecrets
	EncryptedGroupInfo []byte
}

// EncryptedGroupSecrets is one new member's entry in a Welcome, found by its KeyPackageRef.
type EncryptedGroupSecrets struct {
	NewMember             []byte
	EncryptedGroupSecrets HPKECiphertext
}

// Marshal writes the welcome.
func (w *Welcome) Marshal(e *Encoder) {
	e.U16(uint16(w.CipherSuite))
	e.Vector(func(e *Encoder) {
		for i := range w.Secrets {
			e.Opaque(w.Secrets[i].NewMember)
			w.Secrets[i].EncryptedGroupSecrets.Marshal(e)
		}
	})
	e.Opaque(w.EncryptedGroupInfo)
}

// Unmarshal reads a welcome; for a supported suite each KeyPackageRef must be one hash long
// and each KEM output one X25519 public key.
func (w *Welcome) Unmarshal(d *Decoder) {
	w.CipherSuite = CipherSuite(d.U16())
	w.Secrets = nil
	d.Vector(func(d *Decoder) {
		var s EncryptedGroupSecrets
		s.NewMember = d.Opaque()
		s.EncryptedGroupSecrets.Unmarshal(d)
		if d.Err() == nil && w.CipherSuite.Check() == nil {
			if len(s.NewMember) != w.CipherSuite.HashSize() {
				d.Fail(fmt.Errorf("%w: %d bytes", ErrKeyPackageRefSize, len(s.NewMember)))
				return
			}
			if err := checkHPKEKeySize(w.CipherSuite, s.EncryptedGroupSecrets.KEMOutput); err != nil {
				d.Fail(fmt.Errorf("welcome KEM output: %w", err))
				return
			}
		}
		w.Secrets = append(w.Secrets, s)
	})
	w.EncryptedGroupInfo = d.Opaque()
}

// Encode returns the wire form of the welcome.
func (w *Welcome) Encode() []byte { return encode(w, 512) }

// DecodeWelcome parses a bare Welcome (not wrapped in an MLSMessage).
func DecodeWelcome(b []byte) (Welcome, error) { return decode[Welcome]("welcome", b) }

// Find returns the entry addressed to the key package with reference ref.
func (w *Welcome) Find(ref []byte) (*EncryptedGroupSecrets, bool) {
	for i := range w.Secrets {
		if bytes.Equal(w.Secrets[i].NewMember, ref) {
			return &w.Secrets[i], true
		}
	}
	return nil, false
}

// GroupSecrets is what a Welcome seals to each new member (RFC 9420 §12.4.3.1). PathSecret is
// nil when absent (the joiner shares no path node with the committer); PSKs lists the
// pre-shared keys the joiner must hold.
type GroupSecrets struct {
	JoinerSecret []byte
	PathSecret   []byte
	PSKs         []PreSharedKeyID
}

// Marshal writes the group secrets.
func (g *GroupSecrets) Marshal(e *Encoder) {
	e.Opaque(g.JoinerSecret)
	e.Optional(g.PathSecret != nil, func(e *Encoder) { e.Opaque(g.PathSecret) })
	e.Vector(func(e *Encoder) {
		for i := range g.PSKs {
			g.PSKs[i].Marshal(e)
		}
	})
}

// Unmarshal reads group secrets. A present path secret is never nil, even when empty.
func (g *GroupSecrets) Unmarshal(d *Decoder) {
	g.JoinerSecret = d.Opaque()
	g.PathSecret = nil
	if d.Optional() {
		g.PathSecret = d.Opaque()
	}
	g.PSKs = nil
	d.Vector(func(d *Decoder) {
		var p PreSharedKeyID
		p.Unmarshal(d)
		g.PSKs = append(g.PSKs, p)
	})
}

// Encode returns the wire form of the group secrets.
func (g *GroupSecrets) Encode() []byte { return encode(g, 128) }

// DecodeGroupSecrets parses group secrets, as decrypted from a Welcome.
func DecodeGroupSecrets(b []byte) (GroupSecrets, error) {
	return decode[GroupSecrets]("group secrets", b)
}
