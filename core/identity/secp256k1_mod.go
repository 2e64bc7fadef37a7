package identity

import (
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"math/bits"
)

// Arithmetic modulo a 256-bit odd prime, shared by secp256k1's base field (mod p) and its
// scalars (mod n). Elements are kept in Montgomery form, x·2^256 mod m, as four 64-bit
// little-endian limbs, always fully reduced. Every operation but invVartime runs the same
// instructions whatever the values (carries are folded in with masks, never branched on),
// so secret keys and nonces pass through it in constant time as far as Go's compiler keeps
// it so; exponentiation branches only on the public exponent.

// elem is a residue in Montgomery form.
type elem [4]uint64

// modulus is a prime m < 2^256 with m > 2^255 (true of p and n), and its Montgomery
// constants.
type modulus struct {
	m      elem     // the prime itself, not in Montgomery form
	mInv   uint64   // -m⁻¹ mod 2^64
	rr     elem     // 2^512 mod m: multiplying by it enters Montgomery form
	one    elem     // 2^256 mod m: 1 in Montgomery form
	invExp elem     // m-2: x^(m-2) = x⁻¹ (Fermat)
	big    *big.Int // m for math/big, in invVartime
}

// newModulus derives the Montgomery constants of a prime given as 64 hex digits.
func newModulus(hexPrime string) *modulus {
	var b [32]byte
	if _, err := hex.Decode(b[:], []byte(hexPrime)); err != nil {
		panic("identity: bad modulus constant")
	}
	md := &modulus{m: limbs(&b), big: new(big.Int).SetBytes(b[:])}
	inv := uint64(1) // Newton's iteration doubles the correct low bits each round
	for range 6 {
		inv *= 2 - md.m[0]*inv
	}
	md.mInv = -inv
	// 2^256 - m is 2^256 mod m because m > 2^255; doubling it 256 times gives 2^512 mod m.
	md.one, _ = subLimbs(&elem{}, &md.m)
	md.rr = md.one
	for range 256 {
		md.rr = md.add(&md.rr, &md.rr)
	}
	md.invExp, _ = subLimbs(&md.m, &elem{2})
	return md
}

// limbs reads a 32-byte big-endian integer.
func limbs(b *[32]byte) elem {
	return elem{
		binary.BigEndian.Uint64(b[24:]), binary.BigEndian.Uint64(b[16:]),
		binary.BigEndian.Uint64(b[8:]), binary.BigEndian.Uint64(b[:8]),
	}
}

// fromBytes reads a 32-byte big-endian integer x and returns x mod m in Montgomery form, and
// whether x was already below m. Since m > 2^255, one subtraction reduces any x.
func (md *modulus) fromBytes(b *[32]byte) (elem, bool) {
	x := limbs(b)
	_, borrow := subLimbs(&x, &md.m)
	x = md.reduce(x[0], x[1], x[2], x[3], 0)
	return md.mul(&x, &md.rr), borrow == 1
}

// bytes writes x as a 32-byte big-endian integer (leaving Montgomery form).
func (md *modulus) bytes(x *elem) [32]byte {
	v := md.mul(x, &elem{1})
	var b [32]byte
	for i, l := range v {
		binary.BigEndian.PutUint64(b[24-8*i:], l)
	}
	return b
}

// subLimbs returns x - y mod 2^256 and the borrow out.
func subLimbs(x, y *elem) (elem, uint64) {
	var d elem
	var b uint64
	for i := range d {
		d[i], b = bits.Sub64(x[i], y[i], b)
	}
	return d, b
}

// reduce takes t = carry·2^256 + (t3:t2:t1:t0) below 2m and returns t mod m.
func (md *modulus) reduce(t0, t1, t2, t3, carry uint64) elem {
	d0, b := bits.Sub64(t0, md.m[0], 0)
	d1, b := bits.Sub64(t1, md.m[1], b)
	d2, b := bits.Sub64(t2, md.m[2], b)
	d3, b := bits.Sub64(t3, md.m[3], b)
	mask := -(carry | (b ^ 1)) // t ≥ m iff it overflowed or t - m did not borrow
	return elem{t0 ^ mask&(d0^t0), t1 ^ mask&(d1^t1), t2 ^ mask&(d2^t2), t3 ^ mask&(d3^t3)}
}

