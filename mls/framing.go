package mls

import (
	"errors"
	"fmt"
)

// ProtocolVersion is an MLS protocol version; only mls10 exists (RFC 9420 §6).
type ProtocolVersion uint16

// ProtocolVersionMLS10 is MLS 1.0, the version of RFC 9420.
const ProtocolVersionMLS10 ProtocolVersion = 1

// WireFormat says which structure an MLSMessage carries (RFC 9420 §6).
type WireFormat uint16

const (
	WireFormatPublicMessage  WireFormat = 1
	WireFormatPrivateMessage WireFormat = 2
	WireFormatWelcome        WireFormat = 3
	WireFormatGroupInfo      WireFormat = 4
	WireFormatKeyPackage     WireFormat = 5
)

// ContentType says what a framed message carries (RFC 9420 §6).
type ContentType uint8

const (
	ContentTypeApplication ContentType = 1
	ContentTypeProposal    ContentType = 2
	ContentTypeCommit      ContentType = 3
)

// SenderType says who sent a framed message (RFC 9420 §6).
type SenderType uint8

const (
	SenderMember            SenderType = 1
	SenderExternal          SenderType = 2
	SenderNewMemberProposal SenderType = 3
	SenderNewMemberCommit   SenderType = 4
)

// Framing errors.
var (
	// ErrUnsupportedVersion reports an MLSMessage of a protocol version other than mls10.
	ErrUnsupportedVersion = errors.New("mls: unsupported protocol version")
	// ErrWireFormat reports an unknown wire format.
	ErrWireFormat = errors.New("mls: unknown wire format")
	// ErrContentType reports an unknown content type.
	ErrContentType = errors.New("mls: unknown content type")
	// ErrSenderType reports an unknown sender type.
	ErrSenderType = errors.New("mls: unknown sender type")
	// ErrSenderContent reports a sender that may not send this content type (RFC 9420 §6:
	// external senders and new members propose, a new member commits).
	ErrSenderContent = errors.New("mls: sender type may not send this content type")
)

func (c ContentType) check() error {
	if c < ContentTypeApplication || c > ContentTypeCommit {
		return fmt.Errorf("%w: %d", ErrContentType, c)
	}
	return nil
}

// Sender identifies the author of a framed message. Index is the leaf index of a member or
// the position in the external_senders extension of an external sender; new members have
// none.
type Sender struct {
	Type  SenderType
	Index uint32
}

// Marshal writes the sender.
func (s Sender) Marshal(e *Encoder) {
	e.U8(uint8(s.Type))
	if s.Type == SenderMember || s.Type == SenderExternal {
		e.U32(s.Index)
	}
}

// Unmarshal reads a sender.
func (s *Sender) Unmarshal(d *Decoder) {
	s.Type = SenderType(d.U8())
	switch s.Type {
	case SenderMember, SenderExternal:
		s.Index = d.U32()
	case SenderNewMemberProposal, SenderNewMemberCommit:
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrSenderType, s.Type))
	}
}

// mayCarry enforces which senders may send which content (RFC 9420 §6, §12.1.8, §12.4.3.2).
func (s Sender) mayCarry(c ContentType) error {
	switch {
	case s.Type == SenderExternal && c != ContentTypeProposal,
		s.Type == SenderNewMemberProposal && c != ContentTypeProposal,
		s.Type == SenderNewMemberCommit && c != ContentTypeCommit:
		return fmt.Errorf("%w: sender %d, content %d", ErrSenderContent, s.Type, c)
	}
	return nil
}

// FramedContent is the authenticated body of a handshake or application message (RFC 9420
// §6). Exactly one of ApplicationData, Proposal and Commit is meaningful, chosen by
// ContentType.
type FramedContent struct {
	GroupID           []byte
	Epoch             uint64
	Sender            Sender
	AuthenticatedData []byte
	ContentType       ContentType
	ApplicationData   []byte
	Proposal          Proposal
	Commit            *Commit
}

// Marshal writes the framed content.
func (c *FramedContent) Marshal(e *Encoder) {
	e.Opaque(c.GroupID)
	e.U64(c.Epoch)
	c.Sender.Marshal(e)
	e.Opaque(c.AuthenticatedData)
	e.U8(uint8(c.ContentType))
	marshalContentBody(e, c.ContentType, c.ApplicationData, c.Proposal, c.Commit)
}

