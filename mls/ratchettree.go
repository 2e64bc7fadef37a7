package mls

import (
	"errors"
	"fmt"
	"iter"
	"math/bits"
	"slices"
)

// Ratchet tree errors.
var (
	// ErrLeafIndexRange reports a leaf index beyond the right edge of the tree.
	ErrLeafIndexRange = errors.New("mls: leaf index outside the ratchet tree")
	// ErrBlankLeaf reports an operation that needs a member at a leaf that is blank.
	ErrBlankLeaf = errors.New("mls: leaf is blank")
)

// Tree is a group's ratchet tree (RFC 9420 §4, §7): a full binary tree in array form whose
// leaves are the members and whose parent nodes hold the HPKE keys TreeKEM encrypts to.
//
// Methods change the tree in place. Nodes are never modified once stored, only replaced,
// so Clone is a cheap copy of the node list: the group state machine stages a commit on a
// clone and keeps the original if anything fails. A Tree caches tree hashes, so even its
// read methods must not be called concurrently.
type Tree struct {
	suite CipherSuite
	// nodes holds every node of the full tree (2n-1 for n leaves, n a power of two); a nil
	// entry is a blank node. Only setNode writes to it.
	nodes []*TreeNode
	// hashes caches the tree hash of each node; nil marks one to recompute. A node's hash
	// depends only on its subtree, so a change invalidates the node and its ancestors.
	hashes [][]byte
}

// NewTree builds a tree of suite cs from the node list of a ratchet_tree extension (or the
// one-leaf list of a group's creator). Trailing blanks missing from the list are restored.
// The tree takes ownership of the nodes: the caller must not modify them afterwards.
func NewTree(cs CipherSuite, rt RatchetTree) (*Tree, error) {
	if err := cs.Check(); err != nil {
		return nil, fmt.Errorf("mls: new ratchet tree: %w", err)
	}
	if len(rt) == 0 || rt[len(rt)-1] == nil {
		return nil, fmt.Errorf("mls: new ratchet tree: %w: empty or ending in a blank node", ErrRatchetTreeShape)
	}
	for i, n := range rt {
		if n == nil {
			continue
		}
		if (n.Leaf == nil) == (n.Parent == nil) || (n.Leaf != nil) != (i%2 == 0) {
			return nil, fmt.Errorf("mls: new ratchet tree: %w: node %d has the wrong type for its position", ErrRatchetTreeShape, i)
		}
	}
	// A list of k nodes needs a tree whose width 2n-1 reaches k, with n a power of two.
	leaves := (len(rt) + 2) / 2
	leaves = 1 << bits.Len(uint(leaves-1))
	nodes := make([]*TreeNode, 2*leaves-1)
	copy(nodes, rt)
	return &Tree{suite: cs, nodes: nodes, hashes: make([][]byte, len(nodes))}, nil
}

// CipherSuite returns the suite whose hash and HPKE the tree uses.
func (t *Tree) CipherSuite() CipherSuite { return t.suite }

// RatchetTree returns the node list of the ratchet_tree extension: the tree without its
// trailing blank nodes. The nodes are shared with the tree and must not be modified.
func (t *Tree) RatchetTree() RatchetTree {
	end := len(t.nodes)
	for end > 0 && t.nodes[end-1] == nil {
		end--
	}
	return slices.Clone(RatchetTree(t.nodes[:end]))
}

// Clone returns a copy of the tree that can be changed without affecting t.
func (t *Tree) Clone() *Tree {
	return &Tree{suite: t.suite, nodes: slices.Clone(t.nodes), hashes: slices.Clone(t.hashes)}
}

// setNode stores n (nil for blank) at x and invalidates the cached hashes it affects.
func (t *Tree) setNode(x NodeIndex, n *TreeNode) {
	t.nodes[x] = n
	t.hashes[x] = nil
	for _, p := range t.size().directPath(x) {
		t.hashes[p] = nil
	}
}

// size is the number of leaf positions, a power of two.
func (t *Tree) size() treeSize { return treeSize((len(t.nodes) + 1) / 2) }

// LeafCount returns the number of leaf positions, blank or not, a power of two.
func (t *Tree) LeafCount() uint32 { return uint32(t.size()) }

// Leaf returns the member at leaf i, or nil when the leaf is blank or outside the tree.
func (t *Tree) Leaf(i LeafIndex) *LeafNode {
	if uint32(i) >= t.LeafCount() || t.nodes[i.Node()] == nil {
		return nil
	}
	return t.nodes[i.Node()].Leaf
}

// Members yields every non-blank leaf with its index, from the left.
func (t *Tree) Members() iter.Seq2[LeafIndex, *LeafNode] {
	return func(yield func(LeafIndex, *LeafNode) bool) {
		for x := 0; x < len(t.nodes); x += 2 {
			if n := t.nodes[x]; n != nil && !yield(NodeIndex(x).leaf(), n.Leaf) {
				return
			}
		}
	}
}

// parent returns the parent node at x, or nil when it is blank.
func (t *Tree) parent(x NodeIndex) *ParentNode {
	if n := t.nodes[x]; n != nil {
		return n.Parent
	}
	return nil
}

// encryptionKey returns the HPKE public key of the non-blank node x.
func (t *Tree) encryptionKey(x NodeIndex) []byte {
	if n := t.nodes[x]; n.Leaf != nil {
		return n.Leaf.EncryptionKey
	}
	return t.nodes[x].Parent.EncryptionKey
}

// checkMember returns an error unless leaf i exists and is occupied.
func (t *Tree) checkMember(i LeafIndex) error {
	if uint32(i) >= t.LeafCount() {
		return fmt.Errorf("%w: leaf %d of %d", ErrLeafIndexRange, i, t.LeafCount())
	}
	if t.nodes[i.Node()] == nil {
		return fmt.Errorf("%w: leaf %d", ErrBlankLeaf, i)
	}
	return nil
}

