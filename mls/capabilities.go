package mls

import "slices"

// Capabilities is what a member's client supports (RFC 9420 §7.2). Every group member must
// support the group's suite, its required capabilities and every extension in use, so these
// lists are checked whenever a leaf node is accepted.
type Capabilities struct {
	Versions     []ProtocolVersion
	CipherSuites []CipherSuite
	Extensions   []ExtensionType
	Proposals    []ProposalType
	Credentials  []CredentialType
}

// Marshal writes the five lists in wire order.
func (c *Capabilities) Marshal(e *Encoder) {
	encodeU16s(e, c.Versions)
	encodeU16s(e, c.CipherSuites)
	encodeU16s(e, c.Extensions)
	encodeU16s(e, c.Proposals)
	encodeU16s(e, c.Credentials)
}

// Unmarshal reads the five lists. Unknown values are legal (GREASE, newer extensions).
func (c *Capabilities) Unmarshal(d *Decoder) {
	c.Versions = decodeU16s[ProtocolVersion](d)
	c.CipherSuites = decodeU16s[CipherSuite](d)
	c.Extensions = decodeU16s[ExtensionType](d)
	c.Proposals = decodeU16s[ProposalType](d)
	c.Credentials = decodeU16s[CredentialType](d)
}

// SupportsExtension reports whether t is listed or is one of the defaults every client has.
func (c *Capabilities) SupportsExtension(t ExtensionType) bool {
	return t.IsDefault() || slices.Contains(c.Extensions, t)
}

// SupportsProposal reports whether t is listed or is one of the defaults every client has.
func (c *Capabilities) SupportsProposal(t ProposalType) bool {
	return t.IsDefault() || slices.Contains(c.Proposals, t)
}

// RequiredCapabilities is the required_capabilities group context extension (RFC 9420
// §11.1): what every member's Capabilities must list before it may join.
type RequiredCapabilities struct {
	Extensions  []ExtensionType
	Proposals   []ProposalType
	Credentials []CredentialType
}

// Marshal writes the three lists in wire order.
func (r *RequiredCapabilities) Marshal(e *Encoder) {
	encodeU16s(e, r.Extensions)
	encodeU16s(e, r.Proposals)
	encodeU16s(e, r.Credentials)
}

// Unmarshal reads the three lists.
func (r *RequiredCapabilities) Unmarshal(d *Decoder) {
	r.Extensions = decodeU16s[ExtensionType](d)
	r.Proposals = decodeU16s[ProposalType](d)
	r.Credentials = decodeU16s[CredentialType](d)
}

// Encode returns the extension data of r.
func (r *RequiredCapabilities) Encode() []byte { return encode(r, 16) }

// DecodeRequiredCapabilities parses the data of a required_capabilities extension.
func DecodeRequiredCapabilities(b []byte) (RequiredCapabilities, error) {
	return decode[RequiredCapabilities]("required capabilities", b)
}

// SatisfiedBy reports whether c lists everything r requires.
func (r *RequiredCapabilities) SatisfiedBy(c *Capabilities) bool {
	for _, t := range r.Extensions {
		if !c.SupportsExtension(t) {
			return false
		}
	}
	for _, t := range r.Proposals {
		if !c.SupportsProposal(t) {
			return false
		}
	}
	for _, t := range r.Credentials {
		if !slices.Contains(c.Credentials, t) {
			return false
		}
	}
	return true
}
