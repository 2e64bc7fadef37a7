package mls

import (
	"bytes"
	"fmt"
	"slices"
	"time"

	"github.com/goxmtp/goxmtp/mls/parallel"
)

// Proposal lists (RFC 9420 §12.2, §12.3): a commit's proposals are validated as a whole and
// applied to a copy of the tree in the RFC's order (GroupContextExtensions, Update, Remove,
// Add, then PreSharedKey), by the committer when it builds the commit and by every receiver
// when it stages it, with the same code so both reach the same tree.

// proposalRefLabel is the RefHash label of a ProposalRef (RFC 9420 §5.2).
const proposalRefLabel = "MLS 1.0 Proposal Reference"

// proposalRef computes the reference of a proposal from the authenticated content that
// carried it.
func proposalRef(cs CipherSuite, ac *AuthenticatedContent) []byte {
	return cs.RefHash(proposalRefLabel, ac.Encode())
}

// proposalEntry is one proposal of a commit with its sender and, when it was committed by
// reference, the reference.
type proposalEntry struct {
	proposal Proposal
	sender   Sender
	ref      []byte
	// signed marks an add whose key package signatures the committer's caller verified
	// (CommitOptions.AddsSigned); never set for a received commit.
	signed bool
}

// AddedMember is a member added by a commit.
type AddedMember struct {
	Leaf       LeafIndex
	KeyPackage *KeyPackage
	// Proposer is who proposed the add.
	Proposer Sender
}

// RemovedMember is a member removed by a commit, with the leaf it had.
type RemovedMember struct {
	Leaf     LeafIndex
	LeafNode *LeafNode
	Proposer Sender
}

// UpdatedMember is a member whose leaf an Update proposal replaced.
type UpdatedMember struct {
	Leaf     LeafIndex
	Old, New *LeafNode
}

// appliedProposals is the outcome of applying a commit's proposal list.
type appliedProposals struct {
	tree         *Tree
	extensions   Extensions
	gce          bool
	adds         []AddedMember
	removes      []RemovedMember
	updates      []UpdatedMember
	updateRefs   map[LeafIndex][]byte
	psks         []PreSharedKeyID
	reinit       *ReInitProposal
	externalInit *ExternalInitProposal
	pathRequired bool
}

// noLeaf stands for the committer's leaf in an external commit, whose committer has none yet.
const noLeaf = LeafIndex(^uint32(0))

// resolveProposals turns a commit's proposal list into entries, looking up references among
// the epoch's pending proposals. A proposal listed twice is refused.
func (g *Group) resolveProposals(list []ProposalOrRef, committer Sender) ([]proposalEntry, error) {
	entries := make([]proposalEntry, 0, len(list))
	seen := map[string]bool{}
	for _, por := range list {
		if por.Proposal != nil {
			entries = append(entries, proposalEntry{proposal: por.Proposal, sender: committer})
			continue
		}
		if seen[string(por.Reference)] {
			return nil, ErrDuplicateProposal
		}
		seen[string(por.Reference)] = true
		p := g.pendingProposal(por.Reference)
		if p == nil {
			return nil, ErrUnknownProposalRef
		}
		entries = append(entries, proposalEntry{proposal: p.proposal, sender: p.sender, ref: p.ref})
	}
	return entries, nil
}

// pendingProposal returns the pending proposal with reference ref.
func (g *Group) pendingProposal(ref []byte) *pendingProposal {
	for i := range g.pending {
		if bytes.Equal(g.pending[i].ref, ref) {
			return &g.pending[i]
		}
	}
	return nil
}

// pathRequiredBy reports whether a commit with a proposal of type t must carry a path
// (RFC 9420 §12.4: every type but Add, PreSharedKey and ReInit).
func pathRequiredBy(t ProposalType) bool {
	return t != ProposalAdd && t != ProposalPreSharedKey && t != ProposalReInit
}

