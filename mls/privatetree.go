package mls

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// Private tree errors.
var (
	// ErrPathKeyMismatch reports a path secret whose derived public key is not the one in the
	// tree: the secret is wrong or the tree was not built from it.
	ErrPathKeyMismatch = errors.New("mls: key derived from path secret does not match the tree")
	// ErrPrivateTreeNode reports stored private state for a node that is not an ancestor of
	// the member's leaf, or nodes out of order.
	ErrPrivateTreeNode = errors.New("mls: private key stored for a node off the member's direct path")
)

// PrivateTree is the part of the ratchet tree only one member knows: the HPKE private key
// of its leaf and those of the parent nodes on its direct path that it learned from commits
// (RFC 9420 §4.2, the tree invariant). The group state persists it with the public tree.
type PrivateTree struct {
	// Leaf is the member's leaf index.
	Leaf LeafIndex
	// LeafKey is the private key of the leaf's encryption_key.
	LeafKey []byte
	// nodes maps parent nodes to their key pairs. The public half is kept so that a key whose
	// node was replaced or blanked is recognized and dropped without deriving anything.
	nodes map[NodeIndex]hpkeKeyPairBytes
}

// hpkeKeyPairBytes is a serialized HPKE key pair.
type hpkeKeyPairBytes struct{ priv, pub []byte }

// NewPrivateTree returns the private state of a member at leaf with no parent keys yet, as
// when joining (before the Welcome's path secret is applied).
func NewPrivateTree(leaf LeafIndex, leafKey []byte) *PrivateTree {
	return &PrivateTree{Leaf: leaf, LeafKey: leafKey, nodes: map[NodeIndex]hpkeKeyPairBytes{}}
}

// Clone returns a copy that can be changed without affecting p; key bytes are shared
// because they are never modified in place.
func (p *PrivateTree) Clone() *PrivateTree {
	return &PrivateTree{Leaf: p.Leaf, LeafKey: p.LeafKey, nodes: maps.Clone(p.nodes)}
}

// privateKey returns the private key for node x of t if p holds the one matching the tree.
func (p *PrivateTree) privateKey(t *Tree, x NodeIndex) ([]byte, bool) {
	if x == p.Leaf.Node() {
		return p.LeafKey, p.LeafKey != nil
	}
	kp, ok := p.nodes[x]
	if !ok || t.parent(x) == nil || !bytes.Equal(kp.pub, t.parent(x).EncryptionKey) {
		return nil, false
	}
	return kp.priv, true
}

// SetPathSecret applies the path secret a Welcome carries: the secret of the lowest node
// shared by this member's direct path and the committer's. It derives the keys of that node
// and of every non-blank node above it, which the commit set from the same chain, and checks
// each against the tree (RFC 9420 §12.4.3.1).
func (p *PrivateTree) SetPathSecret(t *Tree, committer LeafIndex, pathSecret []byte) error {
	cs := t.suite
	x := commonAncestor(p.Leaf.Node(), committer.Node())
	path := append([]NodeIndex{x}, t.size().directPath(x)...)
	derived := map[NodeIndex]hpkeKeyPairBytes{}
	for _, y := range path {
		if t.parent(y) == nil {
			if y == x {
				return fmt.Errorf("mls: set path secret: %w: node %d is blank", ErrPathKeyMismatch, y)
			}
			continue
		}
		kp, err := t.nodeKeyPair(y, pathSecret)
		if err != nil {
			return fmt.Errorf("mls: set path secret: %w", err)
		}
		derived[y] = kp
		pathSecret = cs.DeriveSecret(pathSecret, "path")
	}
	p.store(derived)
	return nil
}

// store adds key pairs, so that a PrivateTree built as a literal works too.
func (p *PrivateTree) store(keys map[NodeIndex]hpkeKeyPairBytes) {
	if p.nodes == nil {
		p.nodes = map[NodeIndex]hpkeKeyPairBytes{}
	}
	maps.Copy(p.nodes, keys)
}

// nodeKeyPair derives the key pair of parent node x from its path secret and checks it
// against the public key in the tree.
func (t *Tree) nodeKeyPair(x NodeIndex, pathSecret []byte) (hpkeKeyPairBytes, error) {
	kp, err := deriveNodeKeyPair(t.suite, pathSecret)
	if err != nil {
		return hpkeKeyPairBytes{}, err
	}
	if p := t.parent(x); p == nil || !bytes.Equal(p.EncryptionKey, kp.pub) {
		return hpkeKeyPairBytes{}, fmt.Errorf("%w: node %d", ErrPathKeyMismatch, x)
	}
	return kp, nil
}

// Prune deletes the keys of nodes that t no longer holds them for: blanked or replaced by
// proposals, or cut off by truncation. Deleting them is what gives forward secrecy.
func (p *PrivateTree) Prune(t *Tree) {
	maps.DeleteFunc(p.nodes, func(x NodeIndex, kp hpkeKeyPairBytes) bool {
		return int(x) >= len(t.nodes) || t.parent(x) == nil || !bytes.Equal(t.parent(x).EncryptionKey, kp.pub)
	})
}

// Marshal writes the private tree: leaf index, leaf key, then each parent node's index and
// key pair in increasing node order, so the encoding is deterministic.
func (p *PrivateTree) Marshal(e *Encoder) {
	e.U32(uint32(p.Leaf))
	e.Opaque(p.LeafKey)
	e.Vector(func(e *Encoder) {
		for _, x := range slices.Sorted(maps.Keys(p.nodes)) {
			e.U32(uint32(x))
			e.Opaque(p.nodes[x].priv)
			e.Opaque(p.nodes[x].pub)
		}
	})
}

// Unmarshal reads a private tree, rejecting nodes that are not ancestors of the leaf or
// that are out of order.
func (p *PrivateTree) Unmarshal(d *Decoder) {
	p.Leaf = LeafIndex(d.U32())
	p.LeafKey = d.Opaque()
	p.nodes = map[NodeIndex]hpkeKeyPairBytes{}
	last := NodeIndex(0)
	d.Vector(func(d *Decoder) {
		x := NodeIndex(d.U32())
		kp := hpkeKeyPairBytes{priv: d.Opaque(), pub: d.Opaque()}
		if d.Err() != nil {
			return
		}
		if x.isLeaf() || x <= last || !x.covers(p.Leaf.Node()) {
			d.Fail(fmt.Errorf("%w: node %d", ErrPrivateTreeNode, x))
			return
		}
		last = x
		p.nodes[x] = kp
	})
}

// Encode returns the serialized private tree.
func (p *PrivateTree) Encode() []byte { return encode(p, 64+96*len(p.nodes)) }

// DecodePrivateTree parses what Encode produced.
func DecodePrivateTree(b []byte) (*PrivateTree, error) {
	p, err := decode[PrivateTree]("private tree", b)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