// Unmarshal reads framed content.
func (c *FramedContent) Unmarshal(d *Decoder) {
	c.GroupID = d.Opaque()
	c.Epoch = d.U64()
	c.Sender.Unmarshal(d)
	c.AuthenticatedData = d.Opaque()
	c.ContentType = ContentType(d.U8())
	if d.Err() != nil {
		return
	}
	if err := c.ContentType.check(); err != nil {
		d.Fail(err)
		return
	}
	if err := c.Sender.mayCarry(c.ContentType); err != nil {
		d.Fail(err)
		return
	}
	c.ApplicationData, c.Proposal, c.Commit = unmarshalContentBody(d, c.ContentType)
}

// marshalContentBody writes the content-type-selected body shared by FramedContent and the
// plaintext of a PrivateMessage.
func marshalContentBody(e *Encoder, t ContentType, app []byte, p Proposal, c *Commit) {
	switch t {
	case ContentTypeApplication:
		e.Opaque(app)
	case ContentTypeProposal:
		MarshalProposal(e, p)
	case ContentTypeCommit:
		c.Marshal(e)
	}
}

// unmarshalContentBody reads the body selected by a content type that has been checked.
func unmarshalContentBody(d *Decoder, t ContentType) (app []byte, p Proposal, c *Commit) {
	switch t {
	case ContentTypeApplication:
		app = d.Opaque()
	case ContentTypeProposal:
		p = UnmarshalProposal(d)
	case ContentTypeCommit:
		c = new(Commit)
		c.Unmarshal(d)
	}
	return app, p, c
}

// FramedContentAuthData authenticates framed content: the sender's signature, plus for a
// commit the confirmation tag that proves the sender reached the new epoch (RFC 9420 §6.1).
type FramedContentAuthData struct {
	Signature       []byte
	ConfirmationTag []byte
}

// Marshal writes the auth data for content of type t.
func (a *FramedContentAuthData) Marshal(e *Encoder, t ContentType) {
	e.Opaque(a.Signature)
	if t == ContentTypeCommit {
		e.Opaque(a.ConfirmationTag)
	}
}

// Unmarshal reads the auth data for content of type t.
func (a *FramedContentAuthData) Unmarshal(d *Decoder, t ContentType) {
	a.Signature = d.Opaque()
	if t == ContentTypeCommit {
		a.ConfirmationTag = d.Opaque()
	}
}

// AuthenticatedContent is framed content with its auth data and the wire format it travels
// in; its encoding is what the transcript hashes cover (RFC 9420 §6.1, §8.2).
type AuthenticatedContent struct {
	WireFormat WireFormat
	Content    FramedContent
	Auth       FramedContentAuthData
}

// Marshal writes the authenticated content.
func (a *AuthenticatedContent) Marshal(e *Encoder) {
	e.U16(uint16(a.WireFormat))
	a.Content.Marshal(e)
	a.Auth.Marshal(e, a.Content.ContentType)
}

// Unmarshal reads authenticated content; only the two framed wire formats are valid.
func (a *AuthenticatedContent) Unmarshal(d *Decoder) {
	a.WireFormat = WireFormat(d.U16())
	if d.Err() == nil && a.WireFormat != WireFormatPublicMessage && a.WireFormat != WireFormatPrivateMessage {
		d.Fail(fmt.Errorf("%w: %d in authenticated content", ErrWireFormat, a.WireFormat))
		return
	}
	a.Content.Unmarshal(d)
	a.Auth.Unmarshal(d, a.Content.ContentType)
}

// Encode returns the encoding of the authenticated content.
func (a *AuthenticatedContent) Encode() []byte { return encode(a, 256) }

// DecodeAuthenticatedContent parses authenticated content.
func DecodeAuthenticatedContent(b []byte) (AuthenticatedContent, error) {
	return decode[AuthenticatedContent]("authenticated content", b)
}

// PublicMessage is a handshake message sent in the clear, signed by its sender and, for a
// member, tagged with the group's membership key (RFC 9420 §6.2).
type PublicMessage struct {
	Content       FramedContent
	Auth          FramedContentAuthData
	MembershipTag []byte
}

// Marshal writes the public message.
func (m *PublicMessage) Marshal(e *Encoder) {
	m.Content.Marshal(e)
	m.Auth.Marshal(e, m.Content.ContentType)
	if m.Content.Sender.Type == SenderMember {
		e.Opaque(m.MembershipTag)
	}
}

