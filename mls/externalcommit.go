package mls

import (
	"crypto/ed25519"
	"fmt"
	"slices"
)

// Joining by external commit (RFC 9420 §12.4.3.2): a client that is not a member but holds a
// GroupInfo with the epoch's external_pub encapsulates a fresh init secret to it, takes the
// leftmost free leaf, and commits a path from there. Members stage such a commit like any
// other (StagedCommit.External). libxmtp does not accept external commits; the layer above
// decides whether to allow them (and a PureCiphertext policy refuses them, as they are
// PublicMessages).

// ExternalJoinOptions describes the joiner of JoinExternal and what its commit carries.
type ExternalJoinOptions struct {
	// GroupInfo is the group's current GroupInfo, with the external_pub extension.
	GroupInfo *GroupInfo
	// RatchetTree is the tree when the GroupInfo does not carry it.
	RatchetTree RatchetTree
	Credential  Credential
	// SignaturePrivateKey is the joiner's 32-byte Ed25519 seed.
	SignaturePrivateKey []byte
	Capabilities        Capabilities
	LeafExtensions      Extensions
	// Remove lists leaves to remove with the join, such as the joiner's own earlier leaf when
	// it resynchronizes. The application checks that they are the joiner's.
	Remove []LeafIndex
	// PSKs are pre-shared keys to inject; their secrets come from GroupConfig.PSKs.
	PSKs              []PreSharedKeyID
	AuthenticatedData []byte
}

// JoinExternal joins a group by external commit. It returns the joiner's group at the new
// epoch and the commit to send to the members; if the delivery service refuses the commit
// (another commit won the epoch), the returned group must be discarded.
func JoinExternal(cfg GroupConfig, opts ExternalJoinOptions) (*Group, *MLSMessage, error) {
	g, msg, err := joinExternal(cfg, &opts)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: join by external commit: %w", err)
	}
	return g, msg, nil
}

func joinExternal(cfg GroupConfig, opts *ExternalJoinOptions) (*Group, *MLSMessage, error) {
	gi := opts.GroupInfo
	cs := gi.GroupContext.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	signPriv, err := cs.ExpandSignatureKey(opts.SignaturePrivateKey)
	if err != nil {
		return nil, nil, err
	}
	pubData, ok := gi.Extensions.Find(ExtensionExternalPub)
	if !ok {
		return nil, nil, ErrExternalPubMissing
	}
	externalPub, err := DecodeExternalPub(pubData)
	if err != nil {
		return nil, nil, err
	}
	tree, err := groupInfoTree(&cfg, gi, opts.RatchetTree)
	if err != nil {
		return nil, nil, err
	}
	kemOutput, initSecret, err := cs.ExternalInit(externalPub)
	if err != nil {
		return nil, nil, err
	}
	// The joiner's view of the epoch it joins: enough of a Group to apply its own commit.
	gc := gi.GroupContext
	g := &Group{cfg: cfg, signPriv: signPriv, cur: &epochState{
		gc:      gc,
		tree:    tree,
		secrets: &EpochSecrets{Suite: cs},
		interim: cs.InterimTranscriptHash(gc.ConfirmedTranscriptHash, gi.ConfirmationTag),
	}}
	me := Sender{Type: SenderNewMemberCommit}
	proposals := []Proposal{ExternalInitProposal{KEMOutput: kemOutput}}
	for _, r := range opts.Remove {
		proposals = append(proposals, RemoveProposal{Removed: uint32(r)})
	}
	for _, id := range opts.PSKs {
		proposals = append(proposals, PreSharedKeyProposal{PSK: id})
	}
	entries := make([]proposalEntry, len(proposals))
	commit := &Commit{Proposals: make([]ProposalOrRef, len(proposals))}
	for k, p := range proposals {
		entries[k] = proposalEntry{proposal: p, sender: me}
		commit.Proposals[k] = ProposalOrRef{Proposal: p}
	}
	res, err := g.applyProposals(me, entries)
	if err != nil {
		return nil, nil, err
	}
	at := res.tree.FreeLeaf()
	next := g.provisionalContext(res)
	leaf := LeafNode{
		SignatureKey: slices.Clone(signPriv[ed25519.SeedSize:]),
		Credential:   opts.Credential,
		Capabilities: completeCapabilities(opts.Capabilities, cs, opts.Credential.Type, opts.LeafExtensions),
		Extensions:   slices.Clone(opts.LeafExtensions),
	}
	created, err := res.tree.CreateUpdatePath(at, &next, UpdatePathOptions{Leaf: leaf, SignaturePrivateKey: signPriv, Rand: cfg.rand()})
	if err != nil {
		return nil, nil, err
	}
	commit.Path = &created.Path
	ac := &AuthenticatedContent{WireFormat: WireFormatPublicMessage, Content: FramedContent{
		GroupID:           gc.GroupID,
		Epoch:             gc.Epoch,
		Sender:            me,
		AuthenticatedData: opts.AuthenticatedData,
		ContentType:       ContentTypeCommit,
		Commit:            commit,
	}}
	if err := cs.SignAuthenticatedContent(signPriv, ac, &gc); err != nil {
		return nil, nil, err
	}
	state, _, _, err := g.nextEpoch(next, res, created.Private, initSecret, created.Secrets.CommitSecret, ac)
	if err != nil {
		return nil, nil, err
	}
	ac.Auth.ConfirmationTag = state.confirmationTag
	pm, err := cs.NewPublicMessage(ac, &gc, nil)
	if err != nil {
		return nil, nil, err
	}
	g.cur = state
	return g, &MLSMessage{WireFormat: WireFormatPublicMessage, PublicMessage: pm}, nil
}
