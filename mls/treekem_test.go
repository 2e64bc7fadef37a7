package mls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
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
