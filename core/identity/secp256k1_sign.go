package identity

import (
	"crypto/hmac"
	"crypto/sha256"
	"math/big"
)

// sign returns R||S||V over a 32-byte hash: an ECDSA signature with the RFC 6979 nonce
// (HMAC-SHA256), S made low, and V the recovery id (bit 0 the parity of R's y, bit 1 set if
// R's x was at least n). The output equals decred's and go-ethereum's for the same key and
// hash.
//
// What is constant-time: the nonce and the key pass only through the branch-free field and
// scalar arithmetic (secp256k1_mod.go) and the fixed-window multiplication with masked
// table lookups (secp256k1_point.go), k⁻¹ and Z⁻¹ are powers with a public exponent, and
// HMAC-SHA256 (Go's crypto/hmac) has no data-dependent branches. What is not: a candidate
// nonce is compared against n with a branch (a rejection happens with probability about
// 2^-128), and the public outputs (r, s, the parity of R's y) are handled freely, with
// math/big for the low-S test. Go promises nothing about the instructions it emits, and
// nothing here resists power or fault attacks: the local wallet is for tests and demos; real
// wallets sign outside goxmtp.
func (k secp256k1Key) sign(hash []byte) []byte {
	e, _ := fn.fromBytes((*[32]byte)(hash))
	nonces := newRFC6979(fn.bytes(&k.d), fn.bytes(&e))
	for {
		kb := nonces.next()
		nonce, ok := fn.fromBytes(&kb)
		if !ok || isZero(&nonce) == 1 {
			continue
		}
		p := linearCombination(64, term{t: gTable, k: kb})
		px, py, _ := p.affine(fp.inv) // 0 < nonce < n: never the identity
		xb := fp.bytes(&px)
		r, rBelowN := fn.fromBytes(&xb)
		if isZero(&r) == 1 {
			continue
		}
		rd := fn.mul(&r, &k.d)
		sum := fn.add(&e, &rd)
		kInv := fn.inv(&nonce)
		s := fn.mul(&kInv, &sum)
		if isZero(&s) == 1 {
			continue
		}
		var v byte
		if isOdd(&py) {
			v = 1
		}
		if !rBelowN {
			v |= 2
		}
		sb := fn.bytes(&s)
		if new(big.Int).SetBytes(sb[:]).Cmp(halfN) > 0 {
			s = fn.neg(&s)
			sb = fn.bytes(&s)
			v ^= 1 // -s signs for -R, whose y has the other parity
		}
		rb := fn.bytes(&r)
		return append(append(rb[:], sb[:]...), v)
	}
}

// rfc6979 is the deterministic nonce generator of RFC 6979 §3.2 with HMAC-SHA256 and a
// 256-bit order, so each candidate is one HMAC output.
type rfc6979 struct {
	key, v  []byte
	started bool
}

// newRFC6979 seeds the generator with the private key x and the hash already reduced mod n
// (steps b to g).
func newRFC6979(x, h [32]byte) *rfc6979 {
	g := &rfc6979{key: make([]byte, 32), v: make([]byte, 32)}
	for i := range g.v {
		g.v[i] = 1
	}
	for _, sep := range []byte{0, 1} {
		g.key = g.mac(g.v, []byte{sep}, x[:], h[:])
		g.v = g.mac(g.v)
	}
	return g
}

// next returns the next candidate nonce (step h); the caller rejects one out of range.
func (g *rfc6979) next() [32]byte {
	if g.started {
		g.key = g.mac(g.v, []byte{0})
		g.v = g.mac(g.v)
	}
	g.started = true
	g.v = g.mac(g.v)
	return [32]byte(g.v)
}

func (g *rfc6979) mac(parts ...[]byte) []byte {
	m := hmac.New(sha256.New, g.key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}
