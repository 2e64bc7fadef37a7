package mls

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
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
	o, err := OpenWelcome(cfg, w, opts)
	if err != nil {
		return nil, err
	}
	g, _, err := o.Join()
	return g, err
}

// OpenedWelcome is a Welcome opened with the new member's key package: its group secrets
// and GroupInfo decrypted, nothing verified yet. Joining in two steps lets a caller start
// work that needs only the group's context while Join validates the tree (XMTP fetches the
// identities of the members its extensions name); a single JoinGroup is otherwise simpler.
type OpenedWelcome struct {
	cfg       GroupConfig
	opts      JoinOptions
	signPriv  []byte
	secrets   *GroupSecrets
	pskSecret []byte
	info      *GroupInfo
}

// OpenWelcome decrypts this member's group secrets and the GroupInfo of a Welcome.
func OpenWelcome(cfg GroupConfig, w *Welcome, opts JoinOptions) (*OpenedWelcome, error) {
	o, err := decryptWelcome(cfg, w, &opts)
	if err != nil {
		return nil, fmt.Errorf("mls: join from welcome: %w", err)
	}
	return o, nil
}

func decryptWelcome(cfg GroupConfig, w *Welcome, opts *JoinOptions) (*OpenedWelcome, error) {
	kp := &opts.KeyPackage.KeyPackage
	cs := w.CipherSuite
	signPriv, err := cs.ExpandSignatureKey(opts.SignaturePrivateKey)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(signPriv[ed25519.SeedSize:], kp.LeafNode.SignatureKey) {
		return nil, ErrSignatureKeyMismatch
	}
	gs, err := w.OpenGroupSecrets(kp, opts.KeyPackage.InitPrivateKey)
	if err != nil {
		return nil, err
	}
	src := cfg.PSKs
	if src == nil {
		src = noPSKs{}
	}
	psks, err := cs.ResolvePSKs(gs.PSKs, ResumptionApplication, src)
	if err != nil {
		return nil, err
	}
	pskSecret, err := cs.PSKSecret(psks)
	if err != nil {
		return nil, err
	}
	gi, err := w.OpenGroupInfo(cs.WelcomeSecret(gs.JoinerSecret, pskSecret))
	if err != nil {
		return nil, err
	}
	return &OpenedWelcome{cfg: cfg, opts: *opts, signPriv: signPriv, secrets: gs, pskSecret: pskSecret, info: gi}, nil
}

// UnverifiedExtensions returns the extensions of the group's context as the GroupInfo
// states them, before Join has checked its signature: for work whose result is used only
// once Join has succeeded.
func (o *OpenedWelcome) UnverifiedExtensions() Extensions {
	return slices.Clone(o.info.GroupContext.Extensions)
}

// Join verifies the GroupInfo and the tree and joins the group. It also returns the leaf of
// the member that signed the GroupInfo: the member that added this one.
func (o *OpenedWelcome) Join() (*Group, LeafIndex, error) {
	g, err := o.join()
	if err != nil {
		return nil, 0, fmt.Errorf("mls: join from welcome: %w", err)
	}
	return g, LeafIndex(o.info.Signer), nil
}

func (o *OpenedWelcome) join() (*Group, error) {
	cfg, gi, gs, cs := o.cfg, o.info, o.secrets, o.info.GroupContext.CipherSuite
	tree, err := groupInfoTree(&cfg, gi, o.opts.RatchetTree)
	if err != nil {
		return nil, err
	}
	gc := gi.GroupContext
	own, ok := findLeaf(tree, &o.opts.KeyPackage.KeyPackage.LeafNode)
	if !ok {
		return nil, ErrOwnLeafNotFound
	}
	gcBytes := gc.Encode()
	es := cs.EpochSecrets(gs.JoinerSecret, o.pskSecret, gcBytes)
	if !cs.VerifyMAC(es.Confirmation, gc.ConfirmedTranscriptHash, gi.ConfirmationTag) {
		return nil, ErrConfirmationTag
	}
	priv := NewPrivateTree(own, o.opts.KeyPackage.EncryptionPrivateKey)
	if gs.PathSecret != nil {
		if err := priv.SetPathSecret(tree, LeafIndex(gi.Signer), gs.PathSecret); err != nil {
			return nil, err
		}
	}
	cur, err := newEpochState(gc, tree, priv, es)
	if err != nil {
		return nil, err
	}
	return &Group{cfg: cfg, signPriv: o.signPriv, cur: cur}, nil
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
