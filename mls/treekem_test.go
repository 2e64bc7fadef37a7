package mls

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

type treeKEMVector struct {
	CipherSuite             uint16   `json:"cipher_suite"`
	GroupID                 hexBytes `json:"group_id"`
	Epoch                   uint64   `json:"epoch"`
	ConfirmedTranscriptHash hexBytes `json:"confirmed_transcript_hash"`
	RatchetTree             hexBytes `json:"ratchet_tree"`
	LeavesPrivate           []struct {
		Index          uint32   `json:"index"`
		EncryptionPriv hexBytes `json:"encryption_priv"`
		SignaturePriv  hexBytes `json:"signature_priv"`
		PathSecrets    []struct {
			Node       uint32   `json:"node"`
			PathSecret hexBytes `json:"path_secret"`
		} `json:"path_secrets"`
	} `json:"leaves_private"`
	UpdatePaths []struct {
		Sender        uint32     `json:"sender"`
		UpdatePath    hexBytes   `json:"update_path"`
		PathSecrets   []hexBytes `json:"path_secrets"`
		CommitSecret  hexBytes   `json:"commit_secret"`
		TreeHashAfter hexBytes   `json:"tree_hash_after"`
	} `json:"update_paths"`
}

// testRand returns a deterministic randomness source for path secrets.
func testRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}

func TestTreeKEMVectors(t *testing.T) {
	var vectors []treeKEMVector
	loadVectors(t, "treekem.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("case%d_suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			tree := decodeTree(t, cs, v.RatchetTree)
			privs := map[LeafIndex]*PrivateTree{}
			sigPrivs := map[LeafIndex][]byte{}
			for _, lp := range v.LeavesPrivate {
				p := NewPrivateTree(LeafIndex(lp.Index), lp.EncryptionPriv)
				for _, ps := range lp.PathSecrets {
					kp, err := tree.nodeKeyPair(NodeIndex(ps.Node), ps.PathSecret)
					if err != nil {
						t.Fatalf("leaf %d: %v", lp.Index, err)
					}
					p.store(map[NodeIndex]hpkeKeyPairBytes{NodeIndex(ps.Node): kp})
				}
				privs[p.Leaf], sigPrivs[p.Leaf] = p, lp.SignaturePriv
			}
			context := func() *GroupContext {
				return &GroupContext{CipherSuite: cs, GroupID: v.GroupID, Epoch: v.Epoch, ConfirmedTranscriptHash: v.ConfirmedTranscriptHash}
			}
			for n, u := range v.UpdatePaths {
				sender := LeafIndex(u.Sender)
				up, err := decode[UpdatePath]("update path", u.UpdatePath)
				if err != nil {
					t.Fatal(err)
				}
				merged := tree.Clone()
				gc := context()
				if _, err := merged.ApplyUpdatePath(sender, &up, gc, ApplyPathOptions{}); err != nil {
					t.Fatalf("path %d: %v", n, err)
				}
				if !bytes.Equal(gc.TreeHash, u.TreeHashAfter) {
					t.Fatalf("path %d: tree hash after = %x, want %x", n, gc.TreeHash, u.TreeHashAfter)
				}
				for j, priv := range privs {
					if j == sender {
						continue
					}
					s, err := tree.Clone().ApplyUpdatePath(sender, &up, context(), ApplyPathOptions{Private: priv.Clone()})
					if err != nil {
						t.Fatalf("path %d, leaf %d: %v", n, j, err)
					}
					if !bytes.Equal(s.Secrets[0], u.PathSecrets[j]) {
						t.Errorf("path %d, leaf %d: path secret %x, want %x", n, j, s.Secrets[0], u.PathSecrets[j])
					}
					if !bytes.Equal(s.CommitSecret, u.CommitSecret) {
						t.Errorf("path %d, leaf %d: commit secret %x, want %x", n, j, s.CommitSecret, u.CommitSecret)
					}
				}

				// Our own path from the same sender must reach every other member.
				committed, gcNew := tree.Clone(), context()
				created, err := committed.CreateUpdatePath(sender, gcNew, UpdatePathOptions{
					Leaf:                *tree.Leaf(sender),
					SignaturePrivateKey: sigPrivs[sender],
					Rand:                testRand(uint64(n)),
				})
				if err != nil {
					t.Fatalf("path %d: create: %v", n, err)
				}
				for j, priv := range privs {
					if j == sender {
						continue
					}
					gcJ := context()
					s, err := tree.Clone().ApplyUpdatePath(sender, &created.Path, gcJ, ApplyPathOptions{Private: priv.Clone()})
					if err != nil {
						t.Fatalf("path %d, leaf %d: apply own path: %v", n, j, err)
					}
					if !bytes.Equal(s.CommitSecret, created.Secrets.CommitSecret) || !bytes.Equal(gcJ.TreeHash, gcNew.TreeHash) {
						t.Fatalf("path %d, leaf %d: receiver disagrees with the committer", n, j)
					}
				}
			}
		})
	}
}

