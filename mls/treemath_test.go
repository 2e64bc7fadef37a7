package mls

import (
	"fmt"
	"slices"
	"testing"
)

type treeMathVector struct {
	NLeaves uint32    `json:"n_leaves"`
	NNodes  uint32    `json:"n_nodes"`
	Root    uint32    `json:"root"`
	Left    []*uint32 `json:"left"`
	Right   []*uint32 `json:"right"`
	Parent  []*uint32 `json:"parent"`
	Sibling []*uint32 `json:"sibling"`
}

func TestTreeMathVectors(t *testing.T) {
	var vectors []treeMathVector
	loadVectors(t, "tree-math.json", &vectors)
	for _, v := range vectors {
		t.Run(fmt.Sprintf("leaves%d", v.NLeaves), func(t *testing.T) {
			n := treeSize(v.NLeaves)
			if n.width() != v.NNodes {
				t.Fatalf("width = %d, want %d", n.width(), v.NNodes)
			}
			root := n.root()
			if uint32(root) != v.Root {
				t.Fatalf("root = %d, want %d", root, v.Root)
			}
			check := func(name string, x NodeIndex, got NodeIndex, ok bool, want *uint32) {
				t.Helper()
				switch {
				case want == nil && ok:
					t.Errorf("%s(%d) = %d, want none", name, x, got)
				case want != nil && !ok:
					t.Errorf("%s(%d) = none, want %d", name, x, *want)
				case want != nil && uint32(got) != *want:
					t.Errorf("%s(%d) = %d, want %d", name, x, got, *want)
				}
			}
			for i := range v.NNodes {
				x := NodeIndex(i)
				check("left", x, x.left(), !x.isLeaf(), v.Left[i])
				check("right", x, x.right(), !x.isLeaf(), v.Right[i])
				check("parent", x, x.parent(), x != root, v.Parent[i])
				check("sibling", x, x.sibling(), x != root, v.Sibling[i])
			}
		})
	}
}

// TestTreePaths checks direct paths, copaths and common ancestors against their definitions
// (parents and siblings) on every pair of nodes of small trees.
func TestTreePaths(t *testing.T) {
	for _, n := range []treeSize{1, 2, 4, 8, 16, 32} {
		for i := range n.width() {
			x := NodeIndex(i)
			dp, cp := n.directPath(x), n.copath(x)
			if len(dp) != len(cp) {
				t.Fatalf("n=%d x=%d: direct path %v and copath %v differ in length", n, x, dp, cp)
			}
			child := x
			for j, p := range dp {
				if child.parent() != p || child.sibling() != cp[j] {
					t.Fatalf("n=%d x=%d: direct path %v copath %v", n, x, dp, cp)
				}
				child = p
			}
			if child != n.root() {
				t.Fatalf("n=%d x=%d: direct path %v does not end at the root", n, x, dp)
			}
			for j := range n.width() {
				y := NodeIndex(j)
				want := lowestShared(n, x, y)
				if got := commonAncestor(x, y); got != want {
					t.Fatalf("n=%d commonAncestor(%d, %d) = %d, want %d", n, x, y, got, want)
				}
			}
		}
	}
	if x := LeafIndex(5).Node(); x != 10 || !x.isLeaf() || x.leaf() != 5 {
		t.Errorf("leaf 5 maps to node %d", x)
	}
}

// lowestShared is the first node on x's path to the root (x included) that is also on y's.
func lowestShared(n treeSize, x, y NodeIndex) NodeIndex {
	py := append([]NodeIndex{y}, n.directPath(y)...)
	for _, a := range append([]NodeIndex{x}, n.directPath(x)...) {
		if slices.Contains(py, a) {
			return a
		}
	}
	panic("paths do not meet")
}
