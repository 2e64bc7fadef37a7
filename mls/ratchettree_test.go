package mls

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"
)

type treeOperationsVector struct {
	CipherSuite    uint16   `json:"cipher_suite"`
	TreeBefore     hexBytes `json:"tree_before"`
	Proposal       hexBytes `json:"proposal"`
	ProposalSender uint32   `json:"proposal_sender"`
	TreeHashBefore hexBytes `json:"tree_hash_before"`
	TreeAfter      hexBytes `json:"tree_after"`
	TreeHashAfter  hexBytes `json:"tree_hash_after"`
}

// decodeTree parses a serialized ratchet tree into a Tree.
func decodeTree(t testing.TB, cs CipherSuite, b []byte) *Tree {
	t.Helper()
	rt, err := DecodeRatchetTree(b, cs)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := NewTree(cs, rt)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// TestTreeOperationsVectors applies each Add, Update and Remove to the tree and compares the
// result byte for byte. These cases check tree structure only; leaf validation is covered by
// the tree-validation vectors. That is also why case [2] needs no adaptation (INDEX.md): its
// Update leaf has source update, whose signature covers a group id the vector does not give,
// and nothing here verifies signatures.
func TestTreeOperationsVectors(t *testing.T) {
	var vectors []treeOperationsVector
	loadVectors(t, "tree-operations.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("case%d_suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			tree := decodeTree(t, cs, v.TreeBefore)
			if got := tree.Hash(); !bytes.Equal(got, v.TreeHashBefore) {
				t.Fatalf("tree hash before = %x, want %x", got, v.TreeHashBefore)
			}
			p, err := DecodeProposal(v.Proposal)
			if err != nil {
				t.Fatal(err)
			}
			sender := LeafIndex(v.ProposalSender)
			switch p := p.(type) {
			case AddProposal:
				tree.Add(p.KeyPackage.LeafNode)
			case UpdateProposal:
				err = tree.Update(sender, p.LeafNode)
			case RemoveProposal:
				err = tree.Remove(LeafIndex(p.Removed))
			default:
				t.Fatalf("unexpected proposal type %d", p.Type())
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tree.RatchetTree().Encode(); !bytes.Equal(got, v.TreeAfter) {
				t.Fatalf("tree after differs:\n got %x\nwant %x", got, v.TreeAfter)
			}
			if got := tree.Hash(); !bytes.Equal(got, v.TreeHashAfter) {
				t.Fatalf("tree hash after = %x, want %x", got, v.TreeHashAfter)
			}
		})
	}
}

// testLeaf returns a distinct placeholder leaf node; tree operations never look inside it.
func testLeaf(n byte) LeafNode {
	return LeafNode{
		EncryptionKey: bytes.Repeat([]byte{n}, 32),
		SignatureKey:  bytes.Repeat([]byte{n}, 32),
		Credential:    NewBasicCredential([]byte{n}),
		Source:        LeafNodeSourceKeyPackage,
	}
}

// testParent returns a placeholder parent node.
func testParent(n byte, unmerged ...uint32) *TreeNode {
	return &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{n}, 32), UnmergedLeaves: unmerged}}
}

func leafOf(n byte) *TreeNode {
	l := testLeaf(n)
	return &TreeNode{Leaf: &l}
}

func TestNewTreePadsToFullTree(t *testing.T) {
	for _, tc := range []struct{ nodes, width int }{{1, 1}, {2, 3}, {3, 3}, {5, 7}, {6, 7}, {7, 7}, {9, 15}} {
		rt := make(RatchetTree, tc.nodes)
		if tc.nodes%2 == 1 {
			rt[tc.nodes-1] = leafOf(1)
		} else {
			rt[tc.nodes-1] = testParent(1)
		}
		tree, err := NewTree(CipherSuiteX25519ChaCha20, rt)
		if err != nil {
			t.Fatalf("%d nodes: %v", tc.nodes, err)
		}
		if len(tree.nodes) != tc.width {
			t.Errorf("%d nodes: width %d, want %d", tc.nodes, len(tree.nodes), tc.width)
		}
		if got := tree.RatchetTree(); len(got) != tc.nodes {
			t.Errorf("%d nodes: round trip gives %d", tc.nodes, len(got))
		}
	}
}