// FreeLeaf returns the leftmost blank leaf, first doubling the tree when every leaf is
// taken (RFC 9420 §7.7). Add uses it; an external joiner's commit also takes this leaf.
func (t *Tree) FreeLeaf() LeafIndex {
	for x := 0; x < len(t.nodes); x += 2 {
		if t.nodes[x] == nil {
			return NodeIndex(x).leaf()
		}
	}
	i := LeafIndex(t.LeafCount())
	t.nodes = append(t.nodes, make([]*TreeNode, len(t.nodes)+1)...)
	t.hashes = append(t.hashes, make([][]byte, len(t.hashes)+1)...)
	return i
}

// Add places a new member in the leftmost blank leaf, doubling the tree when none is left,
// and records it as unmerged in every non-blank ancestor, because it does not know their
// private keys until a commit path covers it (RFC 9420 §12.1.1).
func (t *Tree) Add(leaf LeafNode) LeafIndex {
	i := t.FreeLeaf()
	t.setNode(i.Node(), &TreeNode{Leaf: &leaf})
	for _, x := range t.size().directPath(i.Node()) {
		p := t.parent(x)
		if p == nil {
			continue
		}
		unmerged := slices.Clone(p.UnmergedLeaves)
		at, _ := slices.BinarySearch(unmerged, uint32(i))
		t.setNode(x, &TreeNode{Parent: &ParentNode{
			EncryptionKey:  p.EncryptionKey,
			ParentHash:     p.ParentHash,
			UnmergedLeaves: slices.Insert(unmerged, at, uint32(i)),
		}})
	}
	return i
}

// Update replaces the member at leaf i and blanks its direct path, whose keys the old
// leaf's holder knew (RFC 9420 §12.1.2).
func (t *Tree) Update(i LeafIndex, leaf LeafNode) error {
	if err := t.checkMember(i); err != nil {
		return fmt.Errorf("mls: update leaf: %w", err)
	}
	t.setNode(i.Node(), &TreeNode{Leaf: &leaf})
	t.blankDirectPath(i)
	return nil
}

// Remove blanks leaf i and its direct path, then drops right halves of the tree that hold
// no member (RFC 9420 §12.1.3).
func (t *Tree) Remove(i LeafIndex) error {
	if err := t.checkMember(i); err != nil {
		return fmt.Errorf("mls: remove leaf: %w", err)
	}
	t.setNode(i.Node(), nil)
	t.blankDirectPath(i)
	t.truncate()
	return nil
}

// truncate halves the tree while its right subtree has no member. The root goes with the
// right half whether or not it is blank; the hashes of the nodes kept stay valid.
func (t *Tree) truncate() {
	for n := len(t.nodes); n > 1; n = len(t.nodes) {
		root := (n - 1) / 2
		for x := root + 1; x < n; x += 2 {
			if t.nodes[x] != nil {
				return
			}
		}
		t.nodes, t.hashes = t.nodes[:root], t.hashes[:root]
	}
}

// blankDirectPath blanks every ancestor of leaf i.
func (t *Tree) blankDirectPath(i LeafIndex) {
	for _, x := range t.size().directPath(i.Node()) {
		t.setNode(x, nil)
	}
}

// Resolution returns the non-blank nodes that together cover the subtree under x: x itself
// with its unmerged leaves when it is not blank, else the resolutions of its children
// (RFC 9420 §4.1.1). Encrypting to each of them reaches exactly the members below x.
func (t *Tree) Resolution(x NodeIndex) []NodeIndex {
	return t.appendResolution(nil, x, nil)
}

// appendResolution appends the resolution of x to dst, leaving out the leaves in exclude
// (members added by the commit being made, who get their secrets from the Welcome).
func (t *Tree) appendResolution(dst []NodeIndex, x NodeIndex, exclude []LeafIndex) []NodeIndex {
	n := t.nodes[x]
	switch {
	case n != nil && n.Leaf != nil:
		if !slices.Contains(exclude, x.leaf()) {
			dst = append(dst, x)
		}
	case n != nil:
		dst = append(dst, x)
		for _, u := range n.Parent.UnmergedLeaves {
			if !slices.Contains(exclude, LeafIndex(u)) {
				dst = append(dst, LeafIndex(u).Node())
			}
		}
	case !x.isLeaf():
		dst = t.appendResolution(dst, x.left(), exclude)
		dst = t.appendResolution(dst, x.right(), exclude)
	}
	return dst
}

// resolutionEmpty reports whether no non-blank node covers the subtree under x.
func (t *Tree) resolutionEmpty(x NodeIndex) bool {
	if t.nodes[x] != nil {
		return false
	}
	return x.isLeaf() || (t.resolutionEmpty(x.left()) && t.resolutionEmpty(x.right()))
}

// FilteredDirectPath returns the ancestors of leaf i that need keys in an UpdatePath from i,
// bottom up, with the child of each on i's copath. An ancestor is left out when that copath
// child covers no member: its key would only reach i's own side (RFC 9420 §4.1.2).
func (t *Tree) FilteredDirectPath(i LeafIndex) (path, copath []NodeIndex) {
	n := t.size()
	dp, cp := n.directPath(i.Node()), n.copath(i.Node())
	for k, x := range dp {
		if !t.resolutionEmpty(cp[k]) {
			path = append(path, x)
			copath = append(copath, cp[k])
		}
	}
	return path, copath
}

// covers reports whether y is x or lies in the subtree under x.
func (x NodeIndex) covers(y NodeIndex) bool {
	half := NodeIndex(1)<<x.level() - 1
	return y >= x-half && y <= x+half
}
