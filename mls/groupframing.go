package mls

import "fmt"

// Framing of the group's own messages: signing content in the current epoch, wrapping it
// in the wire format the policy chooses, and the reverse for received messages, including
// application messages of retained past epochs.

// sign frames content from this member for the current epoch and signs it.
func (g *Group) sign(wf WireFormat, content FramedContent) (*AuthenticatedContent, error) {
	content.GroupID = g.cur.gc.GroupID
	content.Epoch = g.cur.gc.Epoch
	content.Sender = Sender{Type: SenderMember, Index: uint32(g.cur.priv.Leaf)}
	ac := &AuthenticatedContent{WireFormat: wf, Content: content}
	if err := g.cur.gc.CipherSuite.SignAuthenticatedContent(g.signPriv, ac, &g.cur.gc); err != nil {
		return nil, err
	}
	return ac, nil
}

// handshakeWireFormat is the wire format of handshake messages under the policy.
func (g *Group) handshakeWireFormat() WireFormat {
	if g.cfg.WireFormat.sendsPublic() {
		return WireFormatPublicMessage
	}
	return WireFormatPrivateMessage
}

// wrap turns signed content into an MLSMessage with the current epoch's keys.
func (g *Group) wrap(ac *AuthenticatedContent) (*MLSMessage, error) {
	cs := g.cur.gc.CipherSuite
	if ac.WireFormat == WireFormatPublicMessage {
		pm, err := cs.NewPublicMessage(ac, &g.cur.gc, g.cur.secrets.Membership)
		if err != nil {
			return nil, err
		}
		return &MLSMessage{WireFormat: WireFormatPublicMessage, PublicMessage: pm}, nil
	}
	pm, err := EncryptPrivateMessage(g.cfg.rand(), g.cur.keys, g.cur.secrets.SenderData, ac, g.cfg.PaddingBlock)
	if err != nil {
		return nil, err
	}
	return &MLSMessage{WireFormat: WireFormatPrivateMessage, PrivateMessage: pm}, nil
}

// open authenticates a received public or private message and returns its content with the
// epoch it belongs to. Handshake messages must be of the current epoch; application
// messages may come from a retained past epoch.
func (g *Group) open(m *MLSMessage) (*AuthenticatedContent, error) {
	switch m.WireFormat {
	case WireFormatPublicMessage:
		return g.openPublic(m.PublicMessage)
	case WireFormatPrivateMessage:
		return g.openPrivate(m.PrivateMessage)
	}
	return nil, fmt.Errorf("%w: wire format %d", ErrUnexpectedWireFormat, m.WireFormat)
}

func (g *Group) checkHeader(groupID []byte, epoch uint64) error {
	if string(groupID) != string(g.cur.gc.GroupID) {
		return ErrWrongGroup
	}
	if epoch != g.cur.gc.Epoch {
		return fmt.Errorf("%w: epoch %d, group at %d", ErrWrongEpoch, epoch, g.cur.gc.Epoch)
	}
	return nil
}

func (g *Group) openPublic(pm *PublicMessage) (*AuthenticatedContent, error) {
	if !g.cfg.WireFormat.accepts(WireFormatPublicMessage) {
		return nil, fmt.Errorf("%w: PublicMessage", ErrWireFormatPolicy)
	}
	if err := g.checkHeader(pm.Content.GroupID, pm.Content.Epoch); err != nil {
		return nil, err
	}
	cs := g.cur.gc.CipherSuite
	ac, err := cs.OpenPublicMessage(pm, &g.cur.gc, g.cur.secrets.Membership)
	if err != nil {
		return nil, err
	}
	key, err := g.senderSignatureKey(ac)
	if err != nil {
		return nil, err
	}
	if err := cs.VerifyAuthenticatedContent(key, ac, &g.cur.gc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContentSignature, err)
	}
	return ac, nil
}

// senderSignatureKey finds the key that must have signed ac in the current epoch.
func (g *Group) senderSignatureKey(ac *AuthenticatedContent) ([]byte, error) {
	s := ac.Content.Sender
	switch s.Type {
	case SenderMember:
		leaf := g.cur.tree.Leaf(LeafIndex(s.Index))
		if leaf == nil {
			return nil, fmt.Errorf("%w: leaf %d", ErrSenderNotMember, s.Index)
		}
		return leaf.SignatureKey, nil
	case SenderExternal:
		data, ok := g.cur.gc.Extensions.Find(ExtensionExternalSenders)
		if !ok {
			return nil, fmt.Errorf("%w: %d (no external_senders)", ErrExternalSender, s.Index)
		}
		senders, err := DecodeExternalSenders(data)
		if err != nil {
			return nil, err
		}
		if int64(s.Index) >= int64(len(senders)) {
			return nil, fmt.Errorf("%w: %d", ErrExternalSender, s.Index)
		}
		return senders[s.Index].SignatureKey, nil
	case SenderNewMemberProposal:
		add, ok := ac.Content.Proposal.(AddProposal)
		if !ok {
			return nil, fmt.Errorf("%w: new member sent proposal type %d", ErrProposalSender, ac.Content.Proposal.Type())
		}
		return add.KeyPackage.LeafNode.SignatureKey, nil
	}
	// A new member's commit is signed with the key of the leaf its path brings in.
	if ac.Content.Commit.Path == nil {
		return nil, fmt.Errorf("%w: external commit", ErrPathRequired)
	}
	return ac.Content.Commit.Path.LeafNode.SignatureKey, nil
}

func (g *Group) openPrivate(pm *PrivateMessage) (*AuthenticatedContent, error) {
	if string(pm.GroupID) != string(g.cur.gc.GroupID) {
		return nil, ErrWrongGroup
	}
	if pm.ContentType != ContentTypeApplication {
		if !g.cfg.WireFormat.accepts(WireFormatPrivateMessage) {
			return nil, fmt.Errorf("%w: PrivateMessage", ErrWireFormatPolicy)
		}
		if err := g.checkHeader(pm.GroupID, pm.Epoch); err != nil {
			return nil, err
		}
	}
	ep, err := g.epochKeys(pm.Epoch)
	if err != nil {
		return nil, err
	}
	ac, err := DecryptPrivateMessage(ep.keys, ep.senderData, pm)
	if err != nil {
		return nil, err
	}
	leaf := LeafIndex(ac.Content.Sender.Index)
	key := ep.signer(leaf)
	if key == nil {
		return nil, fmt.Errorf("%w: leaf %d", ErrSenderNotMember, leaf)
	}
	if err := ep.gc.CipherSuite.VerifyAuthenticatedContent(key, ac, ep.gc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrContentSignature, err)
	}
	return ac, nil
}