// Unmarshal reads a public message.
func (m *PublicMessage) Unmarshal(d *Decoder) {
	m.Content.Unmarshal(d)
	m.Auth.Unmarshal(d, m.Content.ContentType)
	if m.Content.Sender.Type == SenderMember {
		m.MembershipTag = d.Opaque()
	}
}

// PrivateMessage is an encrypted message (RFC 9420 §6.3). Only the group, epoch and content
// type are visible; the sender and content are inside the ciphertexts.
type PrivateMessage struct {
	GroupID             []byte
	Epoch               uint64
	ContentType         ContentType
	AuthenticatedData   []byte
	EncryptedSenderData []byte
	Ciphertext          []byte
}

// Marshal writes the private message.
func (m *PrivateMessage) Marshal(e *Encoder) {
	e.Opaque(m.GroupID)
	e.U64(m.Epoch)
	e.U8(uint8(m.ContentType))
	e.Opaque(m.AuthenticatedData)
	e.Opaque(m.EncryptedSenderData)
	e.Opaque(m.Ciphertext)
}

// Unmarshal reads a private message.
func (m *PrivateMessage) Unmarshal(d *Decoder) {
	m.GroupID = d.Opaque()
	m.Epoch = d.U64()
	m.ContentType = ContentType(d.U8())
	if d.Err() == nil {
		if err := m.ContentType.check(); err != nil {
			d.Fail(err)
			return
		}
	}
	m.AuthenticatedData = d.Opaque()
	m.EncryptedSenderData = d.Opaque()
	m.Ciphertext = d.Opaque()
}

// MLSMessage is the envelope of everything MLS sends (RFC 9420 §6): a version, a wire format
// and the one structure that the wire format selects; the other pointers are nil.
type MLSMessage struct {
	WireFormat     WireFormat
	PublicMessage  *PublicMessage
	PrivateMessage *PrivateMessage
	Welcome        *Welcome
	GroupInfo      *GroupInfo
	KeyPackage     *KeyPackage
}

// Marshal writes the message with version mls10.
func (m *MLSMessage) Marshal(e *Encoder) {
	e.U16(uint16(ProtocolVersionMLS10))
	e.U16(uint16(m.WireFormat))
	switch m.WireFormat {
	case WireFormatPublicMessage:
		m.PublicMessage.Marshal(e)
	case WireFormatPrivateMessage:
		m.PrivateMessage.Marshal(e)
	case WireFormatWelcome:
		m.Welcome.Marshal(e)
	case WireFormatGroupInfo:
		m.GroupInfo.Marshal(e)
	case WireFormatKeyPackage:
		m.KeyPackage.Marshal(e)
	}
}

// Unmarshal reads a message, rejecting versions other than mls10 and unknown wire formats.
func (m *MLSMessage) Unmarshal(d *Decoder) {
	*m = MLSMessage{}
	version := ProtocolVersion(d.U16())
	m.WireFormat = WireFormat(d.U16())
	if d.Err() != nil {
		return
	}
	if version != ProtocolVersionMLS10 {
		d.Fail(fmt.Errorf("%w: %d", ErrUnsupportedVersion, version))
		return
	}
	switch m.WireFormat {
	case WireFormatPublicMessage:
		m.PublicMessage = new(PublicMessage)
		m.PublicMessage.Unmarshal(d)
	case WireFormatPrivateMessage:
		m.PrivateMessage = new(PrivateMessage)
		m.PrivateMessage.Unmarshal(d)
	case WireFormatWelcome:
		m.Welcome = new(Welcome)
		m.Welcome.Unmarshal(d)
	case WireFormatGroupInfo:
		m.GroupInfo = new(GroupInfo)
		m.GroupInfo.Unmarshal(d)
	case WireFormatKeyPackage:
		m.KeyPackage = new(KeyPackage)
		m.KeyPackage.Unmarshal(d)
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrWireFormat, m.WireFormat))
	}
}

// Encode returns the wire form of the message.
func (m *MLSMessage) Encode() []byte { return encode(m, 512) }

// DecodeMLSMessage parses a complete MLSMessage.
func DecodeMLSMessage(b []byte) (MLSMessage, error) { return decode[MLSMessage]("MLSMessage", b) }
