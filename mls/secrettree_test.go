package mls

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

type secretTreeVector struct {
	CipherSuite      uint16   `json:"cipher_suite"`
	EncryptionSecret hexBytes `json:"encryption_secret"`
	SenderData       struct {
		SenderDataSecret hexBytes `json:"sender_data_secret"`
		Ciphertext       hexBytes `json:"ciphertext"`
		Key              hexBytes `json:"key"`
		Nonce            hexBytes `json:"nonce"`
	} `json:"sender_data"`
	Leaves [][]struct {
		Generation       uint32   `json:"generation"`
		HandshakeKey     hexBytes `json:"handshake_key"`
		HandshakeNonce   hexBytes `json:"handshake_nonce"`
		ApplicationKey   hexBytes `json:"application_key"`
		ApplicationNonce hexBytes `json:"application_nonce"`
	} `json:"leaves"`
}

func TestSecretTreeVectors(t *testing.T) {
	var vectors []secretTreeVector
	loadVectors(t, "secret-tree.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d/leaves%d", i, v.CipherSuite, len(v.Leaves)), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			sd := v.SenderData
			key, nonce := cs.senderDataKey(sd.SenderDataSecret, sd.Ciphertext)
			if !bytes.Equal(key, sd.Key) || !bytes.Equal(nonce, sd.Nonce) {
				t.Errorf("sender data key/nonce = %x/%x, want %x/%x", key, nonce, sd.Key, sd.Nonce)
			}

			// Receivers jump to each generation; senders step through every one. Both
			// must land on the vector's keys.
			receiver := newTestSecretTree(t, cs, v.EncryptionSecret, len(v.Leaves))
			sender := newTestSecretTree(t, cs, v.EncryptionSecret, len(v.Leaves))
			for leaf, gens := range v.Leaves {
				for _, g := range gens {
					for _, c := range []struct {
						typ        RatchetType
						key, nonce []byte
					}{
						{RatchetHandshake, g.HandshakeKey, g.HandshakeNonce},
						{RatchetApplication, g.ApplicationKey, g.ApplicationNonce},
					} {
						key, nonce, err := receiver.Key(LeafIndex(leaf), c.typ, g.Generation)
						if err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(key, c.key) || !bytes.Equal(nonce, c.nonce) {
							t.Errorf("leaf %d %s gen %d: receiver key/nonce = %x/%x, want %x/%x", leaf, c.typ.label(), g.Generation, key, nonce, c.key, c.nonce)
						}
						for {
							gen, key, nonce, err := sender.NextKey(LeafIndex(leaf), c.typ)
							if err != nil {
								t.Fatal(err)
							}
							if gen == g.Generation {
								if !bytes.Equal(key, c.key) || !bytes.Equal(nonce, c.nonce) {
									t.Errorf("leaf %d %s gen %d: sender key/nonce = %x/%x", leaf, c.typ.label(), gen, key, nonce)
								}
								break
							}
						}
					}
				}
			}
		})
	}
}

