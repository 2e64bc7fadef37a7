package mls

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
)

// Joining from a Welcome (RFC 9420 §12.4.3.1): open this member's group secrets with its key
// package's init key, derive the welcome secret with any PSKs, decrypt and verify the
// GroupInfo, take the ratchet tree from it or from the caller, validate the tree, find the
// member's own leaf, install the path secret the committer shared, and check the
// confirmation tag against the key schedule.

// JoinOptions is what a new member brings to JoinGroup.
type JoinOptions struct {
	// KeyPackage is the bundle whose key package the Welcome was made for.
	KeyPackage *KeyPackageBundle
	// SignaturePrivateKey is the 32-byte Ed25519 seed of the key package's leaf.
	SignaturePrivateKey []byte
	// RatchetTree is the tree given out of band, used when the GroupInfo has no
	// ratchet_tree extension.
	RatchetTree RatchetTree
}

// JoinGroup joins the group a Welcome invites this member to.
func JoinGroup(cfg GroupConfig, w *Welcome, opts JoinOptions) (*Group, error) {
	g, _, err := JoinGroupWithSigner(cfg, w, opts)
	return g, err
}

func joinGroup(cfg GroupConfig, w *Welcome, opts *JoinOptions) (*Group, LeafIndex, error) {
	kp := &opts.KeyPackage.KeyPackage
	cs := w.CipherSuite
	signPriv, err := cs.ExpandSignatureKey(opts.SignaturePrivateKey)
	if err != nil {
		return nil, 0, err
	}
	if !bytes.Equal(signPriv[ed25519.SeedSize:], kp.LeafNode.SignatureKey) {
		return nil, 0, ErrSignatureKeyMismatch
	}
	gs, err := w.OpenGroupSecrets(kp, opts.KeyPackage.InitPrivateKey)
	if err != nil {
		return nil, 0, err
	}
	src := cfg.PSKs
	if src == nil {
		src = noPSKs{}
	}
	psks, err := cs.ResolvePSKs(gs.PSKs, ResumptionApplication, src)
	if err != nil {
		return nil, 0, err
	}
	pskSecret, err := cs.PSKSecret(psks)
	if err != nil {
		return nil, 0, err
	}
	gi, err := w.OpenGroupInfo(cs.WelcomeSecret(gs.JoinerSecret, pskSecret))
	if err != nil {
		return nil, 0, err
	}
	tree, err := groupInfoTree(&cfg, gi, opts.RatchetTree)
	if err != nil {
		return nil, 0, err
	}
	gc := gi.GroupContext
	own, ok := findLeaf(tree, &kp.LeafNode)
	if !ok {
		return nil, 0, ErrOwnLeafNotFound
	}
	gcBytes := gc.Encode()
	es := cs.EpochSecrets(gs.JoinerSecret, pskSecret, gcBytes)
	if !cs.VerifyMAC(es.Confirmation, gc.ConfirmedTranscriptHash, gi.ConfirmationTag) {
		return nil, 0, ErrConfirmationTag
	}
	priv := NewPrivateTree(own, opts.KeyPackage.EncryptionPrivateKey)
	if gs.PathSecret != nil {
		if err := priv.SetPathSecret(tree, LeafIndex(gi.Signer), gs.PathSecret); err != nil {
			return nil, 0, err
		}
	}
	cur, err := newEpochState(gc, tree, priv, es)
	if err != nil {
		return nil, 0, err
	}
	return &Group{cfg: cfg, signPriv: signPriv, cur: cur}, LeafIndex(gi.Signer), nil
}

// groupInfoTree returns the validated ratchet tree of the group a GroupInfo describes, from
// its ratchet_tree extension or else outOfBand, after checking the GroupInfo's signature
// with its signer's key in that tree.
func groupInfoTree(cfg *GroupConfig, gi *GroupInfo, outOfBand RatchetTree) (*Tree, error) {
	rt, ok, err := gi.RatchetTree()
	if err != nil {
		return nil, err
	}
	if !ok {
		if outOfBand == nil {
			return nil, ErrRatchetTreeMissing
		}
		rt = outOfBand
	}
	tree, err := NewTree(gi.GroupContext.CipherSuite, rt)
	if err != nil {
		return nil, err
	}
	signer := tree.Leaf(LeafIndex(gi.Signer))
	if signer == nil {
		return nil, fmt.Errorf("%w: group info signer %d", ErrSenderNotMember, gi.Signer)
	}
	if err := gi.VerifySignature(signer.SignatureKey); err != nil {
		return nil, err
	}
	// Leaves in a received tree may have been added long ago, so their key package lifetimes
	// are not checked (RFC 9420 §7.3 asks it only of leaves being added).
	if err := tree.Validate(&gi.GroupContext, &LeafPolicy{CheckCredential: cfg.CheckCredential}); err != nil {
		return nil, err
	}
	return tree, nil
}

// noPSKs is the PSK source of a joiner given none.
type noPSKs struct{}

func (noPSKs) ExternalPSK([]byte) ([]byte, bool)           { return nil, false }
func (noPSKs) ResumptionPSK([]byte, uint64) ([]byte, bool) { return nil, false }
