package mls

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// TreeKEM (RFC 9420 §7.4-7.6): a committer gives every node on its filtered direct path a
// fresh key pair derived from a chain of path secrets, and encrypts each secret to the part
// of the group below that node's other child. Each member decrypts the one secret meant for
// its subtree and derives the rest of the chain, ending in the commit secret.

// TreeKEM errors.
var (
	// ErrUpdatePathLength reports an UpdatePath whose node count differs from the sender's
	// filtered direct path.
	ErrUpdatePathLength = errors.New("mls: update path length does not match the filtered direct path")
	// ErrUpdatePathCiphertexts reports an UpdatePath node whose ciphertext count differs from
	// the resolution of its copath child.
	ErrUpdatePathCiphertexts = errors.New("mls: update path ciphertext count does not match the copath resolution")
	// ErrUpdatePathKeyReused reports an UpdatePath public key already present in the tree or
	// used twice in the path.
	ErrUpdatePathKeyReused = errors.New("mls: update path reuses an encryption key")
	// ErrNoPathDecryptionKey reports a receiver holding no private key for any ciphertext meant
	// for its subtree.
	ErrNoPathDecryptionKey = errors.New("mls: no private key to decrypt the update path")
	// ErrOwnUpdatePath reports an attempt to apply an UpdatePath as its own sender, who must
	// keep the result of CreateUpdatePath instead.
	ErrOwnUpdatePath = errors.New("mls: update path sent by this member")
)

// PathSecrets is the chain of path secrets of one UpdatePath as far as a member knows it.
type PathSecrets struct {
	// Nodes are the filtered direct path nodes whose secrets are known, bottom up: all of
	// them for the committer, those above the receiver's branch point for a receiver.
	Nodes []NodeIndex
	// Secrets holds the path secret of each node in Nodes.
	Secrets [][]byte
	// CommitSecret is the secret after the last node, the key schedule's commit_secret. It is
	// nil when the path was merged without private state.
	CommitSecret []byte
}

// At returns the path secret of node x, or nil when it is not known. A committer reads the
// secret of the lowest common ancestor of itself and each new member here for the Welcome.
func (s *PathSecrets) At(x NodeIndex) []byte {
	for k, y := range s.Nodes {
		if y == x {
			return s.Secrets[k]
		}
	}
	return nil
}

// UpdatePathOptions describes the UpdatePath CreateUpdatePath makes.
type UpdatePathOptions struct {
	// Leaf is the committer's new leaf node. Its encryption key, source, lifetime, parent
	// hash and signature are set by CreateUpdatePath; the rest (signature key, credential,
	// capabilities, extensions) is used as given.
	Leaf LeafNode
	// SignaturePrivateKey is the Ed25519 seed matching Leaf.SignatureKey.
	SignaturePrivateKey []byte
	// Exclude lists the leaves added by the same commit: they learn the path secrets from
	// the Welcome, so nothing is encrypted to them (RFC 9420 §7.6).
	Exclude []LeafIndex
	// Rand supplies the leaf secret and the first path secret.
	Rand io.Reader
}

// CreatedPath is the result of CreateUpdatePath.
type CreatedPath struct {
	// Path goes into the Commit.
	Path UpdatePath
	// Private replaces the committer's private tree once the commit is merged.
	Private *PrivateTree
	// Secrets holds every path secret and the commit secret.
	Secrets *PathSecrets
}

// CreateUpdatePath refreshes the committer's leaf and filtered direct path in t with fresh
// keys (RFC 9420 §7.5, §12.4.1). gc is the provisional group context: on return its TreeHash
// is the hash of the updated tree, which is also the context the path secrets are encrypted
// under. t must already hold the commit's proposals; on error it must be discarded, so call
// this on a Clone.
func (t *Tree) CreateUpdatePath(committer LeafIndex, gc *GroupContext, opts UpdatePathOptions) (*CreatedPath, error) {
	out, err := t.createUpdatePath(committer, gc, &opts)
	if err != nil {
		return nil, fmt.Errorf("mls: create update path for leaf %d: %w", committer, err)
	}
	return out, nil
}

