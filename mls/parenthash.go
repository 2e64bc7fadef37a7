package mls

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// Parent hashes (RFC 9420 §7.9) chain each node set by an UpdatePath to the next one above
// it, up to the committer's signed leaf. A joiner checks the chains so that no parent key
// can have been planted by someone outside the subtree that is meant to know it.

// Parent hash errors.
var (
	// ErrParentHashInvalid reports a non-blank parent node not linked by a valid parent hash
	// to exactly one node below it.
	ErrParentHashInvalid = errors.New("mls: parent node is not parent-hash valid")
	// ErrLeafParentHash reports an UpdatePath whose leaf node carries a parent hash other than
	// the one its path produces.
	ErrLeafParentHash = errors.New("mls: update path leaf parent hash does not match its path")
)

// parentHash hashes ParentHashInput: the parent node's key and own parent hash with the tree
// hash its copath child had when the node was set.
func (t *Tree) parentHash(p *ParentNode, originalSiblingHash []byte) []byte {
	e := NewEncoder(len(p.EncryptionKey) + len(p.ParentHash) + len(originalSiblingHash) + 6)
	e.Opaque(p.EncryptionKey)
	e.Opaque(p.ParentHash)
	e.Opaque(originalSiblingHash)
	return t.suite.Hash(e.Bytes())
}

// verifyParentHashes checks that every non-blank parent node is parent-hash valid, top down:
// each must be the target of exactly one link from a node below it (RFC 9420 §7.9.2). Since
// every link starts at a leaf or at a parent that is itself checked, each parent then chains
// down to a leaf. h holds the current tree hashes.
func (t *Tree) verifyParentHashes(h [][]byte) error {
	for x := NodeIndex(1); int(x) < len(t.nodes); x += 2 {
		p := t.parent(x)
		if p == nil {
			continue
		}
		links := t.countLinks(p, x.left(), x.right(), h) + t.countLinks(p, x.right(), x.left(), h)
		if links != 1 {
			return fmt.Errorf("%w: node %d has %d links", ErrParentHashInvalid, x, links)
		}
	}
	return nil
}

// countLinks counts the nodes D under child c of parent node p whose parent_hash is
// the parent hash of p with copath child s, and which p's update covered: D is in c's
// resolution and everything else there is one of p's unmerged leaves.
func (t *Tree) countLinks(p *ParentNode, c, s NodeIndex, h [][]byte) int {
	want := t.parentHash(p, t.originalTreeHash(s, p.UnmergedLeaves, h))
	var unmergedUnder []NodeIndex
	for _, u := range p.UnmergedLeaves {
		if c.covers(LeafIndex(u).Node()) {
			unmergedUnder = append(unmergedUnder, LeafIndex(u).Node())
		}
	}
	slices.Sort(unmergedUnder)
	res := t.Resolution(c)
	links := 0
	for k, d := range res {
		if !bytes.Equal(t.nodeParentHash(d), want) {
			continue
		}
		rest := slices.Delete(slices.Clone(res), k, k+1)
		slices.Sort(rest)
		if slices.Equal(rest, unmergedUnder) {
			links++
		}
	}
	return links
}

// nodeParentHash returns the parent_hash a non-blank node carries: a parent's field, or a
// leaf's when it was set by a commit (empty otherwise).
func (t *Tree) nodeParentHash(x NodeIndex) []byte {
	if n := t.nodes[x]; n.Leaf != nil {
		return n.Leaf.ParentHash
	}
	return t.nodes[x].Parent.ParentHash
}
