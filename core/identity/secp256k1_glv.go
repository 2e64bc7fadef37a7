package identity

import "math/big"

// The GLV endomorphism of secp256k1 (Gallant, Lambert and Vanstone, CRYPTO 2001): for the
// cube roots of unity β mod p below and λ mod n (5363ad4c…1b23bd72, implicit in the
// basis), λ·(x, y) = (β·x, y). Recovery splits each
// public scalar k into k₁ + k₂·λ with k₁ and k₂ of about 128 bits, so u₁·G + u₂·R becomes a
// sum of four half-length multiples and needs half the doublings. The split uses math/big
// and branches on the scalar, so signing, whose scalar is secret, does not use it.

var (
	glvBeta = hexElem("7ae96a2b657c07106e64479eac3434e99cf0497512f58995c1396c28719501ee")
	// A short basis (a₁, b₁), (a₂, b₂) of the lattice of pairs (x, y) with x + y·λ ≡ 0
	// mod n; b₁ is negative, so −b₁ is kept, and b₂ = a₁.
	glvA1      = hexInt("3086d221a7d46bcde86c90e49284eb15")
	glvMinusB1 = hexInt("e4437ed6010e88286f547fa90abfe4c3")
	glvA2      = hexInt("114ca50f7a8e2f3f657c1108d9d44cfd8")

	gPhiTable = gTable.endomorphism()
)

// glvWindows is the 4-bit windows of a split half: 128 bits, and one spare.
const glvWindows = 33

func hexInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("identity: bad secp256k1 constant")
	}
	return v
}

// endomorphism returns the table of λ·P from that of P: each X times β.
func (t *table) endomorphism() *table {
	e := *t
	for i := range e {
		e[i].x = fp.mul(&e[i].x, &glvBeta)
	}
	return &e
}

// glvTerms returns the two terms, over t and its endomorphism table e, whose sum is k·P.
func glvTerms(k *elem, t, e *table) [2]term {
	kb := fn.bytes(k)
	kk := new(big.Int).SetBytes(kb[:])
	// c₁ = round(b₂k/n), c₂ = round(−b₁k/n); k₁ = k − c₁a₁ − c₂a₂ and k₂ = −c₁b₁ − c₂b₂.
	c1 := roundDiv(new(big.Int).Mul(glvA1, kk))
	c2 := roundDiv(new(big.Int).Mul(glvMinusB1, kk))
	k1 := new(big.Int).Sub(kk, new(big.Int).Mul(c1, glvA1))
	k1.Sub(k1, new(big.Int).Mul(c2, glvA2))
	k2 := new(big.Int).Mul(c1, glvMinusB1)
	k2.Sub(k2, new(big.Int).Mul(c2, glvA1))
	return [2]term{halfTerm(k1, t), halfTerm(k2, e)}
}

// roundDiv returns round(x/n) for x ≥ 0.
func roundDiv(x *big.Int) *big.Int {
	return x.Add(x, halfN).Quo(x, secp256k1N)
}

// halfTerm is the term k·P for a signed k of at most 132 bits: |k| over P or −P.
func halfTerm(k *big.Int, t *table) term {
	tm := term{t: t, neg: k.Sign() < 0}
	new(big.Int).Abs(k).FillBytes(tm.k[:])
	return tm
}
