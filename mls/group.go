package mls

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"io"
	"slices"
)

// Group is one member's view of an MLS group at an epoch (RFC 9420 §8, §12): the public
// ratchet tree and the member's private part of it, the epoch's secrets and message keys,
// the transcript hashes, proposals received in the epoch, and the message keys of a few
// past epochs for application messages that arrive late.
//
// A Group changes only through its methods: Process consumes message keys, and a commit's
// new epoch is installed by Merge, never by Process or Commit themselves. A Group is not
// safe for concurrent use.
type Group struct {
	cfg GroupConfig
	// signPriv is the member's Ed25519 key in its 64-byte form (seed then public key).
	signPriv []byte
	cur      *epochState
	// pending holds the proposals received or sent in the current epoch, in order.
	pending []pendingProposal
	// ownUpdates maps the reference of each own Update proposal of the epoch to the private
	// key of the leaf it proposes, needed if someone commits it.
	ownUpdates map[string][]byte
	// past holds the retained earlier epochs, oldest first.
	past []*pastEpoch
	// resumption holds the resumption secrets of recent epochs, oldest first.
	resumption []resumptionSecret
	// ended says whether the member may still send, and if not, why and since when.
	ended      endReason
	endedEpoch uint64
}

// endReason is why a member can no longer send in a group.
type endReason uint8

const (
	stillActive endReason = iota
	endRemoved
	endReInit
)

// epochState is everything that changes from one epoch to the next. A commit builds a new
// one beside the current one, which is why staging leaves the Group untouched.
type epochState struct {
	gc              GroupContext
	tree            *Tree
	priv            *PrivateTree
	secrets         *EpochSecrets
	keys            *SecretTree
	interim         []byte
	confirmationTag []byte
}

// pendingProposal is a proposal received or sent by reference in the current epoch.
type pendingProposal struct {
	ref      []byte
	sender   Sender
	proposal Proposal
}

// resumptionSecret is the resumption PSK of one epoch of this group.
type resumptionSecret struct {
	epoch  uint64
	secret []byte
}

// CreateOptions describes the group CreateGroup makes and its creator's leaf.
type CreateOptions struct {
	CipherSuite CipherSuite
	// GroupID is the group's id; when nil, 16 random bytes are drawn (as libxmtp does).
	GroupID    []byte
	Credential Credential
	// SignaturePrivateKey is the creator's 32-byte Ed25519 seed.
	SignaturePrivateKey []byte
	// Capabilities of the creator's leaf; what the group and leaf use is added to them.
	Capabilities   Capabilities
	LeafExtensions Extensions
	// Extensions are the group context extensions, required_capabilities and any custom
	// ones (carried opaque, for the layer above).
	Extensions Extensions
}

// CreateGroup starts a one-member group at epoch 0 (RFC 9420 §11). The creator's leaf gets
// a fresh encryption key; its lifetime is that of a new key package.
func CreateGroup(cfg GroupConfig, opts CreateOptions) (*Group, error) {
	g, err := createGroup(cfg, &opts)
	if err != nil {
		return nil, fmt.Errorf("mls: create group: %w", err)
	}
	return g, nil
}

func createGroup(cfg GroupConfig, opts *CreateOptions) (*Group, error) {
	cs := opts.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, err
	}
	signPriv, err := cs.ExpandSignatureKey(opts.SignaturePrivateKey)
	if err != nil {
		return nil, err
	}
	groupID := opts.GroupID
	if groupID == nil {
		groupID = make([]byte, 16)
		if _, err := io.ReadFull(cfg.rand(), groupID); err != nil {
			return nil, fmt.Errorf("group id: %w", err)
		}
	}
	encPriv, encPub, err := randomHPKEKeyPair(cs, cfg.rand())
	if err != nil {
		return nil, err
	}
	now := cfg.now()
	leaf := LeafNode{
		EncryptionKey: encPub,
		SignatureKey:  slices.Clone(signPriv[ed25519.SeedSize:]),
		Credential:    opts.Credential,
		Capabilities:  completeCapabilities(opts.Capabilities, cs, opts.Credential.Type, opts.LeafExtensions, opts.Extensions),
		Source:        LeafNodeSourceKeyPackage,
		Lifetime: Lifetime{
			NotBefore: uint64(now.Add(-KeyPackageBackdate).Unix()),
			NotAfter:  uint64(now.Add(KeyPackageLifetime).Unix()),
		},
		Extensions: slices.Clone(opts.LeafExtensions),
	}
	if err := leaf.Sign(cs, signPriv, nil, 0); err != nil {
		return nil, err
	}
	tree, err := NewTree(cs, RatchetTree{{Leaf: &leaf}})
	if err != nil {
		return nil, err
	}
	gc := GroupContext{CipherSuite: cs, GroupID: slices.Clone(groupID), TreeHash: tree.Hash(), Extensions: slices.Clone(opts.Extensions)}
	if err := tree.checkLeaf(&leaf, 0, &gc, cfg.leafPolicy()); err != nil {
		return nil, err
	}
	initSecret := make([]byte, cs.HashSize())
	if _, err := io.ReadFull(cfg.rand(), initSecret); err != nil {
		return nil, fmt.Errorf("init secret: %w", err)
	}
	gcBytes := gc.Encode()
	es := cs.EpochSecrets(cs.JoinerSecret(initSecret, nil, gcBytes), nil, gcBytes)
	cur, err := newEpochState(gc, tree, NewPrivateTree(0, encPriv), es)
	if err != nil {
		return nil, err
	}
	return &Group{cfg: cfg, signPriv: signPriv, cur: cur}, nil
}