func (md *modulus) add(x, y *elem) elem {
	s0, c := bits.Add64(x[0], y[0], 0)
	s1, c := bits.Add64(x[1], y[1], c)
	s2, c := bits.Add64(x[2], y[2], c)
	s3, c := bits.Add64(x[3], y[3], c)
	return md.reduce(s0, s1, s2, s3, c)
}

func (md *modulus) sub(x, y *elem) elem {
	var c uint64
	d0, b := bits.Sub64(x[0], y[0], 0)
	d1, b := bits.Sub64(x[1], y[1], b)
	d2, b := bits.Sub64(x[2], y[2], b)
	d3, b := bits.Sub64(x[3], y[3], b)
	mask := -b // add m back if it borrowed
	d0, c = bits.Add64(d0, md.m[0]&mask, 0)
	d1, c = bits.Add64(d1, md.m[1]&mask, c)
	d2, c = bits.Add64(d2, md.m[2]&mask, c)
	d3, _ = bits.Add64(d3, md.m[3]&mask, c)
	return elem{d0, d1, d2, d3}
}

func (md *modulus) neg(x *elem) elem { return md.sub(&elem{}, x) }

// madd returns a·b + c + d as a 128-bit (hi, lo); it cannot overflow.
func madd(a, b, c, d uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(a, b)
	var cc uint64
	lo, cc = bits.Add64(lo, c, 0)
	hi += cc
	lo, cc = bits.Add64(lo, d, 0)
	return hi + cc, lo
}

// mul returns x·y·2^-256 mod m: the product of two Montgomery-form elements, by coarsely
// integrated operand scanning (one row of x·y[i], then one word of Montgomery reduction),
// unrolled over the limbs of x so they stay in registers.
func (md *modulus) mul(x, y *elem) elem {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	m0, m1, m2, m3 := md.m[0], md.m[1], md.m[2], md.m[3]
	var t0, t1, t2, t3, t4 uint64
	for _, yi := range y {
		var c, t5 uint64
		c, t0 = madd(x0, yi, t0, 0)
		c, t1 = madd(x1, yi, t1, c)
		c, t2 = madd(x2, yi, t2, c)
		c, t3 = madd(x3, yi, t3, c)
		t4, t5 = bits.Add64(t4, c, 0)

		q := t0 * md.mInv // makes t + q·m divisible by 2^64
		c, _ = madd(q, m0, t0, 0)
		c, t0 = madd(q, m1, t1, c)
		c, t1 = madd(q, m2, t2, c)
		c, t2 = madd(q, m3, t3, c)
		t3, c = bits.Add64(t4, c, 0)
		t4 = t5 + c
	}
	return md.reduce(t0, t1, t2, t3, t4)
}

func (md *modulus) sqr(x *elem) elem { return md.mul(x, x) }

// exp returns x^e for a public exponent e (plain limbs), by fixed 4-bit windows: the table
// index and the multiplications depend on e only.
func (md *modulus) exp(x *elem, e *elem) elem {
	var powers [16]elem
	powers[0], powers[1] = md.one, *x
	for i := 2; i < len(powers); i++ {
		powers[i] = md.mul(&powers[i-1], x)
	}
	z := md.one
	for i := 63; i >= 0; i-- {
		for range 4 {
			z = md.sqr(&z)
		}
		if w := e[i/16] >> (4 * (i % 16)) & 15; w != 0 {
			z = md.mul(&z, &powers[w])
		}
	}
	return z
}

// inv returns x⁻¹, or 0 for x = 0, in constant time.
func (md *modulus) inv(x *elem) elem { return md.exp(x, &md.invExp) }

// invVartime returns x⁻¹, or 0 for x = 0, by math/big's extended Euclid: several times
// faster than inv, but its time depends on x, so it is for public values only.
func (md *modulus) invVartime(x *elem) elem {
	b := md.bytes(x)
	v := new(big.Int).SetBytes(b[:])
	if v.ModInverse(v, md.big) == nil {
		return elem{}
	}
	v.FillBytes(b[:])
	r, _ := md.fromBytes(&b)
	return r
}

// isZero returns 1 if x is 0 and 0 otherwise, without branching.
func isZero(x *elem) uint64 {
	v := x[0] | x[1] | x[2] | x[3]
	return 1 ^ ((v | -v) >> 63)
}

// equal returns 1 if x = y and 0 otherwise, without branching.
func equal(x, y *elem) uint64 {
	d := elem{x[0] ^ y[0], x[1] ^ y[1], x[2] ^ y[2], x[3] ^ y[3]}
	return isZero(&d)
}