// testGroup is a group of test members with their private trees, parents all blank.
type testGroup struct {
	tree    *Tree
	members []testMember
	privs   []*PrivateTree
}

func newTestGroup(t testing.TB, n int) *testGroup {
	t.Helper()
	tree, members := newTestTree(t, n)
	g := &testGroup{tree: tree, members: members}
	for i, m := range members {
		g.privs = append(g.privs, NewPrivateTree(LeafIndex(i), m.encPriv))
	}
	return g
}

func (g *testGroup) context(epoch uint64) *GroupContext {
	return &GroupContext{CipherSuite: g.tree.suite, GroupID: testGroupID, Epoch: epoch}
}

// commit makes an UpdatePath from leaf c on a clone of g's tree.
func (g *testGroup) commit(t testing.TB, c LeafIndex, epoch uint64, exclude ...LeafIndex) (*Tree, *CreatedPath, *GroupContext) {
	t.Helper()
	tree, gc := g.tree.Clone(), g.context(epoch)
	created, err := tree.CreateUpdatePath(c, gc, UpdatePathOptions{
		Leaf:                g.members[c].leaf,
		SignaturePrivateKey: g.members[c].sigPriv,
		Exclude:             exclude,
		Rand:                testRand(epoch),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree, created, gc
}

// receive applies a path from c for every other member, checks that all agree with the
// committer, and moves the group to the committed tree.
func (g *testGroup) receive(t *testing.T, c LeafIndex, tree *Tree, created *CreatedPath, gc *GroupContext, exclude ...LeafIndex) {
	t.Helper()
	for j := range g.members {
		if LeafIndex(j) == c || g.tree.Leaf(LeafIndex(j)) == nil || slices.Contains(exclude, LeafIndex(j)) {
			continue
		}
		gcJ := g.context(gc.Epoch)
		s, err := g.tree.Clone().ApplyUpdatePath(c, &created.Path, gcJ, ApplyPathOptions{Private: g.privs[j], Exclude: exclude})
		if err != nil {
			t.Fatalf("leaf %d applying the path from %d: %v", j, c, err)
		}
		if !bytes.Equal(s.CommitSecret, created.Secrets.CommitSecret) || !bytes.Equal(gcJ.TreeHash, gc.TreeHash) {
			t.Fatalf("leaf %d disagrees with committer %d", j, c)
		}
	}
	g.tree, g.privs[c] = tree, created.Private
	g.members[c].leaf = *tree.Leaf(c)
}

// TestUpdatePathRoundTrip runs commits from several members, including one that adds a
// member who then joins with the Welcome's path secret, and checks that everyone derives the
// same commit secret and that the resulting trees pass join validation.
func TestUpdatePathRoundTrip(t *testing.T) {
	g := newTestGroup(t, 6)
	for epoch, c := range []LeafIndex{2, 5, 0} {
		tree, created, gc := g.commit(t, c, uint64(epoch))
		g.receive(t, c, tree, created, gc)
		if err := g.tree.Validate(gc, nil); err != nil {
			t.Fatalf("after commit from %d: %v", c, err)
		}
	}

	// Leaf 3 adds a member; the path skips it and the Welcome gives it its branch secret.
	joiner := newTestMember(t, 6)
	g.tree = g.tree.Clone()
	at := g.tree.Add(joiner.leaf)
	g.members = append(g.members, joiner)
	g.privs = append(g.privs, NewPrivateTree(at, joiner.encPriv))
	tree, created, gc := g.commit(t, 3, 7, at)
	g.receive(t, 3, tree, created, gc, at)
	if err := g.privs[at].SetPathSecret(g.tree, 3, created.WelcomeSecret(at)); err != nil {
		t.Fatal(err)
	}
	if _, ok := g.privs[at].privateKey(g.tree, g.tree.size().root()); !ok {
		t.Fatal("joiner did not learn the root key")
	}
	if err := g.tree.Validate(gc, nil); err != nil {
		t.Fatal(err)
	}
	// The joiner now decrypts a commit through the keys it learned.
	tree, created, gc = g.commit(t, 1, 8)
	g.receive(t, 1, tree, created, gc)
}

func TestCreateUpdatePathExcludesNewMembers(t *testing.T) {
	g := newTestGroup(t, 3)
	at := g.tree.Add(newTestMember(t, 3).leaf)
	_, created, _ := g.commit(t, 0, 1, at)
	// Leaf 0's copath: leaf 1, then the subtree of leaves 2 and 3 where only 2 is encrypted to.
	for k, n := range created.Path.Nodes {
		if len(n.EncryptedPathSecret) != 1 {
			t.Fatalf("path node %d has %d ciphertexts, want 1", k, len(n.EncryptedPathSecret))
		}
	}
}

// TestApplyUpdatePathRejects breaks one rule at a time in an UpdatePath from leaf 1.
func TestApplyUpdatePathRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		want   error
		mutate func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions)
	}{
		{"path too short", ErrUpdatePathLength, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.Nodes = up.Nodes[1:]
		}},
		{"missing ciphertext", ErrUpdatePathCiphertexts, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			n := &up.Nodes[len(up.Nodes)-1]
			n.EncryptedPathSecret = n.EncryptedPathSecret[1:]
		}},
		{"node key already in the tree", ErrUpdatePathKeyReused, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.Nodes[1].EncryptionKey = g.members[3].leaf.EncryptionKey
		}},
		{"node key used twice", ErrUpdatePathKeyReused, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.Nodes[1].EncryptionKey = up.Nodes[0].EncryptionKey
		}},
		{"node key of wrong size", ErrHPKEKeySize, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.Nodes[1].EncryptionKey = up.Nodes[1].EncryptionKey[:16]
		}},
		{"parent hash", ErrLeafParentHash, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.Nodes[1].EncryptionKey = newTestMember(t, 40).leaf.EncryptionKey
		}},
		{"leaf source", ErrLeafSourceMismatch, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.LeafNode.Source = LeafNodeSourceUpdate
		}},
		{"leaf signature", ErrLeafNodeSignature, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			up.LeafNode.Extensions = Extensions{{Type: ExtensionApplicationID, Data: []byte{1}}}
		}},
		{"other group context", ErrHPKEOpen, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			gc.Epoch++
		}},
		{"no private key", ErrNoPathDecryptionKey, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			opts.Private = &PrivateTree{Leaf: 2}
		}},
		{"own path", ErrOwnUpdatePath, func(t *testing.T, g *testGroup, up *UpdatePath, gc *GroupContext, opts *ApplyPathOptions) {
			opts.Private = g.privs[1]
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestGroup(t, 4)
			_, created, _ := g.commit(t, 1, 1)
			up := created.Path
			up.Nodes = slices.Clone(up.Nodes)
			gc, opts := g.context(1), ApplyPathOptions{Private: g.privs[2]}
			tc.mutate(t, g, &up, gc, &opts)
			if _, err := g.tree.Clone().ApplyUpdatePath(1, &up, gc, opts); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
	g := newTestGroup(t, 2)
	_, created, _ := g.commit(t, 1, 1)
	if _, err := g.tree.Clone().ApplyUpdatePath(2, &created.Path, g.context(1), ApplyPathOptions{}); !errors.Is(err, ErrLeafIndexRange) {
		t.Fatalf("sender out of range: %v", err)
	}
}

// benchmarkGroup returns a group of n members for the TreeKEM benchmarks. With populated
// set, every parent node holds a key derived from a known secret, as in a group where
// everyone has committed once; receivers are given the keys of their direct paths.
func benchmarkGroup(b *testing.B, n int, populated bool) *testGroup {
	g := newTestGroup(b, n)
	defer g.tree.Hash() // a live group's tree has its hashes cached
	if !populated {
		return g
	}
	keys := map[NodeIndex]hpkeKeyPairBytes{}
	for x := NodeIndex(1); int(x) < len(g.tree.nodes); x += 2 {
		kp, err := deriveNodeKeyPair(g.tree.suite, []byte(fmt.Sprintf("node %d secret padded to 32 bytes", x))[:32])
		if err != nil {
			b.Fatal(err)
		}
		keys[x] = kp
		g.tree.setNode(x, &TreeNode{Parent: &ParentNode{EncryptionKey: kp.pub}})
	}
	for _, p := range g.privs {
		for _, x := range g.tree.size().directPath(p.Leaf.Node()) {
			p.store(map[NodeIndex]hpkeKeyPairBytes{x: keys[x]})
		}
	}
	return g
}

func BenchmarkCreateUpdatePath(b *testing.B) {
	for _, populated := range []bool{false, true} {
		b.Run(fmt.Sprintf("members=400/populated=%v", populated), func(b *testing.B) {
			g := benchmarkGroup(b, 400, populated)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				g.commit(b, 0, uint64(i))
			}
		})
	}
}