func TestNewTreeRejectsBadShape(t *testing.T) {
	for name, rt := range map[string]RatchetTree{
		"empty":          {},
		"trailing blank": {leafOf(1), nil},
		"parent at leaf": {testParent(1)},
		"leaf at parent": {leafOf(1), leafOf(2), leafOf(3)},
		"both set":       {{Leaf: leafOf(1).Leaf, Parent: testParent(1).Parent}},
		"neither set":    {{}},
	} {
		if _, err := NewTree(CipherSuiteX25519ChaCha20, rt); !errors.Is(err, ErrRatchetTreeShape) {
			t.Errorf("%s: err = %v, want ErrRatchetTreeShape", name, err)
		}
	}
	if _, err := NewTree(CipherSuite(2), RatchetTree{leafOf(1)}); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Errorf("suite 2: err = %v", err)
	}
}

func TestAddFillsLeftmostBlankThenExtends(t *testing.T) {
	// Leaves A _ C _ under a non-blank root with C unmerged: adding fills leaf 1 and keeps
	// the root's unmerged list sorted.
	tree, err := NewTree(CipherSuiteX25519ChaCha20, RatchetTree{leafOf(1), nil, nil, testParent(9, 2), leafOf(3)})
	if err != nil {
		t.Fatal(err)
	}
	if i := tree.Add(testLeaf(4)); i != 1 {
		t.Fatalf("first add at %d, want 1", i)
	}
	if got := tree.parent(3).UnmergedLeaves; !slices.Equal(got, []uint32{1, 2}) {
		t.Fatalf("root unmerged = %v, want [1 2]", got)
	}
	if i := tree.Add(testLeaf(5)); i != 3 {
		t.Fatalf("second add at %d, want 3", i)
	}
	if i := tree.Add(testLeaf(6)); i != 4 || tree.LeafCount() != 8 {
		t.Fatalf("third add at %d in %d leaves, want 4 in 8", i, tree.LeafCount())
	}
	// The new root is blank, so only the old root records the adds below it.
	if tree.nodes[7] != nil || !slices.Equal(tree.parent(3).UnmergedLeaves, []uint32{1, 2, 3}) {
		t.Fatalf("unmerged after extension: root %v, old root %v", tree.nodes[7], tree.parent(3).UnmergedLeaves)
	}
}

func TestRemoveTruncates(t *testing.T) {
	tree, err := NewTree(CipherSuiteX25519ChaCha20, RatchetTree{leafOf(1), testParent(8), leafOf(2), testParent(9), leafOf(3)})
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Remove(2); err != nil {
		t.Fatal(err)
	}
	if tree.LeafCount() != 2 || tree.nodes[1] == nil {
		t.Fatalf("after removing the last member: %d leaves, node 1 %v", tree.LeafCount(), tree.nodes[1])
	}
	if err := tree.Remove(1); err != nil {
		t.Fatal(err)
	}
	if tree.LeafCount() != 1 || len(tree.RatchetTree()) != 1 {
		t.Fatalf("after removing leaf 1: %d leaves", tree.LeafCount())
	}
}

func TestUpdateBlanksDirectPath(t *testing.T) {
	tree, err := NewTree(CipherSuiteX25519ChaCha20, RatchetTree{leafOf(1), testParent(8), leafOf(2), testParent(9), leafOf(3), testParent(7), leafOf(4)})
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Update(0, testLeaf(5)); err != nil {
		t.Fatal(err)
	}
	if tree.nodes[1] != nil || tree.nodes[3] != nil || tree.nodes[5] == nil {
		t.Fatal("update must blank exactly the direct path")
	}
	if !bytes.Equal(tree.Leaf(0).EncryptionKey, testLeaf(5).EncryptionKey) {
		t.Fatal("leaf not replaced")
	}
}

