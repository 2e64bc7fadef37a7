package mls

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

type treeValidationVector struct {
	CipherSuite uint16     `json:"cipher_suite"`
	Tree        hexBytes   `json:"tree"`
	GroupID     hexBytes   `json:"group_id"`
	Resolutions [][]uint32 `json:"resolutions"`
	TreeHashes  []hexBytes `json:"tree_hashes"`
}

func TestTreeValidationVectors(t *testing.T) {
	var vectors []treeValidationVector
	loadVectors(t, "tree-validation.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("case%d_suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			tree := decodeTree(t, cs, v.Tree)
			if len(tree.nodes) != len(v.TreeHashes) {
				t.Fatalf("tree has %d nodes, vector %d", len(tree.nodes), len(v.TreeHashes))
			}
			h := tree.treeHashes()
			for x := range tree.nodes {
				if !bytes.Equal(h[x], v.TreeHashes[x]) {
					t.Errorf("tree hash of node %d = %x, want %x", x, h[x], v.TreeHashes[x])
				}
				got := tree.Resolution(NodeIndex(x))
				want := make([]NodeIndex, len(v.Resolutions[x]))
				for k, y := range v.Resolutions[x] {
					want[k] = NodeIndex(y)
				}
				if !slices.Equal(got, want) {
					t.Errorf("resolution of node %d = %v, want %v", x, got, want)
				}
			}
			gc := &GroupContext{CipherSuite: cs, GroupID: v.GroupID, TreeHash: tree.Hash()}
			if err := tree.Validate(gc, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// testMember is a group member with real keys, for trees whose leaves must validate.
type testMember struct {
	sigPriv, encPriv []byte
	leaf             LeafNode
}

var testGroupID = []byte("tree validation group")

// newTestMember makes member n with an update-source leaf signed for leaf index n of
// testGroupID, so that its signature binds its position as a commit or update leaf's does.
func newTestMember(t testing.TB, n int) testMember {
	t.Helper()
	cs := CipherSuiteX25519ChaCha20
	seed := bytes.Repeat([]byte{byte(n), byte(n >> 8), 0x5a}, 11)[:32]
	encPriv, encPub, err := cs.DeriveHPKEKeyPair(seed)
	if err != nil {
		t.Fatal(err)
	}
	m := testMember{
		sigPriv: seed,
		encPriv: encPriv,
		leaf: LeafNode{
			EncryptionKey: encPub,
			SignatureKey:  ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey),
			Credential:    NewBasicCredential(fmt.Appendf(nil, "member %d", n)),
			Capabilities: Capabilities{
				Versions:     []ProtocolVersion{ProtocolVersionMLS10},
				CipherSuites: []CipherSuite{cs},
				Credentials:  []CredentialType{CredentialBasic},
			},
			Source: LeafNodeSourceUpdate,
		},
	}
	m.sign(t, n)
	return m
}

// sign re-signs the member's leaf for leaf index i of testGroupID.
func (m *testMember) sign(t testing.TB, i int) {
	t.Helper()
	if err := m.leaf.Sign(CipherSuiteX25519ChaCha20, m.sigPriv, testGroupID, uint32(i)); err != nil {
		t.Fatal(err)
	}
}

// newTestTree returns a tree of n members added in order, and the members.
func newTestTree(t testing.TB, n int) (*Tree, []testMember) {
	t.Helper()
	members := make([]testMember, n)
	var tree *Tree
	for i := range members {
		members[i] = newTestMember(t, i)
		if i == 0 {
			var err error
			if tree, err = NewTree(CipherSuiteX25519ChaCha20, RatchetTree{{Leaf: &members[0].leaf}}); err != nil {
				t.Fatal(err)
			}
			continue
		}
		tree.Add(members[i].leaf)
	}
	return tree, members
}

// testContext returns the group context under which tree is valid.
func testContext(tree *Tree) *GroupContext {
	return &GroupContext{CipherSuite: tree.suite, GroupID: testGroupID, TreeHash: tree.Hash()}
}

func TestValidateAcceptsTestTree(t *testing.T) {
	tree, _ := newTestTree(t, 5)
	if err := tree.Validate(testContext(tree), &LeafPolicy{Now: time.Unix(1e9, 0)}); err != nil {
		t.Fatal(err)
	}
}

// TestValidateRejects breaks one rule at a time in a valid five-member tree.
func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		name   string
		want   error
		mutate func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy)
	}{
		{"tree hash", ErrTreeHashMismatch, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			gc.TreeHash = bytes.Repeat([]byte{1}, 32)
		}},
		{"signature over another group", ErrLeafNodeSignature, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			gc.GroupID = []byte("another group")
		}},
		{"signature over another position", ErrLeafNodeSignature, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[2].sign(t, 3)
			setLeaf(tree, 2, m[2].leaf)
		}},
		{"key size", ErrHPKEKeySize, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[1].leaf.EncryptionKey = m[1].leaf.EncryptionKey[:31]
			m[1].sign(t, 1)
			setLeaf(tree, 1, m[1].leaf)
		}},
		{"credential type unlisted", ErrLeafCredentialUnlisted, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[1].leaf.Capabilities.Credentials = []CredentialType{CredentialX509}
			m[1].sign(t, 1)
			setLeaf(tree, 1, m[1].leaf)
		}},
		{"extension unsupported", ErrLeafExtensionUnsupported, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[1].leaf.Extensions = Extensions{{Type: 0xff00, Data: []byte{1}}}
			m[1].sign(t, 1)
			setLeaf(tree, 1, m[1].leaf)
		}},
		{"required capabilities", ErrLeafRequiredCapabilities, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			req := RequiredCapabilities{Extensions: []ExtensionType{0xff00}}
			gc.Extensions = Extensions{{Type: ExtensionRequiredCapabilities, Data: req.Encode()}}
		}},
		{"credential rejected by policy", ErrLeafCredential, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			pol.CheckCredential = func(l *LeafNode) error {
				if string(l.Credential.Data) == "member 3" {
					return errors.New("revoked")
				}
				return nil
			}
		}},
		{"credential type not supported by others", ErrCredentialTypeUnsupported, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[1].leaf.Credential = Credential{Type: 0xf0f0, Data: []byte("custom")}
			m[1].leaf.Capabilities.Credentials = []CredentialType{CredentialBasic, 0xf0f0}
			m[1].sign(t, 1)
			setLeaf(tree, 1, m[1].leaf)
		}},
		{"key package lifetime", ErrLifetimeWindow, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[4].leaf.Source = LeafNodeSourceKeyPackage
			m[4].leaf.Lifetime = Lifetime{NotBefore: 100, NotAfter: 200}
			m[4].sign(t, 4)
			setLeaf(tree, 4, m[4].leaf)
		}},
		{"duplicate encryption key", ErrDuplicateEncryptionKey, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[3].leaf.EncryptionKey = m[0].leaf.EncryptionKey
			m[3].sign(t, 3)
			setLeaf(tree, 3, m[3].leaf)
		}},
		{"duplicate signature key", ErrDuplicateSignatureKey, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			m[3].sigPriv, m[3].leaf.SignatureKey = m[0].sigPriv, m[0].leaf.SignatureKey
			m[3].sign(t, 3)
			setLeaf(tree, 3, m[3].leaf)
		}},
		{"parent key equals a leaf key", ErrDuplicateEncryptionKey, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(1, &TreeNode{Parent: &ParentNode{EncryptionKey: m[1].leaf.EncryptionKey}})
		}},
		{"parent hash", ErrParentHashInvalid, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(1, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{7}, 32)}})
		}},
		{"unmerged leaves unsorted", ErrUnmergedLeavesUnsorted, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(3, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{7}, 32), UnmergedLeaves: []uint32{2, 2}}})
		}},
		{"unmerged leaf outside subtree", ErrUnmergedLeafNotDescendant, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(1, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{7}, 32), UnmergedLeaves: []uint32{2}}})
		}},
		{"unmerged leaf blank", ErrUnmergedLeafBlank, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(11, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{7}, 32), UnmergedLeaves: []uint32{5}}})
		}},
		{"unmerged leaf missing below", ErrUnmergedLeafMissing, func(t *testing.T, tree *Tree, m []testMember, gc *GroupContext, pol *LeafPolicy) {
			tree.setNode(1, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{7}, 32)}})
			tree.setNode(3, &TreeNode{Parent: &ParentNode{EncryptionKey: bytes.Repeat([]byte{8}, 32), UnmergedLeaves: []uint32{1}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree, members := newTestTree(t, 5)
			gc, pol := testContext(tree), &LeafPolicy{Now: time.Unix(1e9, 0)}
			tc.mutate(t, tree, members, gc, pol)
			if tc.want != ErrTreeHashMismatch {
				gc.TreeHash = tree.Hash()
			}
			if err := tree.Validate(gc, pol); !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// setLeaf stores leaf at index i without any of the side effects of Update.
func setLeaf(tree *Tree, i LeafIndex, leaf LeafNode) {
	tree.setNode(i.Node(), &TreeNode{Leaf: &leaf})
}

func TestValidateLeaf(t *testing.T) {
	tree, members := newTestTree(t, 3)
	gc := testContext(tree)
	// Replacing a member's leaf with a fresh one is fine, keeping the signature key too.
	fresh := newTestMember(t, 9)
	fresh.sigPriv, fresh.leaf.SignatureKey = members[1].sigPriv, members[1].leaf.SignatureKey
	fresh.sign(t, 1)
	if err := tree.ValidateLeaf(&fresh.leaf, 1, LeafNodeSourceUpdate, gc, nil); err != nil {
		t.Fatal(err)
	}
	if err := tree.ValidateLeaf(&members[1].leaf, 1, LeafNodeSourceUpdate, gc, nil); !errors.Is(err, ErrDuplicateEncryptionKey) {
		t.Fatalf("a leaf replacing itself with the same encryption key: %v", err)
	}
	if err := tree.ValidateLeaf(&fresh.leaf, 1, LeafNodeSourceCommit, gc, nil); !errors.Is(err, ErrLeafSourceMismatch) {
		t.Fatalf("source: %v", err)
	}
	if err := tree.ValidateLeaf(&members[0].leaf, 1, 0, gc, nil); !errors.Is(err, ErrLeafNodeSignature) {
		t.Fatalf("leaf signed for position 0 at position 1: %v", err)
	}
	members[0].sign(t, 2)
	if err := tree.ValidateLeaf(&members[0].leaf, 2, 0, gc, nil); !errors.Is(err, ErrDuplicateEncryptionKey) {
		t.Fatalf("member 0's leaf at position 2: %v", err)
	}
	odd := newTestMember(t, 10)
	odd.leaf.Credential = Credential{Type: 0xf0f0, Data: []byte("custom")}
	odd.leaf.Capabilities.Credentials = []CredentialType{0xf0f0}
	odd.sign(t, 3)
	if err := tree.ValidateLeaf(&odd.leaf, 3, 0, gc, nil); !errors.Is(err, ErrCredentialTypeUnsupported) {
		t.Fatalf("custom credential type: %v", err)
	}
}
