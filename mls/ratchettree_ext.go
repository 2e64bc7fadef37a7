package mls

import (
	"errors"
	"fmt"
)

// NodeType says whether a serialized tree node is a leaf or a parent (RFC 9420 §12.4.3.3).
type NodeType uint8

const (
	NodeTypeLeaf   NodeType = 1
	NodeTypeParent NodeType = 2
)

// Ratchet tree extension errors.
var (
	// ErrNodeType reports a node type other than leaf and parent.
	ErrNodeType = errors.New("mls: unknown ratchet tree node type")
	// ErrRatchetTreeShape reports a tree that is empty, ends in a blank node, or holds a leaf
	// at a parent position or the reverse (leaves sit at even node indices).
	ErrRatchetTreeShape = errors.New("mls: malformed ratchet tree")
)

// ParentNode is an interior node of the ratchet tree (RFC 9420 §7.1).
type ParentNode struct {
	EncryptionKey  []byte
	ParentHash     []byte
	UnmergedLeaves []uint32
}

// TreeNode is one non-blank node of a serialized tree: exactly one of Leaf and Parent is set.
type TreeNode struct {
	Leaf   *LeafNode
	Parent *ParentNode
}

// RatchetTree is the node list of the ratchet_tree extension (RFC 9420 §12.4.3.3), in
// array order (leaf i at index 2i) with trailing blanks omitted; a nil entry is a blank node.
type RatchetTree []*TreeNode

// Marshal writes the tree as optional<Node> ratchet_tree<V>.
func (t RatchetTree) Marshal(e *Encoder) {
	e.Vector(func(e *Encoder) {
		for _, n := range t {
			e.Optional(n != nil, func(e *Encoder) {
				if n.Leaf != nil {
					e.U8(uint8(NodeTypeLeaf))
					n.Leaf.Marshal(e)
					return
				}
				e.U8(uint8(NodeTypeParent))
				e.Opaque(n.Parent.EncryptionKey)
				e.Opaque(n.Parent.ParentHash)
				encodeU32s(e, n.Parent.UnmergedLeaves)
			})
		}
	})
}

// Unmarshal reads a tree and checks its shape; key sizes are checked by DecodeRatchetTree,
// which knows the suite.
func (t *RatchetTree) Unmarshal(d *Decoder) {
	var out RatchetTree
	d.Vector(func(d *Decoder) {
		if !d.Optional() {
			out = append(out, nil)
			return
		}
		var n *TreeNode
		switch typ := NodeType(d.U8()); typ {
		case NodeTypeLeaf:
			// One allocation for the node and its leaf: a big tree is mostly leaves.
			both := new(struct {
				node TreeNode
				leaf LeafNode
			})
			n = &both.node
			n.Leaf = &both.leaf
			n.Leaf.Unmarshal(d)
		case NodeTypeParent:
			both := new(struct {
				node   TreeNode
				parent ParentNode
			})
			n = &both.node
			n.Parent = &both.parent
			n.Parent.EncryptionKey = d.Opaque()
			n.Parent.ParentHash = d.Opaque()
			n.Parent.UnmergedLeaves = decodeU32s(d)
		default:
			d.Fail(fmt.Errorf("%w: %d", ErrNodeType, typ))
			return
		}
		if (n.Leaf != nil) != (len(out)%2 == 0) {
			d.Fail(fmt.Errorf("%w: node %d has the wrong type for its position", ErrRatchetTreeShape, len(out)))
			return
		}
		out = append(out, n)
	})
	if d.Err() != nil {
		return
	}
	if len(out) == 0 || out[len(out)-1] == nil {
		d.Fail(fmt.Errorf("%w: empty or ending in a blank node", ErrRatchetTreeShape))
		return
	}
	*t = out
}

// Encode returns the extension data of the tree.
func (t RatchetTree) Encode() []byte { return encode(t, 256*len(t)) }

// DecodeRatchetTree parses the data of a ratchet_tree extension of a group using suite cs.
// When cs is a suite goxmtp implements, every public key must have that suite's size.
func DecodeRatchetTree(b []byte, cs CipherSuite) (RatchetTree, error) {
	return decodeRatchetTree(append([]byte(nil), b...), cs)
}

// decodeRatchetTree is DecodeRatchetTree over bytes the caller hands over: the tree aliases b.
func decodeRatchetTree(b []byte, cs CipherSuite) (RatchetTree, error) {
	var t RatchetTree
	if err := decodeInPlace("ratchet tree", b, t.Unmarshal); err != nil {
		return nil, err
	}
	var err error
	for i, n := range t {
		switch {
		case n == nil:
		case n.Leaf != nil:
			err = n.Leaf.checkKeySizes(cs)
		default:
			err = checkHPKEKeySize(cs, n.Parent.EncryptionKey)
		}
		if err != nil {
			return nil, fmt.Errorf("mls: decode ratchet tree: node %d: %w", i, err)
		}
	}
	return t, nil
}