func newTestSecretTree(t testing.TB, cs CipherSuite, secret []byte, leaves int) *SecretTree {
	t.Helper()
	st, err := NewSecretTree(cs, secret, uint32(leaves))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// restoreSecretTree serializes and restores st, failing the test on any error.
func restoreSecretTree(t testing.TB, st *SecretTree) *SecretTree {
	t.Helper()
	b, err := st.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalSecretTree(b)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := got.MarshalBinary(); !bytes.Equal(again, b) {
		t.Fatalf("state changed in a round trip:\n%x\n%x", b, again)
	}
	return got
}

func TestSecretTreeOutOfOrder(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	secret := bytes.Repeat([]byte{1}, 32)
	ref := newTestSecretTree(t, cs, secret, 4)
	want := map[uint32][]byte{}
	for range 2000 {
		g, key, _, _ := ref.NextKey(2, RatchetApplication)
		want[g] = key
	}
	st := newTestSecretTree(t, cs, secret, 4)
	get := func(g uint32) error {
		t.Helper()
		key, _, err := st.Key(2, RatchetApplication, g)
		if err == nil && !bytes.Equal(key, want[g]) {
			t.Fatalf("generation %d: wrong key", g)
		}
		return err
	}
	if err := get(10); err != nil {
		t.Fatal(err)
	}
	st = restoreSecretTree(t, st) // skipped keys survive persistence
	for _, g := range []uint32{7, 5, 9, 6, 8} {
		if err := get(g); err != nil {
			t.Fatalf("generation %d, %d behind the newest: %v", g, 10-g, err)
		}
	}
	for _, g := range []uint32{4, 10, 7, 0} {
		if err := get(g); !errors.Is(err, ErrGenerationConsumed) {
			t.Errorf("generation %d: err = %v, want ErrGenerationConsumed", g, err)
		}
	}
	if err := get(11 + RatchetMaxForward + 1); !errors.Is(err, ErrGenerationTooFar) {
		t.Errorf("beyond the forward bound: err = %v, want ErrGenerationTooFar", err)
	}
	if err := get(11 + RatchetMaxForward); err != nil {
		t.Errorf("at the forward bound: %v", err)
	}
	if n := len(st.ratchets[2][RatchetApplication].skipped); n != RatchetOutOfOrder {
		t.Errorf("%d skipped keys kept after a long jump, want %d", n, RatchetOutOfOrder)
	}
	if _, _, err := st.Key(4, RatchetApplication, 0); !errors.Is(err, ErrLeafOutOfRange) {
		t.Errorf("leaf outside the tree: err = %v", err)
	}
}

// TestSecretTreeForwardSecrecy shows that once a key is used, neither the tree nor its
// persisted form can produce it again, and that neither holds any secret it came from.
func TestSecretTreeForwardSecrecy(t *testing.T) {
	cs := CipherSuiteX25519AES128GCM
	secret := bytes.Repeat([]byte{9}, 32)
	st := newTestSecretTree(t, cs, secret, 8)
	key, nonce, err := st.Key(3, RatchetHandshake, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The same key again from a fresh tree: the bytes searched for below are the real key.
	fresh := newTestSecretTree(t, cs, secret, 8)
	if again, _, _ := fresh.Key(3, RatchetHandshake, 0); !bytes.Equal(again, key) {
		t.Fatal("fresh tree disagrees")
	}
	if _, _, err := st.Key(3, RatchetHandshake, 0); !errors.Is(err, ErrGenerationConsumed) {
		t.Fatalf("second use: err = %v, want ErrGenerationConsumed", err)
	}
	state, _ := st.MarshalBinary()
	for name, b := range map[string][]byte{"key": key, "nonce": nonce, "encryption secret": secret} {
		if bytes.Contains(state, b) {
			t.Errorf("persisted state still holds the consumed %s", name)
		}
	}
	restored := restoreSecretTree(t, st)
	if _, _, err := restored.Key(3, RatchetHandshake, 0); !errors.Is(err, ErrGenerationConsumed) {
		t.Errorf("restored tree: err = %v, want ErrGenerationConsumed", err)
	}
	// Only the path's siblings and leaf 3's two ratchets remain: 3 nodes for 8 leaves.
	if len(st.nodes) != 3 || len(st.ratchets) != 1 {
		t.Errorf("tree keeps %d node secrets and %d ratchets, want 3 and 1", len(st.nodes), len(st.ratchets))
	}
}

func TestSecretTreeExhausted(t *testing.T) {
	st := newTestSecretTree(t, CipherSuiteX25519ChaCha20, make([]byte, 32), 1)
	if _, _, _, err := st.NextKey(0, RatchetHandshake); err != nil {
		t.Fatal(err)
	}
	st.ratchets[0][RatchetHandshake].next = ^uint32(0) - 1
	if g, _, _, err := st.NextKey(0, RatchetHandshake); err != nil || g != ^uint32(0)-1 {
		t.Fatalf("last usable generation: %d, %v", g, err)
	}
	if _, _, _, err := st.NextKey(0, RatchetHandshake); !errors.Is(err, ErrRatchetExhausted) {
		t.Errorf("err = %v, want ErrRatchetExhausted", err)
	}
}

func TestNewSecretTreeSize(t *testing.T) {
	for _, n := range []uint32{0, 3, 6, 1<<31 + 1} {
		if _, err := NewSecretTree(CipherSuiteX25519ChaCha20, make([]byte, 32), n); !errors.Is(err, ErrSecretTreeSize) {
			t.Errorf("%d leaves: err = %v, want ErrSecretTreeSize", n, err)
		}
	}
	if _, err := NewSecretTree(CipherSuiteX25519ChaCha20, nil, 1); !errors.Is(err, ErrEncryptionSecretSize) {
		t.Errorf("no secret: err = %v", err)
	}
	if _, err := NewSecretTree(CipherSuite(2), make([]byte, 32), 1); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Errorf("suite 2: err = %v", err)
	}
}

func TestUnmarshalSecretTreeRejects(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	st := newTestSecretTree(t, cs, make([]byte, 32), 4)
	st.Key(1, RatchetApplication, 3)
	good, _ := st.MarshalBinary()

	withVersion := append([]byte{2}, good[1:]...)
	if _, err := UnmarshalSecretTree(withVersion); !errors.Is(err, ErrSecretTreeVersion) {
		t.Errorf("version 2: err = %v", err)
	}
	if _, err := UnmarshalSecretTree(good[:len(good)-1]); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated: err = %v", err)
	}
	// A tree whose only secret covers half the leaves, or one with an overlapping root.
	half := newTestSecretTree(t, cs, make([]byte, 32), 4)
	delete(half.nodes, half.size.root())
	half.nodes[1] = make([]byte, 32)
	overlap := newTestSecretTree(t, cs, make([]byte, 32), 4)
	overlap.Key(0, RatchetHandshake, 0)
	overlap.nodes[3] = make([]byte, 32)
	for name, bad := range map[string]*SecretTree{"half": half, "overlap": overlap} {
		b, _ := bad.MarshalBinary()
		if _, err := UnmarshalSecretTree(b); !errors.Is(err, ErrSecretTreeState) {
			t.Errorf("%s: err = %v, want ErrSecretTreeState", name, err)
		}
	}
}

