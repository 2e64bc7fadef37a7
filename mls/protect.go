package mls

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
)

// Message protection (RFC 9420 §6.1-§6.3). Every framed message is signed by its sender over
// FramedContentTBS. A PublicMessage from a member also carries a membership tag that only
// members can compute; a PrivateMessage encrypts the content with a key from the sender's
// ratchet in the secret tree and hides who sent it under the sender data key.

// Message protection errors.
var (
	// ErrMembershipTag means a member's PublicMessage has a missing or wrong membership tag.
	ErrMembershipTag = errors.New("mls: invalid membership tag")
	// ErrPublicApplication means application data was sent as a PublicMessage, which
	// RFC 9420 §6.2 forbids: it would be readable by the delivery service.
	ErrPublicApplication = errors.New("mls: application data in a PublicMessage")
	// ErrPrivateSender means a PrivateMessage would be sent by a non-member; only members
	// hold the secret tree.
	ErrPrivateSender = errors.New("mls: PrivateMessage sender is not a member")
	// ErrMessageWireFormat means content is framed for the other wire format.
	ErrMessageWireFormat = errors.New("mls: content framed for another wire format")
	// ErrPadding means the padding of a decrypted PrivateMessage is not all zeros.
	ErrPadding = errors.New("mls: non-zero padding in PrivateMessage")
	// ErrPrivateContent means a PrivateMessage's content did not decrypt.
	ErrPrivateContent = errors.New("mls: PrivateMessage content did not decrypt")
)

// marshalFramedContentTBS writes FramedContentTBS: what the sender signs. Members and new
// members committing bind the signature to the group context they are in.
func marshalFramedContentTBS(e *Encoder, wf WireFormat, c *FramedContent, gc *GroupContext) {
	e.U16(uint16(ProtocolVersionMLS10))
	e.U16(uint16(wf))
	c.Marshal(e)
	if c.Sender.Type == SenderMember || c.Sender.Type == SenderNewMemberCommit {
		gc.Marshal(e)
	}
}

func framedContentTBS(wf WireFormat, c *FramedContent, gc *GroupContext) []byte {
	e := NewEncoder(512)
	marshalFramedContentTBS(e, wf, c, gc)
	return e.Bytes()
}

// SignAuthenticatedContent sets ac's signature with the sender's Ed25519 seed, in the group
// context gc. A commit's confirmation tag is not covered by the signature and can be set after.
func (cs CipherSuite) SignAuthenticatedContent(signPriv []byte, ac *AuthenticatedContent, gc *GroupContext) error {
	sig, err := cs.SignWithLabel(signPriv, "FramedContentTBS", framedContentTBS(ac.WireFormat, &ac.Content, gc))
	if err != nil {
		return err
	}
	ac.Auth.Signature = sig
	return nil
}

// VerifyAuthenticatedContent checks ac's signature under the sender's public key in gc.
func (cs CipherSuite) VerifyAuthenticatedContent(signPub []byte, ac *AuthenticatedContent, gc *GroupContext) error {
	return cs.VerifyWithLabel(signPub, "FramedContentTBS", framedContentTBS(ac.WireFormat, &ac.Content, gc), ac.Auth.Signature)
}

// membershipTag is the MAC of AuthenticatedContentTBM: the signed content and its auth data.
func (cs CipherSuite) membershipTag(membershipKey []byte, c *FramedContent, auth *FramedContentAuthData, gc *GroupContext) []byte {
	e := NewEncoder(640)
	marshalFramedContentTBS(e, WireFormatPublicMessage, c, gc)
	auth.Marshal(e, c.ContentType)
	return cs.MAC(membershipKey, e.Bytes())
}

// NewPublicMessage frames signed content as a PublicMessage, adding the membership tag when
// the sender is a member.
func (cs CipherSuite) NewPublicMessage(ac *AuthenticatedContent, gc *GroupContext, membershipKey []byte) (*PublicMessage, error) {
	if ac.WireFormat != WireFormatPublicMessage {
		return nil, fmt.Errorf("%w: %d, want PublicMessage", ErrMessageWireFormat, ac.WireFormat)
	}
	if ac.Content.ContentType == ContentTypeApplication {
		return nil, ErrPublicApplication
	}
	m := &PublicMessage{Content: ac.Content, Auth: ac.Auth}
	if ac.Content.Sender.Type == SenderMember {
		m.MembershipTag = cs.membershipTag(membershipKey, &m.Content, &m.Auth, gc)
	}
	return m, nil
}

// OpenPublicMessage checks a PublicMessage's membership tag (for member senders) and returns
// its content. The signature is left to the caller, who finds the sender's key in the tree.
func (cs CipherSuite) OpenPublicMessage(m *PublicMessage, gc *GroupContext, membershipKey []byte) (*AuthenticatedContent, error) {
	if m.Content.ContentType == ContentTypeApplication {
		return nil, ErrPublicApplication
	}
	if m.Content.Sender.Type == SenderMember &&
		!hmac.Equal(cs.membershipTag(membershipKey, &m.Content, &m.Auth, gc), m.MembershipTag) {
		return nil, ErrMembershipTag
	}
	return &AuthenticatedContent{WireFormat: WireFormatPublicMessage, Content: m.Content, Auth: m.Auth}, nil
}

// ratchetFor picks the ratchet that keys a content type: application messages have their own.
func ratchetFor(t ContentType) RatchetType {
	if t == ContentTypeApplication {
		return RatchetApplication
	}
	return RatchetHandshake
}

