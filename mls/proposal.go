package mls

import (
	"errors"
	"fmt"
)

// ProposalType names a proposal (RFC 9420 §12.1, registry in §17.4).
type ProposalType uint16

const (
	ProposalAdd                    ProposalType = 1
	ProposalUpdate                 ProposalType = 2
	ProposalRemove                 ProposalType = 3
	ProposalPreSharedKey           ProposalType = 4
	ProposalReInit                 ProposalType = 5
	ProposalExternalInit           ProposalType = 6
	ProposalGroupContextExtensions ProposalType = 7
)

// IsDefault reports whether t is one of RFC 9420's proposals, which every client supports
// and which therefore never need to be listed in Capabilities (§7.2).
func (t ProposalType) IsDefault() bool {
	return t >= ProposalAdd && t <= ProposalGroupContextExtensions
}

// PSKType says where a pre-shared key comes from (RFC 9420 §8.4).
type PSKType uint8

const (
	PSKExternal   PSKType = 1
	PSKResumption PSKType = 2
)

// ResumptionPSKUsage says why a resumption PSK is injected (RFC 9420 §8.4).
type ResumptionPSKUsage uint8

const (
	ResumptionApplication ResumptionPSKUsage = 1
	ResumptionReInit      ResumptionPSKUsage = 2
	ResumptionBranch      ResumptionPSKUsage = 3
)

// ProposalOrRefType says whether a commit carries a proposal inline or by reference.
type ProposalOrRefType uint8

const (
	ProposalOrRefProposal  ProposalOrRefType = 1
	ProposalOrRefReference ProposalOrRefType = 2
)

// Proposal errors.
var (
	// ErrProposalType reports the reserved proposal type 0.
	ErrProposalType = errors.New("mls: reserved proposal type")
	// ErrPSKType reports an unknown pre-shared key type.
	ErrPSKType = errors.New("mls: unknown PSK type")
	// ErrResumptionUsage reports an unknown resumption PSK usage.
	ErrResumptionUsage = errors.New("mls: unknown resumption PSK usage")
	// ErrProposalOrRefType reports a ProposalOrRef that is neither inline nor a reference.
	ErrProposalOrRefType = errors.New("mls: unknown proposal-or-reference type")
)

// Proposal is one of the proposal structures of RFC 9420 §12.1: AddProposal, UpdateProposal,
// RemoveProposal, PreSharedKeyProposal, ReInitProposal, ExternalInitProposal,
// GroupContextExtensionsProposal, or UnknownProposal for types this package does not know.
// The interface is sealed.
type Proposal interface {
	// Type returns the proposal's type.
	Type() ProposalType
	marshalBody(e *Encoder)
}

// AddProposal asks to add the member described by a key package.
type AddProposal struct{ KeyPackage KeyPackage }

// UpdateProposal asks to replace the sender's own leaf node.
type UpdateProposal struct{ LeafNode LeafNode }

// RemoveProposal asks to remove the member at a leaf index.
type RemoveProposal struct{ Removed uint32 }

// PreSharedKeyProposal asks to inject a pre-shared key into the next epoch's key schedule.
type PreSharedKeyProposal struct{ PSK PreSharedKeyID }

// ReInitProposal asks to end the group and restart it with new parameters.
type ReInitProposal struct {
	GroupID     []byte
	Version     ProtocolVersion
	CipherSuite CipherSuite
	Extensions  Extensions
}

// ExternalInitProposal carries the KEM output with which a joiner by external commit derives
// the new epoch's init secret.
type ExternalInitProposal struct{ KEMOutput []byte }

// GroupContextExtensionsProposal asks to replace the group context's extensions.
type GroupContextExtensionsProposal struct{ Extensions Extensions }

// UnknownProposal is a proposal of a type outside RFC 9420 (such as XMTP's AppDataUpdate).
// Its body is carried as opaque<V>, the convention of the MLS extensions draft and OpenMLS.
type UnknownProposal struct {
	ProposalType ProposalType
	Data         []byte
}

func (AddProposal) Type() ProposalType                    { return ProposalAdd }
func (UpdateProposal) Type() ProposalType                 { return ProposalUpdate }
func (RemoveProposal) Type() ProposalType                 { return ProposalRemove }
func (PreSharedKeyProposal) Type() ProposalType           { return ProposalPreSharedKey }
func (ReInitProposal) Type() ProposalType                 { return ProposalReInit }
func (ExternalInitProposal) Type() ProposalType           { return ProposalExternalInit }
func (GroupContextExtensionsProposal) Type() ProposalType { return ProposalGroupContextExtensions }
func (p UnknownProposal) Type() ProposalType              { return p.ProposalType }

func (p AddProposal) marshalBody(e *Encoder)    { p.KeyPackage.Marshal(e) }
func (p UpdateProposal) marshalBody(e *Encoder) { p.LeafNode.Marshal(e) }
func (p RemoveProposal) marshalBody(e *Encoder) { e.U32(p.Removed) }
func (p PreSharedKeyProposal) marshalBody(e *Encoder) {
	p.PSK.Marshal(e)
}
func (p ReInitProposal) marshalBody(e *Encoder) {
	e.Opaque(p.GroupID)
	e.U16(uint16(p.Version))
	e.U16(uint16(p.CipherSuite))
	p.Extensions.Marshal(e)
}
func (p ExternalInitProposal) marshalBody(e *Encoder) { e.Opaque(p.KEMOutput) }
func (p GroupContextExtensionsProposal) marshalBody(e *Encoder) {
	p.Extensions.Marshal(e)
}
func (p UnknownProposal) marshalBody(e *Encoder) { e.Opaque(p.Data) }

