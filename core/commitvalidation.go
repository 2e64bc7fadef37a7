package core

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/mls"
)

// validateCommit applies the rules every XMTP receiver applies to another member's commit
// before merging it (libxmtp validated_commit.rs), so that no member can force a state the
// group's policies or its members' identities forbid:
//
//   - the committer is a member with a readable credential, and every add and remove was
//     proposed by the committer (one actor per commit);
//   - no PSK, ReInit, ExternalInit or unknown proposals;
//   - membership changes come with a GroupContextExtensions proposal, and the actor was
//     allowed to make the change (core/permissions.Validate);
//   - the resulting tree holds exactly the installations the new membership implies, each
//     under the inbox its identity log gives it.
//
// It returns the change's summary and the actor's inbox. Rule violations wrap
// ErrInvalidCommit or ErrMembershipMismatch; other errors (network, store) are not the
// commit's fault and are returned as they are.
func (g *Group) validateCommit(ctx context.Context, sc *mls.StagedCommit) (permissions.Summary, string, error) {
	committer := g.mls.Member(sc.Committer)
	if committer == nil {
		return permissions.Summary{}, "", fmt.Errorf("%w: committer %d is not a member", ErrInvalidCommit, sc.Committer)
	}
	actor, err := credentialInbox(committer)
	if err != nil {
		return permissions.Summary{}, "", ErrInvalidCommit.Wrap(err)
	}
	committerSender := mls.Sender{Type: mls.SenderMember, Index: uint32(sc.Committer)}
	for _, a := range sc.Adds {
		if a.Proposer != committerSender {
			return permissions.Summary{}, "", fmt.Errorf("%w: add proposed by another member", ErrInvalidCommit)
		}
	}
	for _, r := range sc.Removes {
		if r.Proposer != committerSender {
			return permissions.Summary{}, "", fmt.Errorf("%w: remove proposed by another member", ErrInvalidCommit)
		}
	}
	for _, p := range sc.Proposals {
		switch p.Type() {
		case mls.ProposalAdd, mls.ProposalRemove, mls.ProposalUpdate, mls.ProposalGroupContextExtensions:
		default:
			return permissions.Summary{}, "", fmt.Errorf("%w: proposal type %d not allowed", ErrInvalidCommit, p.Type())
		}
	}
	old, err := g.stateLocked()
	if err != nil {
		return permissions.Summary{}, "", err
	}
	next := old
	if sc.NewExtensions != nil {
		if next, err = permissions.ReadState(sc.NewExtensions); err != nil {
			return permissions.Summary{}, "", ErrInvalidCommit.Wrap(err)
		}
	} else if len(sc.Adds)+len(sc.Removes) > 0 {
		return permissions.Summary{}, "", fmt.Errorf("%w: membership change without a membership update", ErrInvalidCommit)
	}
	summary, err := permissions.Validate(actor, old, next)
	if err != nil {
		return permissions.Summary{}, "", ErrInvalidCommit.Wrap(err)
	}
	if len(sc.Adds)+len(sc.Removes) > 0 || len(summary.Added)+len(summary.Removed)+len(summary.Updated) > 0 {
		if err := g.c.checkTreeMembership(ctx, next.Membership, leavesAfter(g.mls, sc)); err != nil {
			return permissions.Summary{}, "", err
		}
	}
	return summary, actor, nil
}

// leavesAfter is the tree's installations once sc is merged: the current leaves minus the
// removed ones plus the added ones, each mapped to its credential's inbox.
func leavesAfter(g *mls.Group, sc *mls.StagedCommit) map[string]string {
	out := leafInboxes(g)
	for _, r := range sc.Removes {
		delete(out, string(r.LeafNode.SignatureKey))
	}
	for _, a := range sc.Adds {
		inbox, _ := credentialInbox(&a.KeyPackage.LeafNode)
		out[string(a.KeyPackage.LeafNode.SignatureKey)] = inbox
	}
	return out
}
