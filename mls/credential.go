package mls

import (
	"errors"
	"fmt"
)

// CredentialType names the kind of a Credential (RFC 9420 §5.3).
type CredentialType uint16

const (
	CredentialBasic CredentialType = 1
	CredentialX509  CredentialType = 2
)

// ErrCredentialType reports a credential of the reserved type 0.
var ErrCredentialType = errors.New("mls: reserved credential type")

// Credential binds an identity to a signature key (RFC 9420 §5.3). For a basic credential Data
// is the identity (XMTP: the protobuf MlsCredential holding the inbox id). For every other
// type Data is the body of the type-specific vector, kept opaque: for x509 that is the
// encoded certificate chain, for a custom type whatever its owner defined as opaque<V>.
type Credential struct {
	Type CredentialType
	Data []byte
}

// NewBasicCredential returns a basic credential carrying identity.
func NewBasicCredential(identity []byte) Credential {
	return Credential{Type: CredentialBasic, Data: identity}
}

// Marshal writes the credential. Every type's content is one variable-length vector, so the
// opaque form round-trips byte for byte.
func (c Credential) Marshal(e *Encoder) {
	e.U16(uint16(c.Type))
	e.Opaque(c.Data)
}

// Unmarshal reads a credential. An x509 chain must be a list of opaque certificates; its
// certificates are not parsed here.
func (c *Credential) Unmarshal(d *Decoder) {
	c.Type = CredentialType(d.U16())
	c.Data = d.Opaque()
	switch {
	case d.Err() != nil:
	case c.Type == 0:
		d.Fail(ErrCredentialType)
	case c.Type == CredentialX509:
		chain := NewDecoder(c.Data)
		for !chain.Empty() {
			chain.Opaque()
		}
		if err := chain.Finish(); err != nil {
			d.Fail(fmt.Errorf("x509 certificate chain: %w", err))
		}
	}
}