// MarshalProposal writes a Proposal: its type, then its body.
func MarshalProposal(e *Encoder, p Proposal) {
	e.U16(uint16(p.Type()))
	p.marshalBody(e)
}

// UnmarshalProposal reads a Proposal.
func UnmarshalProposal(d *Decoder) Proposal {
	t := ProposalType(d.U16())
	if d.Err() != nil {
		return nil
	}
	return unmarshalProposalBody(d, t)
}

// unmarshalProposalBody reads the body of a proposal of type t.
func unmarshalProposalBody(d *Decoder, t ProposalType) Proposal {
	switch t {
	case 0:
		d.Fail(ErrProposalType)
		return nil
	case ProposalAdd:
		var p AddProposal
		p.KeyPackage.Unmarshal(d)
		return p
	case ProposalUpdate:
		var p UpdateProposal
		p.LeafNode.Unmarshal(d)
		return p
	case ProposalRemove:
		return RemoveProposal{Removed: d.U32()}
	case ProposalPreSharedKey:
		var p PreSharedKeyProposal
		p.PSK.Unmarshal(d)
		return p
	case ProposalReInit:
		var p ReInitProposal
		p.GroupID = d.Opaque()
		p.Version = ProtocolVersion(d.U16())
		p.CipherSuite = CipherSuite(d.U16())
		p.Extensions.Unmarshal(d)
		return p
	case ProposalExternalInit:
		return ExternalInitProposal{KEMOutput: d.Opaque()}
	case ProposalGroupContextExtensions:
		var p GroupContextExtensionsProposal
		p.Extensions.Unmarshal(d)
		return p
	default:
		return UnknownProposal{ProposalType: t, Data: d.Opaque()}
	}
}

// EncodeProposal returns the wire form of a Proposal.
func EncodeProposal(p Proposal) []byte {
	e := NewEncoder(128)
	MarshalProposal(e, p)
	return e.Bytes()
}

// DecodeProposal parses a Proposal.
func DecodeProposal(b []byte) (Proposal, error) {
	var p Proposal
	err := decodeAll("proposal", b, func(d *Decoder) { p = UnmarshalProposal(d) })
	return p, err
}

// PreSharedKeyID names a pre-shared key and carries a fresh nonce for its use (RFC 9420
// §8.4). ID is set for an external PSK; Usage, GroupID and Epoch for a resumption PSK.
type PreSharedKeyID struct {
	Type    PSKType
	ID      []byte
	Usage   ResumptionPSKUsage
	GroupID []byte
	Epoch   uint64
	Nonce   []byte
}

// Marshal writes the PSK id.
func (p *PreSharedKeyID) Marshal(e *Encoder) {
	e.U8(uint8(p.Type))
	switch p.Type {
	case PSKExternal:
		e.Opaque(p.ID)
	case PSKResumption:
		e.U8(uint8(p.Usage))
		e.Opaque(p.GroupID)
		e.U64(p.Epoch)
	}
	e.Opaque(p.Nonce)
}

// Unmarshal reads a PSK id.
func (p *PreSharedKeyID) Unmarshal(d *Decoder) {
	p.Type = PSKType(d.U8())
	switch p.Type {
	case PSKExternal:
		p.ID = d.Opaque()
	case PSKResumption:
		p.Usage = ResumptionPSKUsage(d.U8())
		if d.Err() == nil && (p.Usage < ResumptionApplication || p.Usage > ResumptionBranch) {
			d.Fail(fmt.Errorf("%w: %d", ErrResumptionUsage, p.Usage))
			return
		}
		p.GroupID = d.Opaque()
		p.Epoch = d.U64()
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrPSKType, p.Type))
		return
	}
	p.Nonce = d.Opaque()
}

// ProposalOrRef is an entry of a commit's proposal list: a proposal sent inline, or the
// ProposalRef (RFC 9420 §5.2) of one sent earlier in the epoch. Exactly one is set.
type ProposalOrRef struct {
	Proposal  Proposal
	Reference []byte
}

// Marshal writes the entry.
func (p *ProposalOrRef) Marshal(e *Encoder) {
	if p.Proposal != nil {
		e.U8(uint8(ProposalOrRefProposal))
		MarshalProposal(e, p.Proposal)
		return
	}
	e.U8(uint8(ProposalOrRefReference))
	e.Opaque(p.Reference)
}

// Unmarshal reads an entry.
func (p *ProposalOrRef) Unmarshal(d *Decoder) {
	switch t := ProposalOrRefType(d.U8()); t {
	case ProposalOrRefProposal:
		p.Proposal = UnmarshalProposal(d)
	case ProposalOrRefReference:
		p.Reference = d.Opaque()
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrProposalOrRefType, t))
	}
}
