package mls

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

type cryptoBasicsVector struct {
	CipherSuite uint16 `json:"cipher_suite"`
	RefHash     struct {
		Label string   `json:"label"`
		Value hexBytes `json:"value"`
		Out   hexBytes `json:"out"`
	} `json:"ref_hash"`
	ExpandWithLabel struct {
		Secret  hexBytes `json:"secret"`
		Label   string   `json:"label"`
		Context hexBytes `json:"context"`
		Length  int      `json:"length"`
		Out     hexBytes `json:"out"`
	} `json:"expand_with_label"`
	DeriveSecret struct {
		Secret hexBytes `json:"secret"`
		Label  string   `json:"label"`
		Out    hexBytes `json:"out"`
	} `json:"derive_secret"`
	DeriveTreeSecret struct {
		Secret     hexBytes `json:"secret"`
		Label      string   `json:"label"`
		Generation uint32   `json:"generation"`
		Length     int      `json:"length"`
		Out        hexBytes `json:"out"`
	} `json:"derive_tree_secret"`
	SignWithLabel struct {
		Priv      hexBytes `json:"priv"`
		Pub       hexBytes `json:"pub"`
		Content   hexBytes `json:"content"`
		Label     string   `json:"label"`
		Signature hexBytes `json:"signature"`
	} `json:"sign_with_label"`
	EncryptWithLabel struct {
		Priv       hexBytes `json:"priv"`
		Pub        hexBytes `json:"pub"`
		Label      string   `json:"label"`
		Context    hexBytes `json:"context"`
		Plaintext  hexBytes `json:"plaintext"`
		KEMOutput  hexBytes `json:"kem_output"`
		Ciphertext hexBytes `json:"ciphertext"`
	} `json:"encrypt_with_label"`
}

func TestCryptoBasicsVectors(t *testing.T) {
	var vectors []cryptoBasicsVector
	loadVectors(t, "crypto-basics.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)

			if got := cs.RefHash(v.RefHash.Label, v.RefHash.Value); !bytes.Equal(got, v.RefHash.Out) {
				t.Errorf("RefHash = %x, want %x", got, v.RefHash.Out)
			}
			e := v.ExpandWithLabel
			if got := cs.ExpandWithLabel(e.Secret, e.Label, e.Context, e.Length); !bytes.Equal(got, e.Out) {
				t.Errorf("ExpandWithLabel = %x, want %x", got, e.Out)
			}
			if got := cs.DeriveSecret(v.DeriveSecret.Secret, v.DeriveSecret.Label); !bytes.Equal(got, v.DeriveSecret.Out) {
				t.Errorf("DeriveSecret = %x, want %x", got, v.DeriveSecret.Out)
			}
			d := v.DeriveTreeSecret
			if got := cs.DeriveTreeSecret(d.Secret, d.Label, d.Generation, d.Length); !bytes.Equal(got, d.Out) {
				t.Errorf("DeriveTreeSecret = %x, want %x", got, d.Out)
			}

			s := v.SignWithLabel
			if err := cs.VerifyWithLabel(s.Pub, s.Label, s.Content, s.Signature); err != nil {
				t.Errorf("VerifyWithLabel(vector signature): %v", err)
			}
			sig, err := cs.SignWithLabel(s.Priv, s.Label, s.Content)
			if err != nil {
				t.Fatal(err)
			}
			// Ed25519 is deterministic, so our signature must equal the vector's.
			if !bytes.Equal(sig, s.Signature) {
				t.Errorf("SignWithLabel = %x, want %x", sig, s.Signature)
			}
			expanded, err := cs.ExpandSignatureKey(s.Priv)
			if err != nil {
				t.Fatal(err)
			}
			if sig2, err := cs.SignWithLabel(expanded, s.Label, s.Content); err != nil || !bytes.Equal(sig2, s.Signature) {
				t.Errorf("SignWithLabel(expanded key) = %x, %v", sig2, err)
			}
			if _, err := cs.SignWithLabel(expanded[:40], s.Label, s.Content); !errors.Is(err, ErrSignatureKeySize) {
				t.Errorf("SignWithLabel(40-byte key): err = %v, want ErrSignatureKeySize", err)
			}
			if err := cs.VerifyWithLabel(s.Pub, s.Label+"x", s.Content, sig); !errors.Is(err, ErrSignatureInvalid) {
				t.Errorf("VerifyWithLabel under another label: err = %v, want ErrSignatureInvalid", err)
			}

			h := v.EncryptWithLabel
			pt, err := cs.DecryptWithLabel(h.Priv, h.Label, h.Context, h.KEMOutput, h.Ciphertext)
			if err != nil {
				t.Fatalf("DecryptWithLabel(vector): %v", err)
			}
			if !bytes.Equal(pt, h.Plaintext) {
				t.Errorf("DecryptWithLabel = %x, want %x", pt, h.Plaintext)
			}
			kem, ct, err := cs.EncryptWithLabel(h.Pub, h.Label, h.Context, h.Plaintext)
			if err != nil {
				t.Fatal(err)
			}
			pt, err = cs.DecryptWithLabel(h.Priv, h.Label, h.Context, kem, ct)
			if err != nil || !bytes.Equal(pt, h.Plaintext) {
				t.Errorf("round trip: %x, %v", pt, err)
			}
			if _, err := cs.DecryptWithLabel(h.Priv, h.Label, append(h.Context, 0), kem, ct); !errors.Is(err, ErrHPKEOpen) {
				t.Errorf("DecryptWithLabel under another context: err = %v, want ErrHPKEOpen", err)
			}
		})
	}
}