// newEpochState finishes an epoch whose context, trees and secrets are known: it builds the
// secret tree (dropping the encryption secret) and the transcript hash and tag the epoch's
// confirmation key gives for its confirmed transcript hash.
func newEpochState(gc GroupContext, tree *Tree, priv *PrivateTree, es *EpochSecrets) (*epochState, error) {
	cs := gc.CipherSuite
	keys, err := NewSecretTree(cs, es.Encryption, tree.LeafCount())
	if err != nil {
		return nil, err
	}
	erase(es.Encryption)
	es.Encryption = nil
	tag := cs.ConfirmationTag(es.Confirmation, gc.ConfirmedTranscriptHash)
	return &epochState{
		gc:              gc,
		tree:            tree,
		priv:            priv,
		secrets:         es,
		keys:            keys,
		interim:         cs.InterimTranscriptHash(gc.ConfirmedTranscriptHash, tag),
		confirmationTag: tag,
	}, nil
}

// randomHPKEKeyPair derives an HPKE key pair from Nh bytes of r, so that the caller's
// randomness source decides every key the group makes.
func randomHPKEKeyPair(cs CipherSuite, r io.Reader) (priv, pub []byte, err error) {
	seed := make([]byte, cs.HashSize())
	if _, err := io.ReadFull(r, seed); err != nil {
		return nil, nil, fmt.Errorf("key seed: %w", err)
	}
	defer erase(seed)
	return cs.DeriveHPKEKeyPair(seed)
}

// GroupID returns the group's id.
func (g *Group) GroupID() []byte { return slices.Clone(g.cur.gc.GroupID) }

// Epoch returns the current epoch.
func (g *Group) Epoch() uint64 { return g.cur.gc.Epoch }

// CipherSuite returns the group's cipher suite.
func (g *Group) CipherSuite() CipherSuite { return g.cur.gc.CipherSuite }

// GroupContext returns a copy of the current group context.
func (g *Group) GroupContext() GroupContext {
	gc := g.cur.gc
	gc.GroupID = slices.Clone(gc.GroupID)
	gc.TreeHash = slices.Clone(gc.TreeHash)
	gc.ConfirmedTranscriptHash = slices.Clone(gc.ConfirmedTranscriptHash)
	gc.Extensions = slices.Clone(gc.Extensions)
	return gc
}

// Extensions returns the group context extensions, custom ones included.
func (g *Group) Extensions() Extensions { return slices.Clone(g.cur.gc.Extensions) }

// OwnLeafIndex returns the member's leaf index.
func (g *Group) OwnLeafIndex() LeafIndex { return g.cur.priv.Leaf }

// Member returns the leaf node at i, or nil when the leaf is blank. It must not be modified.
func (g *Group) Member(i LeafIndex) *LeafNode { return g.cur.tree.Leaf(i) }

// Members returns the occupied leaves by index. The leaf nodes must not be modified.
func (g *Group) Members() map[LeafIndex]*LeafNode {
	out := map[LeafIndex]*LeafNode{}
	for i, leaf := range g.cur.tree.Members() {
		out[i] = leaf
	}
	return out
}

// MemberCount returns the number of members.
func (g *Group) MemberCount() int {
	n := 0
	for range g.cur.tree.Members() {
		n++
	}
	return n
}

// EpochAuthenticator returns the epoch authenticator, which members may compare out of band
// to detect a split view of the group.
func (g *Group) EpochAuthenticator() []byte { return slices.Clone(g.cur.secrets.Authenticator) }

// Export is MLS-Exporter of the current epoch (RFC 9420 §8.5).
func (g *Group) Export(label string, context []byte, length int) []byte {
	return g.cur.secrets.Export(label, context, length)
}

// Active returns nil while the member can send, else why not (wrapping ErrGroupInactive).
func (g *Group) Active() error {
	switch g.ended {
	case endRemoved:
		return fmt.Errorf("%w: removed in epoch %d", ErrGroupInactive, g.endedEpoch)
	case endReInit:
		return fmt.Errorf("%w: reinitialized in epoch %d", ErrGroupInactive, g.endedEpoch)
	}
	return nil
}

// RatchetTree returns the tree's node list, as sent in the ratchet_tree extension.
func (g *Group) RatchetTree() RatchetTree { return g.cur.tree.RatchetTree() }

// findLeaf returns the index of the member whose leaf node is exactly leaf.
func findLeaf(t *Tree, leaf *LeafNode) (LeafIndex, bool) {
	want := leaf.Encode()
	for i, l := range t.Members() {
		if bytes.Equal(l.EncryptionKey, leaf.EncryptionKey) && bytes.Equal(l.Encode(), want) {
			return i, true
		}
	}
	return 0, false
}