func (t *Tree) createUpdatePath(committer LeafIndex, gc *GroupContext, opts *UpdatePathOptions) (*CreatedPath, error) {
	cs := t.suite
	if uint32(committer) >= t.LeafCount() {
		return nil, ErrLeafIndexRange
	}
	path, copath := t.FilteredDirectPath(committer)
	leafSecret, secret := make([]byte, cs.HashSize()), make([]byte, cs.HashSize())
	if _, err := io.ReadFull(opts.Rand, leafSecret); err != nil {
		return nil, fmt.Errorf("read randomness: %w", err)
	}
	if _, err := io.ReadFull(opts.Rand, secret); err != nil {
		return nil, fmt.Errorf("read randomness: %w", err)
	}
	leafPriv, leafPub, err := cs.DeriveHPKEKeyPair(leafSecret)
	if err != nil {
		return nil, err
	}
	out := &CreatedPath{
		Path:    UpdatePath{Nodes: make([]UpdatePathNode, len(path))},
		Private: NewPrivateTree(committer, leafPriv),
		Secrets: &PathSecrets{Nodes: path},
	}
	keys := make([][]byte, len(path))
	for k, x := range path {
		kp, err := deriveNodeKeyPair(cs, secret)
		if err != nil {
			return nil, err
		}
		out.Private.nodes[x] = kp
		out.Secrets.Secrets = append(out.Secrets.Secrets, secret)
		out.Path.Nodes[k].EncryptionKey, keys[k] = kp.pub, kp.pub
		secret = cs.DeriveSecret(secret, "path")
	}
	out.Secrets.CommitSecret = secret

	leaf := opts.Leaf
	leaf.EncryptionKey = leafPub
	leaf.Source = LeafNodeSourceCommit
	leaf.Lifetime = Lifetime{}
	leaf.ParentHash = t.mergePath(committer, path, copath, keys)
	if err := leaf.Sign(cs, opts.SignaturePrivateKey, gc.GroupID, uint32(committer)); err != nil {
		return nil, err
	}
	t.setNode(committer.Node(), &TreeNode{Leaf: &leaf})
	out.Path.LeafNode = leaf
	gc.TreeHash = t.Hash()

	if err := t.encryptPathSecrets(out, copath, opts.Exclude, gc.Encode()); err != nil {
		return nil, err
	}
	return out, nil
}