func FuzzUnmarshalSecretTree(f *testing.F) {
	st, _ := NewSecretTree(CipherSuiteX25519ChaCha20, make([]byte, 32), 8)
	seed, _ := st.MarshalBinary()
	f.Add(seed)
	st.Key(5, RatchetApplication, 7)
	st.NextKey(2, RatchetHandshake)
	seed, _ = st.MarshalBinary()
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := UnmarshalSecretTree(b)
		if err != nil {
			return
		}
		again, _ := st.MarshalBinary()
		if !bytes.Equal(again, b) {
			t.Fatalf("accepted non-canonical state %x, re-encoded %x", b, again)
		}
		// A restored tree must serve every leaf without panicking.
		for leaf := range min(uint32(st.size), 64) {
			st.Key(LeafIndex(leaf), RatchetApplication, 0)
		}
	})
}

// BenchmarkSecretTreeRatchet measures one step of a sender's application ratchet in a
// 400-member group (512 leaves): the per-message key cost.
func BenchmarkSecretTreeRatchet(b *testing.B) {
	for _, cs := range benchSuites {
		b.Run(fmt.Sprintf("suite%d", cs), func(b *testing.B) {
			st := newTestSecretTree(b, cs, make([]byte, 32), 512)
			for b.Loop() {
				if _, _, _, err := st.NextKey(399, RatchetApplication); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSecretTreeFirstKey measures the first key of a sender in a 512-leaf tree, which
// also derives the path from the root down to its leaf.
func BenchmarkSecretTreeFirstKey(b *testing.B) {
	cs := CipherSuiteX25519ChaCha20
	secret := make([]byte, 32)
	for b.Loop() {
		st, _ := NewSecretTree(cs, secret, 512)
		if _, _, err := st.Key(399, RatchetApplication, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// A sender and a receiver build the same epoch's secret tree. The receiver opens messages
// out of order, but each key only once.
func ExampleSecretTree() {
	cs := CipherSuiteX25519ChaCha20
	encryptionSecret := bytes.Repeat([]byte{0x42}, cs.HashSize())
	sender, _ := NewSecretTree(cs, encryptionSecret, 4)
	receiver, _ := NewSecretTree(cs, encryptionSecret, 4)

	var sent [][]byte
	for range 3 {
		_, key, _, _ := sender.NextKey(2, RatchetApplication)
		sent = append(sent, key)
	}
	for _, g := range []uint32{2, 0, 1, 1} {
		key, _, err := receiver.Key(2, RatchetApplication, g)
		fmt.Printf("generation %d: same key %v, already consumed %v\n", g, bytes.Equal(key, sent[g]), errors.Is(err, ErrGenerationConsumed))
	}
	// Output:
	// generation 2: same key true, already consumed false
	// generation 0: same key true, already consumed false
	// generation 1: same key true, already consumed false
	// generation 1: same key false, already consumed true
}
