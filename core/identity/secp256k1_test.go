package identity

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/big"
	mrand "math/rand/v2"
	"runtime"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	decredecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/ethereum/go-ethereum/crypto"
)

// randomKeys returns n keys from a seeded source, so a failure can be replayed.
func randomKeys(t testing.TB, n int) []secp256k1Key {
	t.Helper()
	r := mrand.New(mrand.NewChaCha8([32]byte{'s', 'e', 'c', 'p'}))
	keys := make([]secp256k1Key, 0, n)
	for len(keys) < n {
		var b [32]byte
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if k, err := parseSecp256k1Key(b[:]); err == nil {
			keys = append(keys, k)
		}
	}
	return keys
}

// crossCheckCount is thousands natively; js/wasm and -short, ten times slower or in a
// hurry, check a few hundred.
func crossCheckCount() int {
	if testing.Short() || runtime.GOARCH == "wasm" {
		return 300
	}
	return 3000
}

// TestSecp256k1MatchesDecredAndGeth signs random hashes with random keys and checks, for
// each, that the public key matches decred's, the signature is byte-identical to decred's
// RFC 6979 signature and to go-ethereum's, and recovery matches go-ethereum's.
func TestSecp256k1MatchesDecredAndGeth(t *testing.T) {
	for i, k := range randomKeys(t, crossCheckCount()) {
		hash := keccak256(k.bytes(), []byte{byte(i), byte(i >> 8)})
		dk := secp256k1.PrivKeyFromBytes(k.bytes())
		if got, want := k.publicKey(), dk.PubKey().SerializeUncompressed(); !bytes.Equal(got, want) {
			t.Fatalf("key %x: public key %x, decred %x", k.bytes(), got, want)
		}
		sig := k.sign(hash)
		compact := decredecdsa.SignCompact(dk, hash, false)
		if want := append(compact[1:], compact[0]-27); !bytes.Equal(sig, want) {
			t.Fatalf("key %x hash %x: signature %x, decred %x", k.bytes(), hash, sig, want)
		}
		ek, err := crypto.ToECDSA(k.bytes())
		if err != nil {
			t.Fatal(err)
		}
		if want, err := crypto.Sign(hash, ek); err != nil || !bytes.Equal(sig, want) {
			t.Fatalf("key %x hash %x: signature %x, go-ethereum %x (%v)", k.bytes(), hash, sig, want, err)
		}
		// A random signature-shaped input, valid scalars or not, recovers as go-ethereum does.
		forged := append(keccak256(hash), keccak256(hash, hash)...)
		for _, s := range [][]byte{sig, append(forged, byte(i&1))} {
			got, gotErr := recoverSecp256k1(hash, s)
			want, wantErr := crypto.Ecrecover(hash, s)
			if (gotErr == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
				t.Fatalf("recover %x over %x: %x, %v; go-ethereum %x, %v", s, hash, got, gotErr, want, wantErr)
			}
		}
		if pub, _ := recoverSecp256k1(hash, sig); !bytes.Equal(pub, k.publicKey()) {
			t.Fatalf("signature by %x recovered %x", k.bytes(), pub)
		}
	}
}

// TestSecp256k1HighSRecovers checks that recovery takes a high S as decred does: (R, N-S,
// V^1) recovers the signer.
func TestSecp256k1HighSRecovers(t *testing.T) {
	for _, k := range randomKeys(t, 50) {
		hash := keccak256(k.bytes())
		sig := k.sign(hash)
		high := append([]byte(nil), sig...)
		new(big.Int).Sub(secp256k1N, new(big.Int).SetBytes(sig[32:64])).FillBytes(high[32:64])
		high[64] ^= 1
		if pub, err := recoverSecp256k1(hash, high); err != nil || !bytes.Equal(pub, k.publicKey()) {
			t.Fatalf("high-S twin recovered %x, %v", pub, err)
		}
	}
}