// encryptPathSecrets seals each path secret to every node of its copath child's resolution
// under the provisional group context. The encryptions are independent, so they are spread
// over the available CPUs: a commit adding many members to a fresh tree encrypts to nearly
// all of them. Under js/wasm there is one CPU and they run one after another.
func (t *Tree) encryptPathSecrets(out *CreatedPath, copath []NodeIndex, exclude []LeafIndex, context []byte) error {
	type seal struct {
		k, j int
		to   NodeIndex
	}
	var seals []seal
	for k := range copath {
		res := t.appendResolution(nil, copath[k], exclude)
		out.Path.Nodes[k].EncryptedPathSecret = make([]HPKECiphertext, len(res))
		for j, r := range res {
			seals = append(seals, seal{k, j, r})
		}
	}
	errs := make([]error, len(seals))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(seals)) {
		wg.Go(func() {
			for n := int(next.Add(1) - 1); n < len(seals); n = int(next.Add(1) - 1) {
				s := seals[n]
				kem, ct, err := t.suite.EncryptWithLabel(t.encryptionKey(s.to), "UpdatePathNode", context, out.Secrets.Secrets[s.k])
				out.Path.Nodes[s.k].EncryptedPathSecret[s.j] = HPKECiphertext{KEMOutput: kem, Ciphertext: ct}
				errs[n] = err
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WelcomeSecret returns the path secret the Welcome gives the member added at leaf joiner:
// that of the lowest node above both it and the committer (RFC 9420 §12.4.3.1).
func (c *CreatedPath) WelcomeSecret(joiner LeafIndex) []byte {
	return c.Secrets.At(commonAncestor(c.Private.Leaf.Node(), joiner.Node()))
}

// mergePath blanks the direct path of leaf i and sets the nodes of its filtered direct path
// to fresh parent nodes with the given keys and no unmerged leaves. Parent hashes are
// chained from the root down (RFC 9420 §7.9); the one the leaf must carry is returned. Each
// needs the tree hash of a copath child, which the path does not touch, so hashes taken
// before the change serve.
func (t *Tree) mergePath(i LeafIndex, path, copath []NodeIndex, keys [][]byte) []byte {
	h := t.treeHashes()
	copathHashes := make([][]byte, len(copath))
	for k, x := range copath {
		copathHashes[k] = h[x]
	}
	t.blankDirectPath(i)
	var above []byte
	for k := len(path) - 1; k >= 0; k-- {
		p := &ParentNode{EncryptionKey: keys[k], ParentHash: above}
		t.setNode(path[k], &TreeNode{Parent: p})
		above = t.parentHash(p, copathHashes[k])
	}
	return above
}

// deriveNodeKeyPair derives a node's key pair from its path secret through the node secret,
// so that each secret feeds only one algorithm (RFC 9420 §7.4).
func deriveNodeKeyPair(cs CipherSuite, pathSecret []byte) (hpkeKeyPairBytes, error) {
	priv, pub, err := cs.DeriveHPKEKeyPair(cs.DeriveSecret(pathSecret, "node"))
	if err != nil {
		return hpkeKeyPairBytes{}, err
	}
	return hpkeKeyPairBytes{priv: priv, pub: pub}, nil
}

// ApplyPathOptions is what ApplyUpdatePath needs besides the path.
type ApplyPathOptions struct {
	// Private is the receiver's private tree. When set, the path secret for its subtree is
	// decrypted, the chain derived and checked, and Private updated in place on success, so
	// a caller staging a commit passes a Clone. When nil the path is only checked and
	// merged, as a server or an observer would.
	Private *PrivateTree
	// Exclude lists the leaves added by the same commit, left out of the resolutions.
	Exclude []LeafIndex
	// Policy is passed to the validation of the path's leaf node.
	Policy *LeafPolicy
}

// ApplyUpdatePath checks the UpdatePath a commit from sender carries and merges it into t
// (RFC 9420 §7.5, §12.4.2): its leaf node must validate as a commit leaf, no key may already
// be in the tree, the ciphertext counts must match the resolutions, and the leaf's parent
// hash must match the path. gc is the provisional group context; on return its TreeHash is
// the hash of the updated tree. On error t must be discarded, so call this on a Clone.
func (t *Tree) ApplyUpdatePath(sender LeafIndex, up *UpdatePath, gc *GroupContext, opts ApplyPathOptions) (*PathSecrets, error) {
	s, err := t.applyUpdatePath(sender, up, gc, &opts)
	if err != nil {
		return nil, fmt.Errorf("mls: apply update path from leaf %d: %w", sender, err)
	}
	return s, nil
}

func (t *Tree) applyUpdatePath(sender LeafIndex, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) (*PathSecrets, error) {
	if uint32(sender) >= t.LeafCount() {
		return nil, ErrLeafIndexRange
	}
	path, copath := t.FilteredDirectPath(sender)
	if len(up.Nodes) != len(path) {
		return nil, fmt.Errorf("%w: %d nodes, want %d", ErrUpdatePathLength, len(up.Nodes), len(path))
	}
	if err := t.ValidateLeaf(&up.LeafNode, sender, LeafNodeSourceCommit, gc, opts.Policy); err != nil {
		return nil, err
	}
	if err := t.checkPathKeysFresh(up); err != nil {
		return nil, err
	}
	resolutions := make([][]NodeIndex, len(path))
	for k := range path {
		if err := checkHPKEKeySize(t.suite, up.Nodes[k].EncryptionKey); err != nil {
			return nil, fmt.Errorf("node %d: %w", path[k], err)
		}
		resolutions[k] = t.appendResolution(nil, copath[k], opts.Exclude)
		if got := len(up.Nodes[k].EncryptedPathSecret); got != len(resolutions[k]) {
			return nil, fmt.Errorf("%w: node %d has %d, want %d", ErrUpdatePathCiphertexts, path[k], got, len(resolutions[k]))
		}
	}

	keys := make([][]byte, len(path))
	for k := range up.Nodes {
		keys[k] = up.Nodes[k].EncryptionKey
	}
	if ph := t.mergePath(sender, path, copath, keys); !bytes.Equal(ph, up.LeafNode.ParentHash) {
		return nil, ErrLeafParentHash
	}
	leaf := up.LeafNode
	t.setNode(sender.Node(), &TreeNode{Leaf: &leaf})
	gc.TreeHash = t.Hash()

	if opts.Private == nil {
		return &PathSecrets{}, nil
	}
	return t.decryptPath(sender, up, path, copath, resolutions, gc, opts.Private)
}

// checkPathKeysFresh requires every public key of the path to be new to the tree and used
// once, the committer's own old keys included (RFC 9420 §12.4.2). The path's few keys go in
// a set that the tree's keys are looked up in, which allocates nothing per tree node.
func (t *Tree) checkPathKeysFresh(up *UpdatePath) error {
	keys := make(map[string]bool, len(up.Nodes)+1)
	keys[string(up.LeafNode.EncryptionKey)] = true
	for k := range up.Nodes {
		if keys[string(up.Nodes[k].EncryptionKey)] {
			return fmt.Errorf("%w: twice in the path", ErrUpdatePathKeyReused)
		}
		keys[string(up.Nodes[k].EncryptionKey)] = true
	}
	for x, n := range t.nodes {
		if n != nil && keys[string(t.encryptionKey(NodeIndex(x)))] {
			return fmt.Errorf("%w: already at node %d", ErrUpdatePathKeyReused, x)
		}
	}
	return nil
}

// decryptPath finds the path node whose copath child covers the receiver, decrypts its
// secret with a key the receiver holds for that child's resolution, derives the secrets
// above it, checks them against the merged keys, and records the new keys in priv.
func (t *Tree) decryptPath(sender LeafIndex, up *UpdatePath, path, copath []NodeIndex, resolutions [][]NodeIndex, gc *GroupContext, priv *PrivateTree) (*PathSecrets, error) {
	cs := t.suite
	if priv.Leaf == sender {
		return nil, ErrOwnUpdatePath
	}
	k := 0
	for k < len(path) && !copath[k].covers(priv.Leaf.Node()) {
		k++
	}
	if k == len(path) {
		return nil, fmt.Errorf("%w: leaf %d is below no copath node", ErrNoPathDecryptionKey, priv.Leaf)
	}
	var secret []byte
	for j, r := range resolutions[k] {
		key, ok := priv.privateKey(t, r)
		if !ok {
			continue
		}
		ct := &up.Nodes[k].EncryptedPathSecret[j]
		var err error
		if secret, err = cs.DecryptWithLabel(key, "UpdatePathNode", gc.Encode(), ct.KEMOutput, ct.Ciphertext); err != nil {
			return nil, fmt.Errorf("node %d: %w", path[k], err)
		}
		break
	}
	if secret == nil {
		return nil, fmt.Errorf("%w: node %d", ErrNoPathDecryptionKey, path[k])
	}
	out := &PathSecrets{Nodes: path[k:]}
	derived := make(map[NodeIndex]hpkeKeyPairBytes, len(path)-k)
	for _, x := range path[k:] {
		kp, err := t.nodeKeyPair(x, secret)
		if err != nil {
			return nil, err
		}
		derived[x] = kp
		out.Secrets = append(out.Secrets, secret)
		secret = cs.DeriveSecret(secret, "path")
	}
	out.CommitSecret = secret
	// The sender's direct path was blanked and refilled, so keys held for it are stale.
	for _, x := range t.size().directPath(sender.Node()) {
		delete(priv.nodes, x)
	}
	priv.store(derived)
	return out, nil
}