// privateContentAAD is PrivateContentAAD: the visible header fields the content is bound to.
func privateContentAAD(m *PrivateMessage) []byte {
	e := NewEncoder(len(m.GroupID) + len(m.AuthenticatedData) + 24)
	e.Opaque(m.GroupID)
	e.U64(m.Epoch)
	e.U8(uint8(m.ContentType))
	e.Opaque(m.AuthenticatedData)
	return e.Bytes()
}

// applyReuseGuard XORs the reuse guard into the start of the content nonce, so that a sender
// that lost its ratchet state and reuses a generation still does not reuse a nonce.
func applyReuseGuard(nonce []byte, guard [4]byte) {
	for i, g := range guard {
		nonce[i] ^= g
	}
}

// EncryptPrivateMessage encrypts signed content from a member as a PrivateMessage, with the
// next key of the sender's ratchet in keys and the epoch's sender data secret. The content is
// zero-padded to a multiple of padBlock bytes (no padding when padBlock < 2) so that lengths
// leak less. The reuse guard is read from rand.
func EncryptPrivateMessage(rand io.Reader, keys *SecretTree, senderDataSecret []byte, ac *AuthenticatedContent, padBlock int) (*PrivateMessage, error) {
	c := &ac.Content
	if ac.WireFormat != WireFormatPrivateMessage {
		return nil, fmt.Errorf("%w: %d, want PrivateMessage", ErrMessageWireFormat, ac.WireFormat)
	}
	if c.Sender.Type != SenderMember {
		return nil, ErrPrivateSender
	}
	if err := c.ContentType.check(); err != nil {
		return nil, err
	}
	sd := senderData{leaf: LeafIndex(c.Sender.Index)}
	if _, err := io.ReadFull(rand, sd.reuseGuard[:]); err != nil {
		return nil, fmt.Errorf("mls: reuse guard: %w", err)
	}
	gen, key, nonce, err := keys.NextKey(sd.leaf, ratchetFor(c.ContentType))
	if err != nil {
		return nil, fmt.Errorf("mls: encrypt PrivateMessage: %w", err)
	}
	defer erase(key)
	sd.generation = gen
	applyReuseGuard(nonce, sd.reuseGuard)

	e := NewEncoder(256)
	marshalContentBody(e, c.ContentType, c.ApplicationData, c.Proposal, c.Commit)
	ac.Auth.Marshal(e, c.ContentType)
	if padBlock > 1 {
		e.Raw(make([]byte, (padBlock-e.Len()%padBlock)%padBlock))
	}
	m := &PrivateMessage{GroupID: c.GroupID, Epoch: c.Epoch, ContentType: c.ContentType, AuthenticatedData: c.AuthenticatedData}
	cs := keys.suite
	if m.Ciphertext, err = cs.Seal(key, nonce, privateContentAAD(m), e.Bytes()); err != nil {
		return nil, fmt.Errorf("mls: encrypt PrivateMessage: %w", err)
	}
	if m.EncryptedSenderData, err = cs.sealSenderData(senderDataSecret, m, sd); err != nil {
		return nil, fmt.Errorf("mls: encrypt PrivateMessage: %w", err)
	}
	return m, nil
}

// DecryptPrivateMessage opens a PrivateMessage of the epoch whose secret tree and sender data
// secret are given, consuming the key it used, and returns its content. The key is consumed
// even when the content then fails to open: reaching it takes the sender data secret, which
// only members hold. The caller checks that the sender's leaf is occupied and verifies the
// signature with the key found there.
func DecryptPrivateMessage(keys *SecretTree, senderDataSecret []byte, m *PrivateMessage) (*AuthenticatedContent, error) {
	if err := m.ContentType.check(); err != nil {
		return nil, err
	}
	cs := keys.suite
	sd, err := cs.openSenderData(senderDataSecret, m)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt PrivateMessage: %w", err)
	}
	key, nonce, err := keys.Key(sd.leaf, ratchetFor(m.ContentType), sd.generation)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt PrivateMessage: %w", err)
	}
	defer erase(key)
	applyReuseGuard(nonce, sd.reuseGuard)
	pt, err := cs.Open(key, nonce, privateContentAAD(m), m.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt PrivateMessage from leaf %d: %w", sd.leaf, ErrPrivateContent)
	}

	ac := &AuthenticatedContent{
		WireFormat: WireFormatPrivateMessage,
		Content: FramedContent{
			GroupID:           m.GroupID,
			Epoch:             m.Epoch,
			Sender:            Sender{Type: SenderMember, Index: uint32(sd.leaf)},
			AuthenticatedData: m.AuthenticatedData,
			ContentType:       m.ContentType,
		},
	}
	if err := ac.unmarshalPrivateContent(pt); err != nil {
		return nil, fmt.Errorf("mls: decode PrivateMessage content from leaf %d: %w", sd.leaf, err)
	}
	return ac, nil
}

// unmarshalPrivateContent parses a decrypted PrivateMessageContent into ac, whose content
// type is set: the body, the auth data, then padding that must be all zeros.
func (ac *AuthenticatedContent) unmarshalPrivateContent(pt []byte) error {
	d := NewDecoder(pt)
	c := &ac.Content
	c.ApplicationData, c.Proposal, c.Commit = unmarshalContentBody(d, c.ContentType)
	ac.Auth.Unmarshal(d, c.ContentType)
	for _, b := range d.Raw(d.Remaining()) {
		if b != 0 {
			return ErrPadding
		}
	}
	return d.Finish()
}
