package wrap

import (
	"bytes"
	"crypto/hpke"
	"testing"
)

// TestScheduleMatchesStdlibXWing shows the assembled key schedule is RFC 9180's: labelled
// with 0x647a it opens what crypto/hpke seals with its MLKEM768-X25519 KEM, in sequence,
// and crypto/hpke opens what it seals. Only the kem_id then differs for libxmtp's 0x004D.
func TestScheduleMatchesStdlibXWing(t *testing.T) {
	sk, err := GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	welcome, metadata := []byte("welcome from crypto/hpke"), []byte("metadata")

	stdPub, err := hpke.MLKEM768X25519().NewPublicKey(sk.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	enc, s, err := hpke.NewSender(stdPub, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), welcomeInfo)
	if err != nil {
		t.Fatal(err)
	}
	c0, err := s.Seal(nil, welcome)
	if err != nil {
		t.Fatal(err)
	}
	c1, err := s.Seal(nil, metadata)
	if err != nil {
		t.Fatal(err)
	}
	gotW, gotM, err := Open(XWing, sk.Bytes(), encodeCiphertext(enc, c0), c1)
	if err != nil {
		t.Fatalf("open crypto/hpke welcome: %v", err)
	}
	if !bytes.Equal(gotW, welcome) || !bytes.Equal(gotM, metadata) {
		t.Fatal("opened plaintext differs")
	}

	ss, enc, err := sk.PublicKey().Encapsulate()
	if err != nil {
		t.Fatal(err)
	}
	c, err := newHPKEContext(kemIDXWing, ss, welcomeInfo)
	if err != nil {
		t.Fatal(err)
	}
	c0, _ = c.Seal(nil, welcome)
	c1, _ = c.Seal(nil, metadata)
	stdPriv, err := hpke.MLKEM768X25519().NewPrivateKey(sk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	r, err := hpke.NewRecipient(enc, stdPriv, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), welcomeInfo)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]byte{welcome, metadata} {
		got, err := r.Open(nil, [][]byte{c0, c1}[i])
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("crypto/hpke open #%d = %q, %v", i, got, err)
		}
	}
}

// TestScheduleSeparatesKEMIDs: the kem_id is bound into the keys, so 0x004D and 0x647a
// contexts from one shared secret do not open each other's ciphertexts.
func TestScheduleSeparatesKEMIDs(t *testing.T) {
	ss := bytes.Repeat([]byte{7}, 32)
	a, err := newHPKEContext(kemIDXWingLegacy, ss, welcomeInfo)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newHPKEContext(kemIDXWing, ss, welcomeInfo)
	if err != nil {
		t.Fatal(err)
	}
	ct, _ := a.Seal(nil, []byte("x"))
	if _, err := b.Open(nil, ct); err == nil {
		t.Fatal("0x647a context opened a 0x004D ciphertext")
	}
}

// hpkeVector is one RFC 9180-format test vector.
type hpkeVector struct {
	KEMID        uint16   `json:"kem_id"`
	Info         hexBytes `json:"info"`
	SKRm         hexBytes `json:"skRm"`
	PKRm         hexBytes `json:"pkRm"`
	Enc          hexBytes `json:"enc"`
	SharedSecret hexBytes `json:"shared_secret"`
	BaseNonce    hexBytes `json:"base_nonce"`
	Encryptions  []struct {
		AAD   hexBytes `json:"aad"`
		CT    hexBytes `json:"ct"`
		Nonce hexBytes `json:"nonce"`
		PT    hexBytes `json:"pt"`
	} `json:"encryptions"`
}

// TestHPKEXWingVector replays the X-Wing, HKDF-SHA256, ChaCha20-Poly1305 base-mode vector
// of the HPKE post-quantum test vectors (testdata/README.md): decapsulation, the key
// schedule and every sealed message in sequence, with no other implementation involved.
func TestHPKEXWingVector(t *testing.T) {
	var v hpkeVector
	readJSON(t, "testdata/hpke-xwing-hkdfsha256-chacha20poly1305.json", &v)
	if v.KEMID != kemIDXWing {
		t.Fatalf("vector kem_id %#04x", v.KEMID)
	}
	sk, err := NewXWingPrivateKey(v.SKRm)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sk.PublicKey().Bytes(), v.PKRm) {
		t.Fatal("public key differs from pkRm")
	}
	ss, err := sk.Decapsulate(v.Enc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ss, v.SharedSecret) {
		t.Fatalf("shared secret %x, want %x", ss, v.SharedSecret)
	}
	sender, err := newHPKEContext(v.KEMID, ss, v.Info)
	if err != nil {
		t.Fatal(err)
	}
	receiver, err := newHPKEContext(v.KEMID, ss, v.Info)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sender.baseNonce[:], v.BaseNonce) {
		t.Fatalf("base nonce %x, want %x", sender.baseNonce, v.BaseNonce)
	}
	for i, e := range v.Encryptions {
		if n := sender.nonce(); !bytes.Equal(n, e.Nonce) {
			t.Fatalf("encryption %d: nonce %x, want %x", i, n, e.Nonce)
		}
		ct, err := sender.Seal(e.AAD, e.PT)
		if err != nil || !bytes.Equal(ct, e.CT) {
			t.Fatalf("encryption %d: sealed %x (%v), want %x", i, ct, err, e.CT)
		}
		pt, err := receiver.Open(e.AAD, e.CT)
		if err != nil || !bytes.Equal(pt, e.PT) {
			t.Fatalf("encryption %d: opened %x (%v)", i, pt, err)
		}
	}
}