func TestUnsupportedCipherSuite(t *testing.T) {
	cs := CipherSuite(2)
	if err := cs.Check(); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Fatalf("Check = %v", err)
	}
	if _, err := cs.SignWithLabel(make([]byte, 32), "x", nil); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Errorf("SignWithLabel: %v", err)
	}
	if _, _, err := cs.EncryptWithLabel(make([]byte, 32), "x", nil, nil); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Errorf("EncryptWithLabel: %v", err)
	}
	if _, err := cs.Seal(make([]byte, 16), make([]byte, 12), nil, nil); !errors.Is(err, ErrUnsupportedCipherSuite) {
		t.Errorf("Seal: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("Hash with an unchecked suite did not panic")
		}
	}()
	cs.Hash(nil)
}

func TestGeneratedKeyPairs(t *testing.T) {
	for _, cs := range []CipherSuite{CipherSuiteX25519AES128GCM, CipherSuiteX25519ChaCha20} {
		t.Run(cs.String(), func(t *testing.T) {
			sk, pk, err := cs.GenerateSignatureKeyPair()
			if err != nil {
				t.Fatal(err)
			}
			sig, err := cs.SignWithLabel(sk, "L", []byte("content"))
			if err != nil {
				t.Fatal(err)
			}
			if err := cs.VerifyWithLabel(pk, "L", []byte("content"), sig); err != nil {
				t.Error(err)
			}
			if err := cs.VerifyWithLabel(pk[:31], "L", []byte("content"), sig); !errors.Is(err, ErrSignatureKeySize) {
				t.Errorf("short public key: %v", err)
			}

			for name, gen := range map[string]func() ([]byte, []byte, error){
				"generate": cs.GenerateHPKEKeyPair,
				"derive":   func() ([]byte, []byte, error) { return cs.DeriveHPKEKeyPair([]byte("path secret ikm")) },
			} {
				priv, pub, err := gen()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				kem, ct, err := cs.EncryptWithLabel(pub, "L", []byte("ctx"), []byte("hello"))
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if pt, err := cs.DecryptWithLabel(priv, "L", []byte("ctx"), kem, ct); err != nil || string(pt) != "hello" {
					t.Errorf("%s: round trip %q, %v", name, pt, err)
				}
			}
			a, _, _ := cs.DeriveHPKEKeyPair([]byte("same"))
			b, _, _ := cs.DeriveHPKEKeyPair([]byte("same"))
			if !bytes.Equal(a, b) {
				t.Error("DeriveHPKEKeyPair is not deterministic")
			}
		})
	}
}

func TestAEAD(t *testing.T) {
	for _, cs := range []CipherSuite{CipherSuiteX25519AES128GCM, CipherSuiteX25519ChaCha20} {
		t.Run(cs.String(), func(t *testing.T) {
			key := make([]byte, cs.AEADKeySize())
			nonce := make([]byte, cs.AEADNonceSize())
			ct, err := cs.Seal(key, nonce, []byte("aad"), []byte("msg"))
			if err != nil {
				t.Fatal(err)
			}
			if pt, err := cs.Open(key, nonce, []byte("aad"), ct); err != nil || string(pt) != "msg" {
				t.Errorf("Open = %q, %v", pt, err)
			}
			if _, err := cs.Open(key, nonce, []byte("aaX"), ct); !errors.Is(err, ErrAEADOpen) {
				t.Errorf("Open with wrong aad: %v", err)
			}
			if _, err := cs.Seal(key[1:], nonce, nil, nil); !errors.Is(err, ErrAEADKeySize) {
				t.Errorf("Seal with short key: %v", err)
			}
		})
	}
}

var benchSuites = []CipherSuite{CipherSuiteX25519AES128GCM, CipherSuiteX25519ChaCha20}

func BenchmarkSignWithLabel(b *testing.B) {
	cs := CipherSuiteX25519ChaCha20
	seed, _, _ := cs.GenerateSignatureKeyPair()
	expanded, _ := cs.ExpandSignatureKey(seed)
	content := make([]byte, 256)
	for name, sk := range map[string][]byte{"seed": seed, "expanded": expanded} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := cs.SignWithLabel(sk, "FramedContentTBS", content); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerifyWithLabel(b *testing.B) {
	cs := CipherSuiteX25519ChaCha20
	sk, pk, _ := cs.GenerateSignatureKeyPair()
	content := make([]byte, 256)
	sig, _ := cs.SignWithLabel(sk, "FramedContentTBS", content)
	for b.Loop() {
		if err := cs.VerifyWithLabel(pk, "FramedContentTBS", content, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncryptWithLabel(b *testing.B) {
	for _, cs := range benchSuites {
		b.Run(fmt.Sprintf("suite%d", cs), func(b *testing.B) {
			_, pk, _ := cs.GenerateHPKEKeyPair()
			secret := make([]byte, 32)
			for b.Loop() {
				if _, _, err := cs.EncryptWithLabel(pk, "UpdatePathNode", secret, secret); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecryptWithLabel(b *testing.B) {
	for _, cs := range benchSuites {
		b.Run(fmt.Sprintf("suite%d", cs), func(b *testing.B) {
			sk, pk, _ := cs.GenerateHPKEKeyPair()
			secret := make([]byte, 32)
			kem, ct, _ := cs.EncryptWithLabel(pk, "UpdatePathNode", secret, secret)
			for b.Loop() {
				if _, err := cs.DecryptWithLabel(sk, "UpdatePathNode", secret, kem, ct); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAEADSeal(b *testing.B) {
	for _, cs := range benchSuites {
		b.Run(fmt.Sprintf("suite%d", cs), func(b *testing.B) {
			key := make([]byte, cs.AEADKeySize())
			nonce := make([]byte, cs.AEADNonceSize())
			msg := make([]byte, 100)
			for b.Loop() {
				if _, err := cs.Seal(key, nonce, nil, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