// applyProposals validates the entries of a commit by committer (a member, or a new member
// joining by external commit) and applies them to a copy of the current tree.
func (g *Group) applyProposals(sender Sender, entries []proposalEntry) (*appliedProposals, error) {
	cur := g.cur
	committer := LeafIndex(sender.Index)
	external := sender.Type == SenderNewMemberCommit
	if external {
		committer = noLeaf
	}
	out := &appliedProposals{
		tree:         cur.tree.Clone(),
		extensions:   cur.gc.Extensions,
		pathRequired: len(entries) == 0,
		updateRefs:   map[LeafIndex][]byte{},
	}
	byType := map[ProposalType][]proposalEntry{}
	for _, e := range entries {
		t := e.proposal.Type()
		if err := checkProposalSender(e); err != nil {
			return nil, err
		}
		if !t.IsDefault() {
			for i, leaf := range cur.tree.Members() {
				if !leaf.Capabilities.SupportsProposal(t) {
					return nil, fmt.Errorf("%w: type %d, leaf %d", ErrProposalUnsupported, t, i)
				}
			}
		}
		out.pathRequired = out.pathRequired || pathRequiredBy(t)
		byType[t] = append(byType[t], e)
	}
	if len(byType[ProposalReInit]) > 0 && len(entries) > 1 {
		return nil, ErrReInitNotAlone
	}
	if external {
		if err := checkExternalCommitProposals(entries, len(byType[ProposalExternalInit])); err != nil {
			return nil, err
		}
		p := byType[ProposalExternalInit][0].proposal.(ExternalInitProposal)
		out.externalInit = &p
	} else if len(byType[ProposalExternalInit]) > 0 {
		return nil, ErrExternalInitInMemberCommit
	}
	if len(byType[ProposalGroupContextExtensions]) > 1 {
		return nil, ErrMultipleGCE
	}
	for _, e := range byType[ProposalReInit] {
		p := e.proposal.(ReInitProposal)
		out.reinit = &p
	}
	newGC := cur.gc
	for _, e := range byType[ProposalGroupContextExtensions] {
		out.extensions = e.proposal.(GroupContextExtensionsProposal).Extensions
		out.gce = true
		newGC.Extensions = out.extensions
	}
	if err := g.applyUpdates(out, committer, byType[ProposalUpdate]); err != nil {
		return nil, err
	}
	if err := g.applyRemoves(out, committer, byType[ProposalRemove]); err != nil {
		return nil, err
	}
	if err := g.applyAdds(out, &newGC, byType[ProposalAdd]); err != nil {
		return nil, err
	}
	for _, e := range byType[ProposalPreSharedKey] {
		out.psks = append(out.psks, e.proposal.(PreSharedKeyProposal).PSK)
	}
	if out.gce {
		if err := checkExtensionsSupported(out.tree, &newGC); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkExternalCommitProposals applies RFC 9420 §12.4.3.2 to an external commit: exactly one
// ExternalInit, and otherwise only removals (of the joiner's old leaf) and PSKs, all by value,
// since the joiner cannot know the proposals sent in the epoch.
func checkExternalCommitProposals(entries []proposalEntry, externalInits int) error {
	if externalInits != 1 {
		return fmt.Errorf("%w: %d ExternalInit proposals", ErrExternalCommitProposals, externalInits)
	}
	for _, e := range entries {
		switch t := e.proposal.Type(); {
		case e.ref != nil:
			return fmt.Errorf("%w: proposal by reference", ErrExternalCommitProposals)
		case t != ProposalExternalInit && t != ProposalRemove && t != ProposalPreSharedKey:
			return fmt.Errorf("%w: type %d", ErrExternalCommitProposals, t)
		}
	}
	return nil
}

// checkProposalSender applies RFC 9420 §12.1.8: external senders may not update, and a new
// member may only add itself.
func checkProposalSender(e proposalEntry) error {
	t := e.proposal.Type()
	switch e.sender.Type {
	case SenderExternal:
		if t == ProposalUpdate || t == ProposalExternalInit {
			return fmt.Errorf("%w: external sender, type %d", ErrProposalSender, t)
		}
	case SenderNewMemberProposal:
		if t != ProposalAdd {
			return fmt.Errorf("%w: new member, type %d", ErrProposalSender, t)
		}
	}
	return nil
}

func (g *Group) applyUpdates(out *appliedProposals, committer LeafIndex, entries []proposalEntry) error {
	cur := g.cur
	pol := g.cfg.leafPolicy()
	for _, e := range entries {
		if e.sender.Type != SenderMember {
			return fmt.Errorf("%w: update from sender type %d", ErrProposalSender, e.sender.Type)
		}
		i := LeafIndex(e.sender.Index)
		if i == committer {
			return ErrCommitterUpdate
		}
		if _, dup := out.updateRefs[i]; dup {
			return fmt.Errorf("%w: leaf %d", ErrDuplicateUpdate, i)
		}
		leaf := e.proposal.(UpdateProposal).LeafNode
		if err := cur.tree.ValidateLeaf(&leaf, i, LeafNodeSourceUpdate, &cur.gc, pol); err != nil {
			return err
		}
		old := cur.tree.Leaf(i)
		if err := out.tree.Update(i, leaf); err != nil {
			return err
		}
		out.updateRefs[i] = e.ref
		out.updates = append(out.updates, UpdatedMember{Leaf: i, Old: old, New: out.tree.Leaf(i)})
	}
	return nil
}

func (g *Group) applyRemoves(out *appliedProposals, committer LeafIndex, entries []proposalEntry) error {
	removed := map[LeafIndex]bool{}
	for _, e := range entries {
		i := LeafIndex(e.proposal.(RemoveProposal).Removed)
		switch {
		case i == committer:
			return ErrCommitterRemoved
		case removed[i]:
			return fmt.Errorf("%w: leaf %d", ErrDuplicateRemove, i)
		}
		if _, updated := out.updateRefs[i]; updated {
			return fmt.Errorf("%w: leaf %d", ErrDuplicateUpdate, i)
		}
		old := g.cur.tree.Leaf(i)
		if old == nil {
			return fmt.Errorf("%w: leaf %d", ErrRemoveNonMember, i)
		}
		removed[i] = true
		if err := out.tree.Remove(i); err != nil {
			return err
		}
		out.removes = append(out.removes, RemovedMember{Leaf: i, LeafNode: old, Proposer: e.sender})
	}
	return nil
}

func (g *Group) applyAdds(out *appliedProposals, newGC *GroupContext, entries []proposalEntry) error {
	cs := g.cur.gc.CipherSuite
	pol := g.cfg.leafPolicy()
	kps := make([]*KeyPackage, len(entries))
	seen := map[string]bool{}
	for k, e := range entries {
		kp := e.proposal.(AddProposal).KeyPackage
		if kp.CipherSuite != cs || kp.Version != ProtocolVersionMLS10 {
			return fmt.Errorf("%w: suite %d, version %d", ErrAddCipherSuite, kp.CipherSuite, kp.Version)
		}
		if seen[string(kp.LeafNode.SignatureKey)] || seen[string(kp.InitKey)] {
			return ErrDuplicateAdd
		}
		seen[string(kp.LeafNode.SignatureKey)], seen[string(kp.InitKey)] = true, true
		kps[k] = &kp
	}
	if err := verifyKeyPackages(kps, entries, pol.Now, g.cfg.maxLifetime()); err != nil {
		return err
	}
	var req *RequiredCapabilities
	if data, ok := newGC.Extensions.Find(ExtensionRequiredCapabilities); ok {
		r, err := DecodeRequiredCapabilities(data)
		if err != nil {
			return err
		}
		req = &r
	}
	for k, kp := range kps {
		if err := checkAddedLeaf(out.tree, &kp.LeafNode, req, pol); err != nil {
			return fmt.Errorf("add %d: %w", k, err)
		}
		i := out.tree.Add(kp.LeafNode)
		out.adds = append(out.adds, AddedMember{Leaf: i, KeyPackage: kp, Proposer: entries[k].sender})
	}
	return nil
}

// verifyKeyPackages verifies key packages on all CPUs: in a large add commit their
// signatures are most of the committer's and every receiver's work. The signatures of those
// the caller already verified (signed entries) are not checked twice.
func verifyKeyPackages(kps []*KeyPackage, entries []proposalEntry, now time.Time, maxLifetime time.Duration) error {
	return parallel.ForEach(len(kps), parallel.CPUs(), func(k int) error {
		if err := kps[k].verify(now, maxLifetime, !entries[k].signed); err != nil {
			return fmt.Errorf("add %d: mls: verify key package: %w", k, err)
		}
		return nil
	})
}

// checkAddedLeaf is what ValidateLeaf adds to KeyPackage.Verify for the leaf of a new member:
// Verify has checked its signature, key sizes, lifetime and its own capabilities, so only the
// group's required capabilities, the credential policy and the fit with the other members
// remain. Not verifying the signature twice saves a quarter of a large add commit.
func checkAddedLeaf(t *Tree, leaf *LeafNode, req *RequiredCapabilities, pol *LeafPolicy) error {
	if req != nil && !req.SatisfiedBy(&leaf.Capabilities) {
		return ErrLeafRequiredCapabilities
	}
	if pol.CheckCredential != nil {
		if err := pol.CheckCredential(leaf); err != nil {
			return fmt.Errorf("%w: %w", ErrLeafCredential, err)
		}
	}
	return t.checkLeafFitsGroup(leaf, LeafIndex(t.LeafCount()))
}

// checkExtensionsSupported requires every member to support each new group context
// extension and to meet the new required capabilities (RFC 9420 §12.1.7).
func checkExtensionsSupported(t *Tree, gc *GroupContext) error {
	var req *RequiredCapabilities
	if data, ok := gc.Extensions.Find(ExtensionRequiredCapabilities); ok {
		r, err := DecodeRequiredCapabilities(data)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrGCEUnsupported, err)
		}
		req = &r
	}
	for i, leaf := range t.Members() {
		for _, ext := range gc.Extensions {
			if !leaf.Capabilities.SupportsExtension(ext.Type) {
				return fmt.Errorf("%w: leaf %d, extension 0x%04x", ErrGCEUnsupported, i, uint16(ext.Type))
			}
		}
		if req != nil && !req.SatisfiedBy(&leaf.Capabilities) {
			return fmt.Errorf("%w: leaf %d, required capabilities", ErrGCEUnsupported, i)
		}
	}
	return nil
}

// addedLeaves lists the leaves of the added members.
func (a *appliedProposals) addedLeaves() []LeafIndex {
	out := make([]LeafIndex, len(a.adds))
	for k, m := range a.adds {
		out[k] = m.Leaf
	}
	return out
}

// removes reports whether leaf i is removed.
func (a *appliedProposals) removed(i LeafIndex) bool {
	return slices.ContainsFunc(a.removes, func(r RemovedMember) bool { return r.Leaf == i })
}
