package mls

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkTreeHash measures hashing a whole tree, as after many proposals; the cache is
// cleared before each run.
func BenchmarkTreeHash(b *testing.B) {
	for _, n := range []int{400, 1000} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			tree, _ := newTestTree(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				clear(tree.hashes)
				tree.Hash()
			}
		})
	}
}

// TestTreeHashCache checks that every way of changing a tree invalidates the cached hashes
// it affects, by comparing with a tree rebuilt from the same nodes.
func TestTreeHashCache(t *testing.T) {
	g := newTestGroup(t, 5)
	check := func(step string) {
		t.Helper()
		fresh, err := NewTree(g.tree.suite, g.tree.RatchetTree())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g.tree.Hash(), fresh.Hash()) {
			t.Fatalf("after %s: cached tree hash is stale", step)
		}
	}
	check("adds")
	tree, created, gc := g.commit(t, 4, 1)
	g.receive(t, 4, tree, created, gc)
	check("a commit")
	g.tree.Add(newTestMember(t, 5).leaf)
	check("an add under set parents")
	if err := g.tree.Update(1, newTestMember(t, 6).leaf); err != nil {
		t.Fatal(err)
	}
	check("an update")
	for _, i := range []LeafIndex{5, 4} {
		if err := g.tree.Remove(i); err != nil {
			t.Fatal(err)
		}
	}
	check("removes with truncation")
	for _, n := range []int{7, 8, 9, 10} {
		g.tree.Add(newTestMember(t, n).leaf)
	}
	check("adds with extension")
}
