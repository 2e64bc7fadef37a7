package wrap

import (
	"crypto/rand"
	"testing"

	circlxwing "github.com/cloudflare/circl/kem/xwing"
)

// The X-Wing benchmarks compare this package's KEM (crypto/mlkem with circl's X25519) with
// circl's complete X-Wing, natively and in js/wasm; the choice and its figures are in the
// commit that made xwing.go use circl's X25519.

func BenchmarkXWingKeygen(b *testing.B) {
	seed := make([]byte, XWingSeedSize)
	rand.Read(seed)
	b.Run("wrap", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewXWingPrivateKey(seed); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		for b.Loop() {
			circlxwing.DeriveKeyPairPacked(seed)
		}
	})
}

func BenchmarkXWingEncap(b *testing.B) {
	sk, err := GenerateXWingKey()
	if err != nil {
		b.Fatal(err)
	}
	pkBytes := sk.PublicKey().Bytes()
	b.Run("wrap", func(b *testing.B) {
		for b.Loop() {
			pk, err := NewXWingPublicKey(pkBytes)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := pk.Encapsulate(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := circlxwing.Encapsulate(pkBytes, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkXWingDecap(b *testing.B) {
	sk, err := GenerateXWingKey()
	if err != nil {
		b.Fatal(err)
	}
	_, ct, err := sk.PublicKey().Encapsulate()
	if err != nil {
		b.Fatal(err)
	}
	seed := sk.Bytes()
	b.Run("wrap", func(b *testing.B) {
		for b.Loop() {
			if _, err := sk.Decapsulate(ct); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		for b.Loop() {
			circlxwing.Decapsulate(ct, seed)
		}
	})
}

// welcome200KB is about the size of a 400-member group's Welcome (xmtp-protocol.md §7.2).
func welcome200KB() []byte {
	w := make([]byte, 200<<10)
	rand.Read(w)
	return w
}

func BenchmarkSeal200KB(b *testing.B) {
	welcome, metadata := welcome200KB(), []byte{0x08, 0x01}
	for _, r := range newTestRecipients(b) {
		b.Run(r.alg.String(), func(b *testing.B) {
			b.SetBytes(int64(len(welcome)))
			for b.Loop() {
				if _, _, err := Seal(r.alg, r.pub, welcome, metadata); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen200KB(b *testing.B) {
	welcome, metadata := welcome200KB(), []byte{0x08, 0x01}
	for _, r := range newTestRecipients(b) {
		data, metaCT, err := Seal(r.alg, r.pub, welcome, metadata)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(r.alg.String(), func(b *testing.B) {
			b.SetBytes(int64(len(welcome)))
			for b.Loop() {
				if _, _, err := Open(r.alg, r.priv, data, metaCT); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
