package mls

import (
	"bytes"
	"errors"
	"testing"
)

// syntheticTree builds a full ratchet tree of n leaves shaped like an XMTP group's: basic
// credentials carrying an inbox id, XMTP's capability lists, an application_id extension,
// commit-source leaves with parent hashes. Keys and signatures are filler of the right size;
// nothing here is verified.
func syntheticTree(n int) RatchetTree {
	filler := func(size int, seed int) []byte {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(seed*31 + i)
		}
		return b
	}
	caps := Capabilities{
		Versions:     []ProtocolVersion{ProtocolVersionMLS10},
		CipherSuites: []CipherSuite{CipherSuiteX25519ChaCha20},
		Extensions:   []ExtensionType{ExtensionLastResort, ExtensionApplicationID, 0xf000, 0xff02, 0xff00, 0xff01, 0xff04},
		Proposals:    []ProposalType{ProposalGroupContextExtensions},
		Credentials:  []CredentialType{CredentialBasic},
	}
	tree := make(RatchetTree, 2*n-1)
	for i := range tree {
		if i%2 == 1 {
			tree[i] = &TreeNode{Parent: &ParentNode{EncryptionKey: filler(32, i), ParentHash: filler(32, i+1)}}
			continue
		}
		inbox := filler(32, i)
		tree[i] = &TreeNode{Leaf: &LeafNode{
			EncryptionKey: filler(32, i),
			SignatureKey:  filler(32, i+2),
			Credential:    NewBasicCredential(append([]byte{0x0a, 0x20}, inbox...)),
			Capabilities:  caps,
			Source:        LeafNodeSourceCommit,
			ParentHash:    filler(32, i+3),
			Extensions:    Extensions{{Type: ExtensionApplicationID, Data: EncodeApplicationID(inbox)}},
			Signature:     filler(64, i+4),
		}}
	}
	return tree
}

func syntheticGroupInfo(t testing.TB, leaves int) (GroupInfo, []byte) {
	t.Helper()
	cs := CipherSuiteX25519ChaCha20
	signPriv, signPub, err := cs.GenerateSignatureKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	g := GroupInfo{
		GroupContext: GroupContext{
			CipherSuite:             cs,
			GroupID:                 bytes.Repeat([]byte{0x42}, 16),
			Epoch:                   12,
			TreeHash:                make([]byte, 32),
			ConfirmedTranscriptHash: make([]byte, 32),
			Extensions:              Extensions{{Type: 0xff00, Data: make([]byte, 200)}, {Type: 0xff01, Data: make([]byte, 80*leaves)}},
		},
		Extensions:      Extensions{{Type: ExtensionRatchetTree, Data: syntheticTree(leaves).Encode()}},
		ConfirmationTag: make([]byte, 32),
		Signer:          3,
	}
	if err := g.Sign(signPriv); err != nil {
		t.Fatal(err)
	}
	return g, signPub
}

func TestGroupInfoSignAndTree(t *testing.T) {
	g, signPub := syntheticGroupInfo(t, 5)
	msg := MLSMessage{WireFormat: WireFormatGroupInfo, GroupInfo: &g}
	decoded, err := DecodeMLSMessage(msg.Encode())
	if err != nil {
		t.Fatal(err)
	}
	gi := decoded.GroupInfo
	if err := gi.VerifySignature(signPub); err != nil {
		t.Fatalf("signature does not verify after a round trip: %v", err)
	}
	tree, ok, err := gi.RatchetTree()
	if err != nil || !ok || len(tree) != 9 || tree[8].Leaf == nil || tree[7].Parent == nil {
		t.Fatalf("ratchet tree: %d nodes, ok %v, err %v", len(tree), ok, err)
	}

	gi.Signer = 4
	if err := gi.VerifySignature(signPub); !errors.Is(err, ErrGroupInfoSignature) {
		t.Errorf("changed signer: got %v, want ErrGroupInfoSignature", err)
	}
	gi.Extensions = nil
	if _, ok, err := gi.RatchetTree(); ok || err != nil {
		t.Errorf("no extension: ok %v, err %v", ok, err)
	}
}

// BenchmarkDecodeGroupInfo400 measures what a joiner does first: parse the GroupInfo of a
// 400-member group and its ratchet_tree extension (799 nodes).
func BenchmarkDecodeGroupInfo400(b *testing.B) {
	g, _ := syntheticGroupInfo(b, 400)
	msg := MLSMessage{WireFormat: WireFormatGroupInfo, GroupInfo: &g}
	raw := msg.Encode()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := DecodeMLSMessage(raw)
		if err != nil {
			b.Fatal(err)
		}
		tree, ok, err := m.GroupInfo.RatchetTree()
		if err != nil || !ok || len(tree) != 799 {
			b.Fatalf("tree of %d nodes, ok %v, err %v", len(tree), ok, err)
		}
	}
}
