package mls

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	circlx25519 "github.com/cloudflare/circl/dh/x25519"
	circled25519 "github.com/cloudflare/circl/sign/ed25519"
)

// These benchmarks compare the standard library's X25519 and Ed25519 with circl's, natively
// and in js/wasm, the evidence DESIGN.md asks for before circl may replace the standard library
// on a hot path (HPKE to every path node, a signature on every message).

func BenchmarkX25519(b *testing.B) {
	b.Run("stdlib", func(b *testing.B) {
		priv, _ := ecdh.X25519().GenerateKey(nil)
		peer, _ := ecdh.X25519().GenerateKey(nil)
		for b.Loop() {
			if _, err := priv.ECDH(peer.PublicKey()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		var priv, peerPriv, peer, shared circlx25519.Key
		priv[0], peerPriv[0] = 1, 2
		circlx25519.KeyGen(&peer, &peerPriv)
		for b.Loop() {
			if !circlx25519.Shared(&shared, &priv, &peer) {
				b.Fatal("low-order point")
			}
		}
	})
}

// BenchmarkX25519Encap is an HPKE sender's X25519 work: an ephemeral key pair, then the
// shared secret with the recipient.
func BenchmarkX25519Encap(b *testing.B) {
	b.Run("stdlib", func(b *testing.B) {
		peer, _ := ecdh.X25519().GenerateKey(nil)
		for b.Loop() {
			eph, _ := ecdh.X25519().GenerateKey(nil)
			if _, err := eph.ECDH(peer.PublicKey()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		var eph, ephPub, peerPriv, peer, shared circlx25519.Key
		peerPriv[0] = 2
		circlx25519.KeyGen(&peer, &peerPriv)
		for b.Loop() {
			rand.Read(eph[:])
			circlx25519.KeyGen(&ephPub, &eph)
			if !circlx25519.Shared(&shared, &eph, &peer) {
				b.Fatal("low-order point")
			}
		}
	})
}

func BenchmarkEd25519Sign(b *testing.B) {
	msg := make([]byte, 256)
	b.Run("stdlib", func(b *testing.B) {
		_, sk, _ := ed25519.GenerateKey(nil)
		for b.Loop() {
			ed25519.Sign(sk, msg)
		}
	})
	b.Run("stdlib-from-seed", func(b *testing.B) {
		seed := make([]byte, ed25519.SeedSize)
		for b.Loop() {
			ed25519.Sign(ed25519.NewKeyFromSeed(seed), msg)
		}
	})
	b.Run("circl", func(b *testing.B) {
		sk := circled25519.NewKeyFromSeed(make([]byte, circled25519.SeedSize))
		for b.Loop() {
			circled25519.Sign(sk, msg)
		}
	})
}

func BenchmarkEd25519Verify(b *testing.B) {
	msg := make([]byte, 256)
	b.Run("stdlib", func(b *testing.B) {
		pk, sk, _ := ed25519.GenerateKey(nil)
		sig := ed25519.Sign(sk, msg)
		for b.Loop() {
			if !ed25519.Verify(pk, msg, sig) {
				b.Fatal("verify")
			}
		}
	})
	b.Run("circl", func(b *testing.B) {
		sk := circled25519.NewKeyFromSeed(make([]byte, circled25519.SeedSize))
		pk := sk.Public().(circled25519.PublicKey)
		sig := circled25519.Sign(sk, msg)
		for b.Loop() {
			if !circled25519.Verify(pk, msg, sig) {
				b.Fatal("verify")
			}
		}
	})
}
