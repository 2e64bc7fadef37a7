package mls

import (
	"fmt"
)

// Creating a commit (RFC 9420 §12.4.1). The committer applies its proposals to a copy of the
// tree exactly as receivers will, refreshes its path when needed or asked, runs the key
// schedule, and returns the commit together with the Welcome for new members and the new
// epoch's GroupInfo. The new epoch is installed only when the caller merges it, after the
// delivery service has accepted the commit.

// CommitOptions says what a commit carries besides the pending proposals.
type CommitOptions struct {
	// Adds are key packages to add, by value.
	Adds []KeyPackage
	// Removes are leaves to remove, by value.
	Removes []LeafIndex
	// GroupContextExtensions, when set, replaces the group context extensions.
	GroupContextExtensions *Extensions
	// PSKs are pre-shared keys to inject (see ExternalPSKID and ResumptionPSKID).
	PSKs []PreSharedKeyID
	// Proposals are further proposals by value (ReInit, or types outside RFC 9420).
	Proposals []Proposal
	// SkipPending leaves out the pending proposals of the epoch; by default every one is
	// committed by reference, except this member's own updates and removal, which a
	// committer may not commit.
	SkipPending bool
	// ForcePath adds an UpdatePath even when the proposals do not require one.
	ForcePath bool
	// RatchetTreeOutOfBand leaves the ratchet_tree extension out of the GroupInfo; the
	// caller then sends the tree to new members by other means.
	RatchetTreeOutOfBand bool
	// AuthenticatedData is carried, authenticated but not encrypted, with the commit.
	AuthenticatedData []byte
	// AddsSigned says that the caller has verified every key package of Adds with
	// KeyPackage.Verify, with a lifetime limit no longer than the group's
	// MaxKeyPackageLifetime, and not changed them since. Commit then checks them again in all
	// but their two signatures, which in a large add are most of the committer's work.
	AddsSigned bool
}

// CommitResult is everything a commit produces, returned together so that none is lost.
type CommitResult struct {
	// Commit is the message to send to the group.
	Commit *MLSMessage
	// Welcome is for the added members; nil when there are none.
	Welcome *MLSMessage
	// GroupInfo describes the new epoch, signed by the committer (with the ratchet tree
	// unless RatchetTreeOutOfBand).
	GroupInfo *MLSMessage
	// Staged is the new epoch, to Merge once the commit is accepted.
	Staged *StagedCommit
}

// Commit builds a commit of the pending proposals and those of opts. The Group is unchanged
// apart from the handshake key a PrivateMessage consumes.
func (g *Group) Commit(opts CommitOptions) (*CommitResult, error) {
	out, err := g.commit(&opts)
	if err != nil {
		return nil, fmt.Errorf("mls: commit in epoch %d: %w", g.cur.gc.Epoch, err)
	}
	return out, nil
}