func TestLeafOperationErrors(t *testing.T) {
	tree, err := NewTree(CipherSuiteX25519ChaCha20, RatchetTree{leafOf(1), nil, nil, nil, leafOf(3)})
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.Remove(1); !errors.Is(err, ErrBlankLeaf) {
		t.Errorf("remove blank: %v", err)
	}
	if err := tree.Update(1, testLeaf(2)); !errors.Is(err, ErrBlankLeaf) {
		t.Errorf("update blank: %v", err)
	}
	if err := tree.Remove(4); !errors.Is(err, ErrLeafIndexRange) {
		t.Errorf("remove out of range: %v", err)
	}
	if tree.Leaf(9) != nil || tree.Leaf(1) != nil {
		t.Error("Leaf must be nil for blank or missing leaves")
	}
}

func TestCloneIsIndependent(t *testing.T) {
	tree, err := NewTree(CipherSuiteX25519ChaCha20, RatchetTree{leafOf(1), testParent(9), leafOf(2)})
	if err != nil {
		t.Fatal(err)
	}
	before := tree.RatchetTree().Encode()
	c := tree.Clone()
	c.Add(testLeaf(3))
	if err := c.Remove(0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tree.RatchetTree().Encode(), before) {
		t.Fatal("changing a clone changed the original")
	}
}

func TestFilteredDirectPath(t *testing.T) {
	// The five-member tree of RFC 9420 §4.1.2: A B _ _ E F G _, with T, X and Y set.
	rt := RatchetTree{leafOf(1), testParent(20), leafOf(2), nil, nil, nil, nil, nil, leafOf(5), testParent(21), leafOf(6), testParent(22), leafOf(7)}
	tree, err := NewTree(CipherSuiteX25519ChaCha20, rt)
	if err != nil {
		t.Fatal(err)
	}
	for leaf, want := range map[LeafIndex][]NodeIndex{0: {1, 7}, 1: {1, 7}, 4: {9, 11, 7}, 5: {9, 11, 7}, 6: {11, 7}} {
		got, copath := tree.FilteredDirectPath(leaf)
		if !slices.Equal(got, want) {
			t.Errorf("leaf %d: filtered direct path %v, want %v", leaf, got, want)
		}
		for k := range got {
			if copath[k].parent() != got[k] {
				t.Errorf("leaf %d: copath %v does not match path %v", leaf, copath, got)
			}
		}
	}
	if got := tree.Resolution(7); !slices.Equal(got, []NodeIndex{1, 11}) {
		t.Errorf("resolution of the root = %v, want [1 11]", got)
	}
}

// FuzzNewTree builds trees from arbitrary ratchet_tree data and runs the read-only
// operations on them: whatever decodes must neither panic nor lose bytes. Filtered direct
// paths are taken for the two outermost leaves only, since each costs time linear in the
// tree and mostly-blank inputs make trees of thousands of leaves.
func FuzzNewTree(f *testing.F) {
	var vectors []treeValidationVector
	loadVectors(f, "tree-validation.json", &vectors)
	for _, v := range vectors[28:31] {
		f.Add([]byte(v.Tree))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		cs := CipherSuiteX25519ChaCha20
		rt, err := DecodeRatchetTree(b, cs)
		if err != nil {
			return
		}
		tree, err := NewTree(cs, rt)
		if err != nil {
			return
		}
		if !bytes.Equal(tree.RatchetTree().Encode(), b) {
			t.Fatal("tree does not re-encode to its input")
		}
		gc := &GroupContext{CipherSuite: cs, TreeHash: tree.Hash()}
		_ = tree.Validate(gc, nil)
		for x := range tree.nodes {
			tree.Resolution(NodeIndex(x))
		}
		tree.FilteredDirectPath(0)
		tree.FilteredDirectPath(LeafIndex(tree.LeafCount() - 1))
	})
}
