package mls

import "slices"

// Tree hashes (RFC 9420 §7.8): each node's hash summarizes its subtree, and the root's is the
// GroupContext's tree_hash, through which the key schedule confirms that every member holds
// the same tree.

// Hash returns the tree hash of the root.
func (t *Tree) Hash() []byte {
	return t.treeHashes()[t.size().root()]
}

// treeHashes returns the tree hash of every node, recomputing those changed since the last
// call level by level from the leaves, so that each is hashed once. The slice is the
// tree's cache: callers must not modify it.
func (t *Tree) treeHashes() [][]byte {
	h := t.hashes
	for x := 0; x < len(t.nodes); x += 2 {
		if h[x] == nil {
			h[x] = t.leafHash(NodeIndex(x), t.nodes[x] != nil)
		}
	}
	for k := uint(1); 1<<k <= len(t.nodes); k++ {
		for x := NodeIndex(1)<<k - 1; int(x) < len(t.nodes); x += 1 << (k + 1) {
			if h[x] == nil {
				h[x] = t.parentTreeHash(t.parent(x), h[x.left()], h[x.right()])
			}
		}
	}
	return h
}

// leafHash hashes LeafNodeHashInput for leaf x; present false hashes it as blank.
func (t *Tree) leafHash(x NodeIndex, present bool) []byte {
	e := NewEncoder(512)
	e.U8(uint8(NodeTypeLeaf))
	e.U32(uint32(x.leaf()))
	e.Optional(present, func(e *Encoder) { t.nodes[x].Leaf.Marshal(e) })
	return t.suite.Hash(e.Bytes())
}

// parentTreeHash hashes ParentNodeHashInput for a parent node (nil when blank) whose
// children hash to left and right.
func (t *Tree) parentTreeHash(p *ParentNode, left, right []byte) []byte {
	e := NewEncoder(256)
	e.U8(uint8(NodeTypeParent))
	e.Optional(p != nil, func(e *Encoder) { marshalParentNode(e, p) })
	e.Opaque(left)
	e.Opaque(right)
	return t.suite.Hash(e.Bytes())
}

// marshalParentNode writes a ParentNode in its wire form (RFC 9420 §7.1).
func marshalParentNode(e *Encoder, p *ParentNode) {
	e.Opaque(p.EncryptionKey)
	e.Opaque(p.ParentHash)
	encodeU32s(e, p.UnmergedLeaves)
}

// originalTreeHash returns the tree hash of x as it was when a parent node with the given
// unmerged leaves was last set: those leaves blanked and dropped from every unmerged list
// below (RFC 9420 §7.9). unmerged must be sorted, as tree validation checks first. h holds
// the current hashes, reused for subtrees no such leaf is in.
func (t *Tree) originalTreeHash(x NodeIndex, unmerged []uint32, h [][]byte) []byte {
	half := uint32(1)<<x.level() - 1
	first, _ := slices.BinarySearch(unmerged, (uint32(x)-half)/2)
	switch {
	case first == len(unmerged) || LeafIndex(unmerged[first]).Node() > x+NodeIndex(half):
		return h[x]
	case x.isLeaf():
		return t.leafHash(x, false)
	}
	p := t.parent(x)
	if p != nil {
		p = &ParentNode{
			EncryptionKey: p.EncryptionKey,
			ParentHash:    p.ParentHash,
			UnmergedLeaves: slices.DeleteFunc(slices.Clone(p.UnmergedLeaves), func(u uint32) bool {
				_, found := slices.BinarySearch(unmerged, u)
				return found
			}),
		}
	}
	return t.parentTreeHash(p, t.originalTreeHash(x.left(), unmerged, h), t.originalTreeHash(x.right(), unmerged, h))
}
