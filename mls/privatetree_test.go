package mls

import (
	"bytes"
	"errors"
	"maps"
	"testing"
)

// committedGroup returns a four-member group after a commit from leaf 0, so that every
// member holds parent keys.
func committedGroup(t *testing.T) *testGroup {
	t.Helper()
	g := newTestGroup(t, 4)
	tree, created, gc := g.commit(t, 0, 1)
	g.receive(t, 0, tree, created, gc)
	return g
}

func TestPrivateTreeEncodeRoundTrip(t *testing.T) {
	g := committedGroup(t)
	for _, p := range g.privs {
		b := p.Encode()
		q, err := DecodePrivateTree(b)
		if err != nil {
			t.Fatal(err)
		}
		if q.Leaf != p.Leaf || !bytes.Equal(q.LeafKey, p.LeafKey) || !maps.EqualFunc(q.nodes, p.nodes, func(a, b hpkeKeyPairBytes) bool {
			return bytes.Equal(a.priv, b.priv) && bytes.Equal(a.pub, b.pub)
		}) {
			t.Fatalf("leaf %d: private tree changed in a round trip", p.Leaf)
		}
		if !bytes.Equal(q.Encode(), b) {
			t.Fatalf("leaf %d: encoding not deterministic", p.Leaf)
		}
	}
}

func TestDecodePrivateTreeRejectsForeignNodes(t *testing.T) {
	encodeNodes := func(leaf uint32, nodes ...uint32) []byte {
		e := NewEncoder(64)
		e.U32(leaf)
		e.Opaque([]byte{1})
		e.Vector(func(e *Encoder) {
			for _, x := range nodes {
				e.U32(x)
				e.Opaque([]byte{2})
				e.Opaque([]byte{3})
			}
		})
		return e.Bytes()
	}
	if _, err := DecodePrivateTree(encodeNodes(0, 1, 3)); err != nil {
		t.Fatalf("ancestors of leaf 0: %v", err)
	}
	for name, b := range map[string][]byte{
		"not an ancestor": encodeNodes(0, 5),
		"a leaf":          encodeNodes(0, 2),
		"out of order":    encodeNodes(0, 3, 1),
		"repeated":        encodeNodes(0, 1, 1),
	} {
		if _, err := DecodePrivateTree(b); !errors.Is(err, ErrPrivateTreeNode) {
			t.Errorf("%s: err = %v, want ErrPrivateTreeNode", name, err)
		}
	}
}

func TestPrivateTreePrune(t *testing.T) {
	g := committedGroup(t)
	p := g.privs[1]
	root := g.tree.size().root()
	if _, ok := p.privateKey(g.tree, root); !ok {
		t.Fatal("leaf 1 should hold the root key after the commit")
	}
	// An update from leaf 3 blanks the root, which leaf 1 shares, but not node 1.
	if err := g.tree.Update(3, newTestMember(t, 9).leaf); err != nil {
		t.Fatal(err)
	}
	p.Prune(g.tree)
	if _, ok := p.nodes[root]; ok {
		t.Fatal("key of a blanked node kept")
	}
	if _, ok := p.privateKey(g.tree, 1); !ok {
		t.Fatal("key of an untouched node dropped")
	}
}

func TestSetPathSecretRejectsWrongSecret(t *testing.T) {
	g := committedGroup(t)
	p := NewPrivateTree(2, g.members[2].encPriv)
	if err := p.SetPathSecret(g.tree, 0, bytes.Repeat([]byte{9}, 32)); !errors.Is(err, ErrPathKeyMismatch) {
		t.Fatalf("err = %v, want ErrPathKeyMismatch", err)
	}
	if len(p.nodes) != 0 {
		t.Fatal("a failed SetPathSecret must not store keys")
	}
}

func FuzzDecodePrivateTree(f *testing.F) {
	f.Add(NewPrivateTree(3, []byte{1, 2, 3}).Encode())
	f.Add([]byte{0, 0, 0, 0, 1, 7, 16, 0, 0, 0, 1, 1, 2, 1, 3, 0, 0, 0, 3, 1, 4, 1, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePrivateTree(b)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Encode(), b) {
			t.Fatalf("re-encoding differs: %x", p.Encode())
		}
	})
}
