package mls

import "math/bits"

// Tree math over the array representation of a ratchet tree (RFC 9420 §4.1, Appendix C).
// Leaves sit at even node indices and parents at odd ones; a parent's level is the number
// of trailing one bits of its index. RFC 9420 trees are always full: the number of leaves is
// a power of two, so every node but the root has a parent inside the tree.

// LeafIndex numbers the leaves of a ratchet tree from the left, starting at 0.
type LeafIndex uint32

// NodeIndex numbers all nodes of a ratchet tree in array order.
type NodeIndex uint32

// Node returns the node index of leaf l.
func (l LeafIndex) Node() NodeIndex { return NodeIndex(2 * l) }

// isLeaf reports whether x is a leaf.
func (x NodeIndex) isLeaf() bool { return x&1 == 0 }

// leaf returns the leaf index of x, which must be a leaf.
func (x NodeIndex) leaf() LeafIndex { return LeafIndex(x >> 1) }

// level is the height of x above the leaves (0 for a leaf).
func (x NodeIndex) level() uint { return uint(bits.TrailingZeros32(^uint32(x))) }

// left returns the left child of x, which must be a parent.
func (x NodeIndex) left() NodeIndex { return x ^ 1<<(x.level()-1) }

// right returns the right child of x, which must be a parent.
func (x NodeIndex) right() NodeIndex { return x ^ 3<<(x.level()-1) }

// treeSize is the number of leaves of a full ratchet tree, a power of two.
type treeSize uint32

// width is the number of nodes of the tree.
func (n treeSize) width() uint32 {
	if n == 0 {
		return 0
	}
	return 2*uint32(n) - 1
}

// root returns the index of the root node, 2^k - 1 for a tree of 2^k leaves.
func (n treeSize) root() NodeIndex { return NodeIndex(n - 1) }

// parent returns the parent of x, which must not be the root.
func (x NodeIndex) parent() NodeIndex {
	k := x.level()
	b := (x >> (k + 1)) & 1
	return (x | 1<<k) ^ b<<(k+1)
}

// sibling returns the other child of x's parent; x must not be the root.
func (x NodeIndex) sibling() NodeIndex {
	p := x.parent()
	if x < p {
		return p.right()
	}
	return p.left()
}

// directPath lists the ancestors of x from its parent up to and including the root.
func (n treeSize) directPath(x NodeIndex) []NodeIndex {
	r := n.root()
	path := make([]NodeIndex, 0, r.level())
	for x != r {
		x = x.parent()
		path = append(path, x)
	}
	return path
}

// copath lists the siblings of x and of each of its ancestors below the root, bottom up.
func (n treeSize) copath(x NodeIndex) []NodeIndex {
	r := n.root()
	path := make([]NodeIndex, 0, r.level())
	for x != r {
		path = append(path, x.sibling())
		x = x.parent()
	}
	return path
}

// commonAncestor returns the lowest node whose subtree holds both x and y. Nodes under one
// parent share every index bit above the parent's level, so the ancestor is found where the
// two indices stop differing once their low bits are shifted away.
func commonAncestor(x, y NodeIndex) NodeIndex {
	if x == y {
		return x
	}
	lx, ly := x.level()+1, y.level()+1
	if lx <= ly && x>>ly == y>>ly {
		return y
	}
	if ly <= lx && x>>lx == y>>lx {
		return x
	}
	k := uint(bits.Len32(uint32(x ^ y)))
	return (x>>k)<<k | (1<<(k-1) - 1)
}