// TestSecp256k1RecoverEdgeCases feeds recovery every kind of invalid input.
func TestSecp256k1RecoverEdgeCases(t *testing.T) {
	k := randomKeys(t, 1)[0]
	hash := keccak256([]byte("edge"))
	sig := k.sign(hash)
	n := secp256k1N.FillBytes(make([]byte, 32))
	nPlus1 := new(big.Int).Add(secp256k1N, big.NewInt(1)).FillBytes(make([]byte, 32))
	ones := bytes.Repeat([]byte{0xff}, 32)
	with := func(r, s []byte, v byte) []byte { return append(append(append([]byte(nil), r...), s...), v) }
	// x = 5 has no curve point: 5³ + 7 = 132 is not a square mod p.
	noPoint := make([]byte, 32)
	noPoint[31] = 5
	cases := []struct {
		name string
		hash []byte
		sig  []byte
		want error
	}{
		{"short hash", hash[:31], sig, errRecoverHashLength},
		{"short signature", hash, sig[:64], errRecoverSigLength},
		{"r = 0", hash, with(make([]byte, 32), sig[32:64], sig[64]), errScalarRange},
		{"s = 0", hash, with(sig[:32], make([]byte, 32), sig[64]), errScalarRange},
		{"r = n", hash, with(n, sig[32:64], sig[64]), errScalarRange},
		{"s = n", hash, with(sig[:32], n, sig[64]), errScalarRange},
		{"r = n+1", hash, with(nPlus1, sig[32:64], sig[64]), errScalarRange},
		{"s = 2^256-1", hash, with(sig[:32], ones, sig[64]), errScalarRange},
		{"v = 2", hash, with(sig[:32], sig[32:64], 2), errRecoveryID},
		{"v = 27", hash, with(sig[:32], sig[32:64], 27), errRecoveryID},
		{"x not on curve", hash, with(noPoint, sig[32:64], 0), errNotOnCurve},
	}
	for _, c := range cases {
		if _, err := recoverSecp256k1(c.hash, c.sig); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// R = G (r = Gx, whose y is even) and s = e make s·R − e·G the point at infinity.
	gx := fp.bytes(&generator.x)
	if _, err := recoverSecp256k1(hash, with(gx[:], hash, 0)); !errors.Is(err, errRecoveredInfinity) {
		t.Errorf("s·R = e·G: %v, want %v", err, errRecoveredInfinity)
	}
}

// TestSecp256k1KnownVector pins a widely published RFC 6979 vector: private key 1 signing
// SHA-256("Satoshi Nakamoto"), low S.
func TestSecp256k1KnownVector(t *testing.T) {
	one := make([]byte, 32)
	one[31] = 1
	k, err := parseSecp256k1Key(one)
	if err != nil {
		t.Fatal(err)
	}
	gx := fp.bytes(&generator.x)
	if got := k.publicKey(); !bytes.Equal(got[1:33], gx[:]) {
		t.Fatalf("1·G = %x", got)
	}
	hash := sha256.Sum256([]byte("Satoshi Nakamoto"))
	want := "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8" +
		"2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"
	if got := hex.EncodeToString(k.sign(hash[:])[:64]); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

// TestSecp256k1GroupLaw checks the complete formulas on the cases a ladder meets: doubling
// through add, the identity on either side, and P + (−P).
func TestSecp256k1GroupLaw(t *testing.T) {
	p := gTable[5]
	eq := func(a, b point) bool {
		ax, ay, aok := a.affine(fp.inv)
		bx, by, bok := b.affine(fp.inv)
		return aok == bok && (!aok || equal(&ax, &bx)&equal(&ay, &by) == 1)
	}
	if !eq(p.add(&p), p.double()) || !eq(p.double(), gTable[10]) {
		t.Fatal("P + P differs from 2P")
	}
	id := identityPt
	if !eq(p.add(&id), p) || !eq(id.add(&p), p) || !eq(id.double(), id) {
		t.Fatal("identity is not neutral")
	}
	neg := point{p.x, fp.neg(&p.y), p.z}
	if sum := p.add(&neg); isZero(&sum.z) == 0 {
		t.Fatal("P + (−P) is not the identity")
	}
	var nMinus1 [32]byte
	secp256k1N.FillBytes(nMinus1[:])
	nMinus1[31]--
	if !eq(linearCombination(64, term{t: gTable, k: nMinus1}), point{generator.x, fp.neg(&generator.y), fp.one}) {
		t.Fatal("(n−1)·G is not −G")
	}
}

// FuzzSecp256k1Recover checks recovery against go-ethereum's on arbitrary hashes and
// signatures: same key or both refuse.
func FuzzSecp256k1Recover(f *testing.F) {
	for _, k := range randomKeys(f, 4) {
		hash := keccak256(k.bytes())
		f.Add(hash, k.sign(hash))
	}
	f.Fuzz(func(t *testing.T, hash, sig []byte) {
		if len(hash) != 32 || len(sig) != 65 {
			return // go-ethereum's length checks differ in wording only
		}
		got, err := recoverSecp256k1(hash, sig)
		if sig[64] > 1 {
			if err == nil {
				t.Fatalf("recovery id %d accepted", sig[64])
			}
			return // libsecp256k1 also takes ids 2 and 3 (x = r + n); goxmtp never sends them
		}
		want, wantErr := crypto.Ecrecover(hash, sig)
		if (err == nil) != (wantErr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("recover %x over %x: %x, %v; go-ethereum %x, %v", sig, hash, got, err, want, wantErr)
		}
	})
}

func BenchmarkSecp256k1Recover(b *testing.B) {
	k := randomKeys(b, 1)[0]
	hash := keccak256([]byte("bench"))
	sig := k.sign(hash)
	b.Run("goxmtp", func(b *testing.B) {
		for b.Loop() {
			if _, err := recoverSecp256k1(hash, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decred", func(b *testing.B) {
		compact := append([]byte{27 + sig[64]}, sig[:64]...)
		for b.Loop() {
			if _, _, err := decredecdsa.RecoverCompact(compact, hash); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-ethereum", func(b *testing.B) { // libsecp256k1 with cgo, decred without
		for b.Loop() {
			if _, err := crypto.Ecrecover(hash, sig); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSecp256k1Sign(b *testing.B) {
	k := randomKeys(b, 1)[0]
	hash := keccak256([]byte("bench"))
	b.Run("goxmtp", func(b *testing.B) {
		for b.Loop() {
			k.sign(hash)
		}
	})
	b.Run("decred", func(b *testing.B) {
		dk := secp256k1.PrivKeyFromBytes(k.bytes())
		for b.Loop() {
			decredecdsa.SignCompact(dk, hash, false)
		}
	})
}

// TestSecp256k1GLV checks that the endomorphism split gives k·G for edge and random k,
// so each half fits its windows.
func TestSecp256k1GLV(t *testing.T) {
	var scalars []elem
	for _, v := range []uint64{0, 1, 2} {
		scalars = append(scalars, fn.small(v))
	}
	one := fn.small(1)
	scalars = append(scalars, fn.neg(&one))
	for _, k := range randomKeys(t, 200) {
		scalars = append(scalars, k.d)
	}
	for _, k := range scalars {
		terms := glvTerms(&k, gTable, gPhiTable)
		got := linearCombination(glvWindows, terms[0], terms[1])
		want := linearCombination(64, term{t: gTable, k: fn.bytes(&k)})
		gx, gy, gok := got.affine(fp.inv)
		wx, wy, wok := want.affine(fp.inv)
		if gok != wok || equal(&gx, &wx)&equal(&gy, &wy) != 1 && wok {
			t.Fatalf("split of %x: k₁G + k₂λG differs from kG", fn.bytes(&k))
		}
	}
}

// TestSecp256k1Inverses checks math/big's inverse against Fermat's, 0 included, mod p and n.
func TestSecp256k1Inverses(t *testing.T) {
	for _, md := range []*modulus{fp, fn} {
		xs := []elem{{}, md.one}
		for _, k := range randomKeys(t, 50) {
			xs = append(xs, k.d)
		}
		for _, x := range xs {
			if got, want := md.invVartime(&x), md.inv(&x); got != want {
				t.Fatalf("inverse of %x: %x, want %x", md.bytes(&x), md.bytes(&got), md.bytes(&want))
			}
		}
	}
}

// TestSecp256k1SEC1 checks legacy key parsing: both encodings of a key give decred's
// address; off-curve, out-of-range and hybrid (0x06/0x07) encodings are refused.
func TestSecp256k1SEC1(t *testing.T) {
	for _, k := range randomKeys(t, 50) {
		dk := secp256k1.PrivKeyFromBytes(k.bytes()).PubKey()
		want := addressOfUncompressed(dk.SerializeUncompressed())
		for _, enc := range [][]byte{dk.SerializeCompressed(), dk.SerializeUncompressed()} {
			if got, err := addressOfSEC1(enc); err != nil || got != want {
				t.Fatalf("%x: %s, %v; want %s", enc, got, err, want)
			}
		}
	}
	pub := randomKeys(t, 1)[0].publicKey()
	offCurve := append([]byte(nil), pub...)
	offCurve[64] ^= 1
	hybrid := append([]byte(nil), pub...)
	hybrid[0] = 6 | pub[64]&1
	pTooBig := append([]byte{2}, bytes.Repeat([]byte{0xff}, 32)...)
	for name, enc := range map[string][]byte{"off curve": offCurve, "hybrid": hybrid, "x ≥ p": pTooBig, "empty": nil, "compressed 0x04": pub[:33]} {
		if _, err := addressOfSEC1(enc); !errors.Is(err, ErrInvalidPublicKey) {
			t.Errorf("%s: %v, want ErrInvalidPublicKey", name, err)
		}
	}
}
