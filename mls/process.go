package mls

import (
	"fmt"
	"slices"
)

// ProcessedMessage is what Process found in a message. Exactly one of ApplicationData (for
// ContentTypeApplication), Proposal and Commit is meaningful, chosen by ContentType.
type ProcessedMessage struct {
	// Epoch is the epoch the message was sent in (a past one for a late application message).
	Epoch uint64
	// Sender is who sent it; for a member, Sender.Index is its leaf.
	Sender            Sender
	AuthenticatedData []byte
	ContentType       ContentType
	ApplicationData   []byte
	// Proposal is a received proposal, now pending in the epoch under ProposalRef.
	Proposal    Proposal
	ProposalRef []byte
	// Commit is a validated commit to inspect and Merge.
	Commit *StagedCommit
}

// Process authenticates and decrypts a message of the group. An application message is
// returned decrypted, its key consumed so that a replay fails; a proposal is kept by
// reference for a later commit; a commit is validated and returned staged, for the caller
// to Merge. Every failure wraps a named error of this package.
//
// A member's own messages cannot be processed: its PrivateMessages fail with
// ErrGenerationConsumed (the sender already used the key) and its commits with ErrOwnCommit.
// The caller recognizes its own messages by their bytes and merges its own staged commit.
func (g *Group) Process(m *MLSMessage) (*ProcessedMessage, error) {
	out, err := g.process(m)
	if err != nil {
		return nil, fmt.Errorf("mls: process message in epoch %d: %w", g.cur.gc.Epoch, err)
	}
	return out, nil
}

func (g *Group) process(m *MLSMessage) (*ProcessedMessage, error) {
	ac, err := g.open(m)
	if err != nil {
		return nil, err
	}
	c := &ac.Content
	out := &ProcessedMessage{Epoch: c.Epoch, Sender: c.Sender, AuthenticatedData: c.AuthenticatedData, ContentType: c.ContentType}
	switch c.ContentType {
	case ContentTypeApplication:
		out.ApplicationData = c.ApplicationData
	case ContentTypeProposal:
		if err := checkProposalSender(proposalEntry{proposal: c.Proposal, sender: c.Sender}); err != nil {
			return nil, err
		}
		out.Proposal = c.Proposal
		out.ProposalRef = proposalRef(g.cur.gc.CipherSuite, ac)
		if g.pendingProposal(out.ProposalRef) == nil {
			g.pending = append(g.pending, pendingProposal{ref: out.ProposalRef, sender: c.Sender, proposal: c.Proposal})
		}
	case ContentTypeCommit:
		if out.Commit, err = g.stageCommit(ac); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Encrypt frames plaintext as an application message of the current epoch: a signed
// PrivateMessage under the next key of this member's application ratchet, with a fresh reuse
// guard and the configured padding.
func (g *Group) Encrypt(plaintext, authenticatedData []byte) (*MLSMessage, error) {
	if err := g.Active(); err != nil {
		return nil, fmt.Errorf("mls: encrypt: %w", err)
	}
	ac, err := g.sign(WireFormatPrivateMessage, FramedContent{
		AuthenticatedData: authenticatedData,
		ContentType:       ContentTypeApplication,
		ApplicationData:   plaintext,
	})
	if err != nil {
		return nil, fmt.Errorf("mls: encrypt: %w", err)
	}
	msg, err := g.wrap(ac)
	if err != nil {
		return nil, fmt.Errorf("mls: encrypt: %w", err)
	}
	return msg, nil
}

// Propose sends a proposal by reference and keeps it pending, so that this member's own
// next commit includes it too. Update proposals are made by ProposeSelfUpdate, which keeps
// the new leaf's private key.
func (g *Group) Propose(p Proposal) (msg *MLSMessage, ref []byte, err error) {
	if _, ok := p.(UpdateProposal); ok {
		return nil, nil, fmt.Errorf("mls: propose: %w: use ProposeSelfUpdate", ErrCommitOptions)
	}
	return g.propose(p)
}

// ProposeSelfUpdate proposes to replace this member's leaf with one holding a fresh
// encryption key, for another member to commit.
func (g *Group) ProposeSelfUpdate() (msg *MLSMessage, ref []byte, err error) {
	cur := g.cur
	cs := cur.gc.CipherSuite
	priv, pub, err := randomHPKEKeyPair(cs, g.cfg.rand())
	if err != nil {
		return nil, nil, fmt.Errorf("mls: propose update: %w", err)
	}
	leaf := *cur.tree.Leaf(cur.priv.Leaf)
	leaf.EncryptionKey, leaf.Source, leaf.Lifetime, leaf.ParentHash = pub, LeafNodeSourceUpdate, Lifetime{}, nil
	if err := leaf.Sign(cs, g.signPriv, cur.gc.GroupID, uint32(cur.priv.Leaf)); err != nil {
		return nil, nil, fmt.Errorf("mls: propose update: %w", err)
	}
	msg, ref, err = g.propose(UpdateProposal{LeafNode: leaf})
	if err != nil {
		return nil, nil, err
	}
	if g.ownUpdates == nil {
		g.ownUpdates = map[string][]byte{}
	}
	g.ownUpdates[string(ref)] = priv
	return msg, ref, nil
}

func (g *Group) propose(p Proposal) (*MLSMessage, []byte, error) {
	if err := g.Active(); err != nil {
		return nil, nil, fmt.Errorf("mls: propose: %w", err)
	}
	ac, err := g.sign(g.handshakeWireFormat(), FramedContent{ContentType: ContentTypeProposal, Proposal: p})
	if err != nil {
		return nil, nil, fmt.Errorf("mls: propose: %w", err)
	}
	ref := proposalRef(g.cur.gc.CipherSuite, ac)
	msg, err := g.wrap(ac)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: propose: %w", err)
	}
	g.pending = append(g.pending, pendingProposal{ref: ref, sender: ac.Content.Sender, proposal: p})
	return msg, slices.Clone(ref), nil
}

// PendingProposals returns the references of the proposals pending in the epoch, in order.
func (g *Group) PendingProposals() [][]byte {
	out := make([][]byte, len(g.pending))
	for k, p := range g.pending {
		out[k] = slices.Clone(p.ref)
	}
	return out
}