func (g *Group) commit(opts *CommitOptions) (*CommitResult, error) {
	if err := g.Active(); err != nil {
		return nil, err
	}
	cur := g.cur
	self := cur.priv.Leaf
	me := Sender{Type: SenderMember, Index: uint32(self)}
	list, entries, err := g.commitProposals(opts, me)
	if err != nil {
		return nil, err
	}
	res, err := g.applyProposals(me, entries)
	if err != nil {
		return nil, err
	}

	gc := g.provisionalContext(res)
	commit := &Commit{Proposals: list}
	var priv *PrivateTree
	var created *CreatedPath
	if res.pathRequired || opts.ForcePath {
		created, err = res.tree.CreateUpdatePath(self, &gc, UpdatePathOptions{
			Leaf:                *cur.tree.Leaf(self),
			SignaturePrivateKey: g.signPriv,
			Exclude:             res.addedLeaves(),
			Rand:                g.cfg.rand(),
		})
		if err != nil {
			return nil, err
		}
		commit.Path, priv = &created.Path, created.Private
	} else {
		gc.TreeHash = res.tree.Hash()
		priv = cur.priv.Clone()
		priv.Prune(res.tree)
	}
	ac, err := g.sign(g.handshakeWireFormat(), FramedContent{
		AuthenticatedData: opts.AuthenticatedData,
		ContentType:       ContentTypeCommit,
		Commit:            commit,
	})
	if err != nil {
		return nil, err
	}
	var commitSecret []byte
	if created != nil {
		commitSecret = created.Secrets.CommitSecret
	}
	next, joiner, pskSecret, err := g.nextEpoch(gc, res, priv, cur.secrets.Init, commitSecret, ac)
	if err != nil {
		return nil, err
	}
	ac.Auth.ConfirmationTag = next.confirmationTag
	msg, err := g.wrap(ac)
	if err != nil {
		return nil, err
	}
	gi, err := next.groupInfo(g.signPriv, GroupInfoOptions{WithoutRatchetTree: opts.RatchetTreeOutOfBand})
	if err != nil {
		return nil, err
	}
	out := &CommitResult{
		Commit:    msg,
		GroupInfo: &MLSMessage{WireFormat: WireFormatGroupInfo, GroupInfo: gi},
		Staged:    newStagedCommit(g, self, entries, res),
	}
	out.Staged.AuthenticatedData = opts.AuthenticatedData
	out.Staged.HasPath = commit.Path != nil
	out.Staged.next = next
	if len(res.adds) > 0 {
		if out.Welcome, err = newCommitWelcome(gi, res, created, joiner, pskSecret); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// commitProposals lists a commit's proposals: the committable pending ones by reference,
// then those of opts by value.
func (g *Group) commitProposals(opts *CommitOptions, me Sender) ([]ProposalOrRef, []proposalEntry, error) {
	var list []ProposalOrRef
	var entries []proposalEntry
	if !opts.SkipPending {
		for _, p := range g.committablePending(LeafIndex(me.Index), opts.Removes) {
			list = append(list, ProposalOrRef{Reference: p.ref})
			entries = append(entries, proposalEntry{proposal: p.proposal, sender: p.sender, ref: p.ref})
		}
	}
	byValue := make([]Proposal, 0, len(opts.Adds)+len(opts.Removes)+len(opts.PSKs)+len(opts.Proposals)+1)
	if opts.GroupContextExtensions != nil {
		byValue = append(byValue, GroupContextExtensionsProposal{Extensions: *opts.GroupContextExtensions})
	}
	for _, r := range opts.Removes {
		byValue = append(byValue, RemoveProposal{Removed: uint32(r)})
	}
	firstAdd := len(byValue)
	for _, kp := range opts.Adds {
		byValue = append(byValue, AddProposal{KeyPackage: kp})
	}
	for _, id := range opts.PSKs {
		byValue = append(byValue, PreSharedKeyProposal{PSK: id})
	}
	byValue = append(byValue, opts.Proposals...)
	for k, p := range byValue {
		if p.Type() == ProposalUpdate {
			return nil, nil, fmt.Errorf("%w: a committer updates its leaf through the path", ErrCommitOptions)
		}
		if u, ok := p.(UnknownProposal); ok && (u.ProposalType == 0 || u.ProposalType.IsDefault()) {
			return nil, nil, fmt.Errorf("%w: UnknownProposal of type %d", ErrCommitOptions, u.ProposalType)
		}
		list = append(list, ProposalOrRef{Proposal: p})
		signed := opts.AddsSigned && k >= firstAdd && k < firstAdd+len(opts.Adds)
		entries = append(entries, proposalEntry{proposal: p, sender: me, signed: signed})
	}
	return list, entries, nil
}

// newCommitWelcome seals the new epoch's GroupInfo and each added member's group secrets:
// the joiner secret, the PSKs, and, when the commit has a path, the path secret of the lowest
// node above both the member and the committer.
func newCommitWelcome(gi *GroupInfo, res *appliedProposals, created *CreatedPath, joiner, pskSecret []byte) (*MLSMessage, error) {
	recipients := make([]WelcomeRecipient, len(res.adds))
	for k, add := range res.adds {
		recipients[k] = WelcomeRecipient{KeyPackage: add.KeyPackage, Secrets: GroupSecrets{JoinerSecret: joiner, PSKs: res.psks}}
		if created != nil {
			recipients[k].Secrets.PathSecret = created.WelcomeSecret(add.Leaf)
		}
	}
	w, err := NewWelcome(gi, gi.GroupContext.CipherSuite.WelcomeSecret(joiner, pskSecret), recipients)
	if err != nil {
		return nil, err
	}
	return &MLSMessage{WireFormat: WireFormatWelcome, Welcome: w}, nil
}

// committablePending selects the pending proposals a committer at self may commit alongside
// removals by value: not its own Update (the path replaces its leaf) nor its own removal, and
// not a second Remove or an Update of a leaf already being removed, which members proposing
// independently easily produce and which would make the whole commit invalid.
func (g *Group) committablePending(self LeafIndex, removes []LeafIndex) []pendingProposal {
	removed := map[LeafIndex]bool{self: true}
	for _, r := range removes {
		removed[r] = true
	}
	var out, updates []pendingProposal
	for _, p := range g.pending {
		switch q := p.proposal.(type) {
		case UpdateProposal:
			if LeafIndex(p.sender.Index) != self {
				updates = append(updates, p)
			}
			continue
		case RemoveProposal:
			if removed[LeafIndex(q.Removed)] {
				continue
			}
			removed[LeafIndex(q.Removed)] = true
		}
		out = append(out, p)
	}
	updated := map[LeafIndex]bool{}
	for _, p := range updates {
		if leaf := LeafIndex(p.sender.Index); !removed[leaf] && !updated[leaf] {
			updated[leaf] = true
			out = append(out, p)
		}
	}
	return out
}

// GroupInfoOptions says which extensions a GroupInfo carries.
type GroupInfoOptions struct {
	// WithoutRatchetTree leaves the ratchet_tree extension out; joiners then need the tree
	// from elsewhere.
	WithoutRatchetTree bool
	// ExternalPub adds the epoch's external_pub, which lets a non-member join by external
	// commit (JoinExternal).
	ExternalPub bool
}

// groupInfo builds and signs the GroupInfo of the epoch with the member's key.
func (s *epochState) groupInfo(signPriv []byte, opts GroupInfoOptions) (*GroupInfo, error) {
	gi := &GroupInfo{GroupContext: s.gc, ConfirmationTag: s.confirmationTag, Signer: uint32(s.priv.Leaf)}
	if !opts.WithoutRatchetTree {
		gi.Extensions = append(gi.Extensions, Extension{Type: ExtensionRatchetTree, Data: s.tree.RatchetTree().Encode()})
	}
	if opts.ExternalPub {
		pub, err := s.secrets.ExternalPub()
		if err != nil {
			return nil, err
		}
		gi.Extensions = append(gi.Extensions, Extension{Type: ExtensionExternalPub, Data: EncodeExternalPub(pub)})
	}
	if err := gi.Sign(signPriv); err != nil {
		return nil, err
	}
	return gi, nil
}

// GroupInfo returns a signed GroupInfo of the current epoch.
func (g *Group) GroupInfo(opts GroupInfoOptions) (*MLSMessage, error) {
	gi, err := g.cur.groupInfo(g.signPriv, opts)
	if err != nil {
		return nil, fmt.Errorf("mls: group info: %w", err)
	}
	return &MLSMessage{WireFormat: WireFormatGroupInfo, GroupInfo: gi}, nil
}
