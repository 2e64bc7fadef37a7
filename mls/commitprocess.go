package mls

// Receiving a commit (RFC 9420 §12.4.2): the framing has been authenticated by Process; here
// the proposal list is resolved and validated, applied with the UpdatePath to a copy of the
// tree, the key schedule run, and the confirmation tag checked. Nothing of the Group changes.

// stageCommit validates the commit in ac and computes the epoch it leads to.
func (g *Group) stageCommit(ac *AuthenticatedContent) (*StagedCommit, error) {
	sender := ac.Content.Sender
	external := sender.Type == SenderNewMemberCommit
	committer := LeafIndex(sender.Index)
	if !external && committer == g.cur.priv.Leaf {
		return nil, ErrOwnCommit
	}
	commit := ac.Content.Commit
	entries, err := g.resolveProposals(commit.Proposals, sender)
	if err != nil {
		return nil, err
	}
	res, err := g.applyProposals(sender, entries)
	if err != nil {
		return nil, err
	}
	if (res.pathRequired || external) && commit.Path == nil {
		return nil, ErrPathRequired
	}
	initSecret := g.cur.secrets.Init
	if external {
		// The joiner takes the leftmost free leaf, as an Add would, and the init secret is
		// the one its ExternalInit encapsulated to the epoch's external key.
		committer = res.tree.FreeLeaf()
		if initSecret, err = g.cur.secrets.ExternalInitSecret(res.externalInit.KEMOutput); err != nil {
			return nil, err
		}
	}
	sc := newStagedCommit(g, committer, entries, res)
	sc.External = external
	sc.AuthenticatedData = ac.Content.AuthenticatedData
	sc.HasPath = commit.Path != nil
	if sc.SelfRemoved {
		return sc, nil
	}

	priv := g.cur.priv.Clone()
	if ref, ok := res.updateRefs[priv.Leaf]; ok {
		key, ok := g.ownUpdates[string(ref)]
		if !ok {
			return nil, ErrOwnUpdateKeyMissing
		}
		priv.LeafKey = key
	}
	gc := g.provisionalContext(res)
	var commitSecret []byte
	if commit.Path != nil {
		secrets, err := res.tree.ApplyUpdatePath(committer, commit.Path, &gc, ApplyPathOptions{
			Private: priv,
			Exclude: res.addedLeaves(),
			Policy:  g.cfg.leafPolicy(),
		})
		if err != nil {
			return nil, err
		}
		commitSecret = secrets.CommitSecret
	} else {
		gc.TreeHash = res.tree.Hash()
	}
	priv.Prune(res.tree)
	next, _, _, err := g.nextEpoch(gc, res, priv, initSecret, commitSecret, ac)
	if err != nil {
		return nil, err
	}
	if !g.cur.gc.CipherSuite.VerifyMAC(next.secrets.Confirmation, next.gc.ConfirmedTranscriptHash, ac.Auth.ConfirmationTag) {
		return nil, ErrConfirmationTag
	}
	sc.next = next
	return sc, nil
}

// provisionalContext is the next epoch's group context before the tree hash and the
// transcript hash are known: the context UpdatePath secrets are encrypted under.
func (g *Group) provisionalContext(res *appliedProposals) GroupContext {
	gc := g.cur.gc
	gc.Epoch++
	gc.Extensions = res.extensions
	return gc
}

// nextEpoch runs the key schedule of the epoch a commit opens from initSecret (the current
// epoch's, or an external joiner's), given the provisional context with the new tree hash,
// and returns the epoch with the joiner and PSK secrets a Welcome needs. Committer and
// receivers share it.
func (g *Group) nextEpoch(gc GroupContext, res *appliedProposals, priv *PrivateTree, initSecret, commitSecret []byte, ac *AuthenticatedContent) (next *epochState, joiner, pskSecret []byte, err error) {
	cs := gc.CipherSuite
	pskSecret, err = g.pskSecret(res.psks)
	if err != nil {
		return nil, nil, nil, err
	}
	gc.ConfirmedTranscriptHash = cs.ConfirmedTranscriptHash(g.cur.interim, ac)
	gcBytes := gc.Encode()
	joiner = cs.JoinerSecret(initSecret, commitSecret, gcBytes)
	next, err = newEpochState(gc, res.tree, priv, cs.EpochSecrets(joiner, pskSecret, gcBytes))
	if err != nil {
		return nil, nil, nil, err
	}
	return next, joiner, pskSecret, nil
}
