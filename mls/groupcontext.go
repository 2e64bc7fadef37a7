package mls

import "fmt"

// GroupContext is the state every member agrees on in an epoch (RFC 9420 §8.1); it is mixed
// into the key schedule and signed into every member's handshake messages. Its version is
// always mls10.
type GroupContext struct {
	CipherSuite             CipherSuite
	GroupID                 []byte
	Epoch                   uint64
	TreeHash                []byte
	ConfirmedTranscriptHash []byte
	Extensions              Extensions
}

// Marshal writes the group context.
func (g *GroupContext) Marshal(e *Encoder) {
	e.U16(uint16(ProtocolVersionMLS10))
	e.U16(uint16(g.CipherSuite))
	e.Opaque(g.GroupID)
	e.U64(g.Epoch)
	e.Opaque(g.TreeHash)
	e.Opaque(g.ConfirmedTranscriptHash)
	g.Extensions.Marshal(e)
}

// Unmarshal reads a group context, rejecting versions other than mls10.
func (g *GroupContext) Unmarshal(d *Decoder) {
	if v := ProtocolVersion(d.U16()); d.Err() == nil && v != ProtocolVersionMLS10 {
		d.Fail(fmt.Errorf("group context: %w: %d", ErrUnsupportedVersion, v))
		return
	}
	g.CipherSuite = CipherSuite(d.U16())
	g.GroupID = d.Opaque()
	g.Epoch = d.U64()
	g.TreeHash = d.Opaque()
	g.ConfirmedTranscriptHash = d.Opaque()
	g.Extensions.Unmarshal(d)
}

// Encode returns the wire form of the group context.
func (g *GroupContext) Encode() []byte { return encode(g, 128) }

// DecodeGroupContext parses a group context.
func DecodeGroupContext(b []byte) (GroupContext, error) {
	return decode[GroupContext]("group context", b)
}
