package mls

import (
	"fmt"
	"slices"
)

// StagedCommit is a validated commit and the epoch it leads to, not yet installed. The layer
// above inspects it (XMTP checks its permissions here), persists what it must, and then calls
// Group.Merge, or drops it when another commit won the epoch. Staging changes nothing of the
// Group but the message key a PrivateMessage consumed, so a crash between staging and
// merging leaves the old epoch intact and the commit can simply be processed again.
type StagedCommit struct {
	// Committer is the leaf of the member that sent the commit.
	Committer LeafIndex
	// AuthenticatedData is the commit's authenticated_data.
	AuthenticatedData []byte
	// Adds, Removes and Updates are the membership changes, in the order applied.
	Adds    []AddedMember
	Removes []RemovedMember
	Updates []UpdatedMember
	// PSKs are the pre-shared keys injected.
	PSKs []PreSharedKeyID
	// NewExtensions is set when a GroupContextExtensions proposal replaces the group context
	// extensions (an empty, non-nil list when it removes them all).
	NewExtensions Extensions
	// ReInit is set when the commit reinitializes the group; after the merge the member can
	// no longer send in it.
	ReInit *ReInitProposal
	// Proposals lists every proposal of the commit, in commit order. Proposals of types
	// outside RFC 9420 (UnknownProposal) are checked to be supported by every member but
	// change nothing here; the layer above decides whether to accept them (libxmtp refuses
	// them). A peer that gives one an effect on the group context would reach another epoch,
	// which the confirmation tag then refuses.
	Proposals []Proposal
	// HasPath reports whether the commit carried an UpdatePath.
	HasPath bool
	// External reports an external commit: its committer joined the group by it, at leaf
	// Committer.
	External bool
	// SelfRemoved reports whether the commit removes this member. Its new epoch is then
	// unknown to the member; merging marks the group inactive.
	SelfRemoved bool

	group     *Group
	fromEpoch uint64
	next      *epochState
	// tree is the new epoch's tree (without the path when the member was removed).
	tree *Tree
}

// Member returns the leaf node at i in the new epoch, or nil when it is blank: the committer's
// new leaf is sc.Member(sc.Committer), also for an external committer not yet in the Group.
// It must not be modified.
func (sc *StagedCommit) Member(i LeafIndex) *LeafNode { return sc.tree.Leaf(i) }

// GroupContext returns the group context of the new epoch; for a commit removing this
// member it is the old one with only the epoch advanced.
func (sc *StagedCommit) GroupContext() GroupContext {
	if sc.next == nil {
		gc := sc.group.cur.gc
		gc.Epoch = sc.fromEpoch + 1
		return gc
	}
	gc := sc.next.gc
	gc.Extensions = slices.Clone(gc.Extensions)
	return gc
}

// EpochAuthenticator returns the new epoch's authenticator (nil when SelfRemoved).
func (sc *StagedCommit) EpochAuthenticator() []byte {
	if sc.next == nil {
		return nil
	}
	return slices.Clone(sc.next.secrets.Authenticator)
}

// newStagedCommit fills the public fields from the applied proposals.
func newStagedCommit(g *Group, committer LeafIndex, entries []proposalEntry, res *appliedProposals) *StagedCommit {
	sc := &StagedCommit{
		Committer: committer,
		Adds:      res.adds,
		Removes:   res.removes,
		Updates:   res.updates,
		PSKs:      res.psks,
		ReInit:    res.reinit,
		group:     g,
		fromEpoch: g.cur.gc.Epoch,
		tree:      res.tree,
	}
	if res.gce {
		sc.NewExtensions = slices.Clone(res.extensions)
		if sc.NewExtensions == nil {
			sc.NewExtensions = Extensions{}
		}
	}
	for _, e := range entries {
		sc.Proposals = append(sc.Proposals, e.proposal)
	}
	sc.SelfRemoved = res.removed(g.cur.priv.Leaf)
	return sc
}

// Merge installs the epoch of a staged commit: the current epoch joins the retained past
// epochs, the oldest beyond MaxPastEpochs is deleted, and the epoch's pending proposals are
// dropped. It fails with ErrStaleCommit when the group is no longer at the epoch the commit
// was staged in (or the commit was staged by another Group).
func (g *Group) Merge(sc *StagedCommit) error {
	if sc.group != g || sc.fromEpoch != g.cur.gc.Epoch || g.ended != stillActive {
		return fmt.Errorf("mls: merge commit of epoch %d: %w", sc.fromEpoch, ErrStaleCommit)
	}
	g.pending, g.ownUpdates = nil, nil
	if sc.SelfRemoved {
		g.ended, g.endedEpoch = endRemoved, sc.fromEpoch+1
		return nil
	}
	g.keepResumption()
	g.retire()
	g.cur = sc.next
	if sc.ReInit != nil {
		g.ended, g.endedEpoch = endReInit, g.cur.gc.Epoch
	}
	return nil
}