func BenchmarkApplyUpdatePath(b *testing.B) {
	for _, populated := range []bool{false, true} {
		b.Run(fmt.Sprintf("members=400/populated=%v", populated), func(b *testing.B) {
			g := benchmarkGroup(b, 400, populated)
			_, created, _ := g.commit(b, 0, 1)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, err := g.tree.Clone().ApplyUpdatePath(0, &created.Path, g.context(1), ApplyPathOptions{Private: g.privs[399].Clone()})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestExternalJoinPath has a newcomer take the free leaf of a full tree and commit from it,
// as an external commit does; every member must follow.
func TestExternalJoinPath(t *testing.T) {
	g := newTestGroup(t, 4)
	g.tree.Hash()
	newcomer := newTestMember(t, 4)
	staged := g.tree.Clone()
	at := staged.FreeLeaf()
	if at != 4 || staged.LeafCount() != 8 {
		t.Fatalf("free leaf %d in %d leaves, want 4 in 8", at, staged.LeafCount())
	}
	gc := g.context(1)
	created, err := staged.CreateUpdatePath(at, gc, UpdatePathOptions{Leaf: newcomer.leaf, SignaturePrivateKey: newcomer.sigPriv, Rand: testRand(1)})
	if err != nil {
		t.Fatal(err)
	}
	for j := range 4 {
		receiver := g.tree.Clone()
		if receiver.FreeLeaf() != at {
			t.Fatal("receivers must assign the same leaf")
		}
		s, err := receiver.ApplyUpdatePath(at, &created.Path, g.context(1), ApplyPathOptions{Private: g.privs[j]})
		if err != nil {
			t.Fatalf("leaf %d: %v", j, err)
		}
		if !bytes.Equal(s.CommitSecret, created.Secrets.CommitSecret) {
			t.Fatalf("leaf %d derived another commit secret", j)
		}
	}
	if err := staged.Validate(gc, nil); err != nil {
		t.Fatal(err)
	}
}
