package identity

import "encoding/hex"

// The group of secp256k1 (SEC 2 §2.4.1): y² = x³ + 7 over the prime field of p, with a
// base point G of prime order n. Points are kept in homogeneous projective coordinates
// (X:Y:Z), x = X/Z and y = Y/Z, and added with the complete formulas of Renes, Costello and
// Batina ("Complete addition formulas for prime order elliptic curves", 2015, algorithms 7
// and 9 for a = 0): one branch-free formula covers doubling and the identity (0:1:0) too,
// so a scalar multiple takes the same steps for every scalar.

// The moduli: p of the base field and n, the order of G.
var (
	fp = newModulus("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")
	fn = newModulus("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")
)

var (
	curveB  = fp.small(7)
	curveB3 = fp.small(21) // 3b, as the formulas use it
	// sqrtExp is (p+1)/4, the exponent of a square root since p ≡ 3 mod 4.
	sqrtExp   = hexLimbs("3fffffffffffffffffffffffffffffffffffffffffffffffffffffffbfffff0c")
	generator = point{
		hexElem("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
		hexElem("483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"),
		fp.one,
	}
	identityPt = point{elem{}, fp.one, elem{}}
	gTable     = newTable(&generator)
)

// small returns v in Montgomery form.
func (md *modulus) small(v uint64) elem { return md.mul(&elem{v}, &md.rr) }

// hexLimbs reads a 64-hex-digit constant as plain limbs.
func hexLimbs(s string) elem {
	var b [32]byte
	if _, err := hex.Decode(b[:], []byte(s)); err != nil {
		panic("identity: bad secp256k1 constant")
	}
	return limbs(&b)
}

// hexElem reads a 64-hex-digit field constant into Montgomery form.
func hexElem(s string) elem {
	x := hexLimbs(s)
	return fp.mul(&x, &fp.rr)
}

// point is a curve point in projective coordinates over fp (Montgomery form).
type point struct{ x, y, z elem }

// add returns p + q for any two points, equal, opposite or the identity included
// (algorithm 7: 12 multiplications, 2 by 3b).
func (p *point) add(q *point) point {
	t0 := fp.mul(&p.x, &q.x)
	t1 := fp.mul(&p.y, &q.y)
	t2 := fp.mul(&p.z, &q.z)
	a, b := fp.add(&p.x, &p.y), fp.add(&q.x, &q.y)
	t3 := fp.mul(&a, &b)
	a = fp.add(&t0, &t1)
	t3 = fp.sub(&t3, &a) // X1Y2 + X2Y1
	a, b = fp.add(&p.y, &p.z), fp.add(&q.y, &q.z)
	t4 := fp.mul(&a, &b)
	a = fp.add(&t1, &t2)
	t4 = fp.sub(&t4, &a) // Y1Z2 + Y2Z1
	a, b = fp.add(&p.x, &p.z), fp.add(&q.x, &q.z)
	t5 := fp.mul(&a, &b)
	a = fp.add(&t0, &t2)
	t5 = fp.sub(&t5, &a) // X1Z2 + X2Z1
	t0x3 := fp.add(&t0, &t0)
	t0x3 = fp.add(&t0x3, &t0)
	t2 = fp.mul(&curveB3, &t2)
	zSum := fp.add(&t1, &t2)
	t1 = fp.sub(&t1, &t2)
	t5 = fp.mul(&curveB3, &t5)

	var r point
	a, b = fp.mul(&t4, &t5), fp.mul(&t3, &t1)
	r.x = fp.sub(&b, &a)
	a, b = fp.mul(&t5, &t0x3), fp.mul(&t1, &zSum)
	r.y = fp.add(&b, &a)
	a, b = fp.mul(&zSum, &t4), fp.mul(&t0x3, &t3)
	r.z = fp.add(&a, &b)
	return r
}

// double returns 2p (algorithm 9: 6 multiplications, 2 squarings, 1 by 3b).
func (p *point) double() point {
	t0 := fp.sqr(&p.y)
	z8 := fp.add(&t0, &t0)
	z8 = fp.add(&z8, &z8)
	z8 = fp.add(&z8, &z8) // 8Y²
	t1 := fp.mul(&p.y, &p.z)
	t2 := fp.sqr(&p.z)
	t2 = fp.mul(&curveB3, &t2)

	var r point
	r.x = fp.mul(&t2, &z8)
	y3 := fp.add(&t0, &t2)
	r.z = fp.mul(&t1, &z8)
	t2x3 := fp.add(&t2, &t2)
	t2x3 = fp.add(&t2x3, &t2)
	t0 = fp.sub(&t0, &t2x3)
	y3 = fp.mul(&t0, &y3)
	r.y = fp.add(&r.x, &y3)
	xy := fp.mul(&p.x, &p.y)
	r.x = fp.mul(&t0, &xy)
	r.x = fp.add(&r.x, &r.x)
	return r
}

// affine returns (x, y) = (X/Z, Y/Z), and false for the identity. inv is fp.inv for a
// secret point, fp.invVartime for a public one.
func (p *point) affine(inv func(*elem) elem) (x, y elem, ok bool) {
	zInv := inv(&p.z)
	return fp.mul(&p.x, &zInv), fp.mul(&p.y, &zInv), isZero(&p.z) == 0
}

// curveRHS is x³ + 7.
func curveRHS(x *elem) elem {
	x2 := fp.sqr(x)
	x3 := fp.mul(&x2, x)
	return fp.add(&x3, &curveB)
}

// onCurve reports whether (x, y) satisfies the curve equation.
func onCurve(x, y *elem) bool {
	rhs, y2 := curveRHS(x), fp.sqr(y)
	return equal(&rhs, &y2) == 1
}

// liftX returns the curve point with abscissa x and a y of the given parity (SEC 1
// §2.3.4), or false if x³ + 7 has no square root.
func liftX(x *elem, odd bool) (point, bool) {
	rhs := curveRHS(x)
	y := fp.exp(&rhs, &sqrtExp)
	if !onCurve(x, &y) {
		return point{}, false
	}
	if isOdd(&y) != odd {
		y = fp.neg(&y)
	}
	return point{*x, y, fp.one}, true
}

// isOdd is the parity of y as an integer.
func isOdd(y *elem) bool { return fp.bytes(y)[31]&1 == 1 }

// uncompressed is the 65-byte SEC 1 encoding 0x04 || x || y of an affine point.
func uncompressed(x, y *elem) []byte {
	xb, yb := fp.bytes(x), fp.bytes(y)
	return append(append([]byte{4}, xb[:]...), yb[:]...)
}

// table holds the multiples 0·P … 15·P of a point, for 4-bit windows.
type table [16]point

func newTable(p *point) *table {
	t := &table{identityPt, *p}
	for i := 2; i < len(t); i++ {
		t[i] = t[i-1].add(p)
	}
	return t
}

// lookup returns t[w], reading every entry so the memory access pattern does not depend on w.
func (t *table) lookup(w uint64) point {
	var r point
	for i := range t {
		d := uint64(i) ^ w
		mask := (d|-d)>>63 - 1 // all ones for the entry w, zero for the others
		for j := range 4 {
			r.x[j] |= t[i].x[j] & mask
			r.y[j] |= t[i].y[j] & mask
			r.z[j] |= t[i].z[j] & mask
		}
	}
	return r
}

// term is one k·P of a sum: P's table, the 32-byte big-endian scalar k, and whether to
// subtract rather than add (public terms only: it is a branch).
type term struct {
	t   *table
	k   [32]byte
	neg bool
}

// linearCombination returns Σ ±k·P over the terms whose scalars are below 16^windows, by
// 4-bit fixed windows shared by all terms (Straus): 4 doublings per window and one table
// lookup and addition per term per window, the same steps for every scalar.
func linearCombination(windows int, terms ...term) point {
	acc := identityPt
	for i := 64 - windows; i < 64; i++ {
		for range 4 {
			acc = acc.double()
		}
		for _, tm := range terms {
			w := uint64(tm.k[i/2]>>(4*(1-i%2))) & 15
			p := tm.t.lookup(w)
			if tm.neg {
				p.y = fp.neg(&p.y)
			}
			acc = acc.add(&p)
		}
	}
	return acc
}
