package identity

import "errors"

// Why a secp256k1 public key cannot be recovered from a signature.
var (
	errRecoverHashLength = errors.New("identity: secp256k1 recovery needs a 32-byte hash")
	errRecoverSigLength  = errors.New("identity: secp256k1 recoverable signature must be 65 bytes")
	errRecoveryID        = errors.New("identity: secp256k1 recovery id must be 0 or 1")
	errScalarRange       = errors.New("identity: secp256k1 r or s not in [1, n-1]")
	errNotOnCurve        = errors.New("identity: secp256k1 r is not the x of a curve point")
	errRecoveredInfinity = errors.New("identity: secp256k1 recovered the point at infinity")
)

// recoverSecp256k1 returns the 65-byte uncompressed public key that made sig (R||S||V, V in
// {0,1}, S high or low) over the 32-byte hash, per SEC 1 §4.1.6 as Ethereum uses it:
// R is the point with x = r and the parity of V, and the key is r⁻¹(s·R − e·G). V of 2 or 3
// (x = r + n, which happens for one signature in about 2^128) is refused. Only public data
// flows through here, so it may take variable-time shortcuts: the GLV split and math/big's
// inverses.
func recoverSecp256k1(hash, sig []byte) ([]byte, error) {
	if len(hash) != 32 {
		return nil, errRecoverHashLength
	}
	if len(sig) != 65 {
		return nil, errRecoverSigLength
	}
	if sig[64] > 1 {
		return nil, errRecoveryID
	}
	r, rOK := fn.fromBytes((*[32]byte)(sig[:32]))
	s, sOK := fn.fromBytes((*[32]byte)(sig[32:64]))
	if !rOK || !sOK || isZero(&r) == 1 || isZero(&s) == 1 {
		return nil, errScalarRange
	}
	x, _ := fp.fromBytes((*[32]byte)(sig[:32])) // r < n < p
	rPoint, ok := liftX(&x, sig[64] == 1)
	if !ok {
		return nil, errNotOnCurve
	}
	e, _ := fn.fromBytes((*[32]byte)(hash))
	rInv := fn.invVartime(&r)
	u1 := fn.mul(&e, &rInv)
	u1 = fn.neg(&u1)
	u2 := fn.mul(&s, &rInv)
	rTable := newTable(&rPoint)
	g, h := glvTerms(&u1, gTable, gPhiTable), glvTerms(&u2, rTable, rTable.endomorphism())
	q := linearCombination(glvWindows, g[0], g[1], h[0], h[1])
	qx, qy, ok := q.affine(fp.invVartime)
	if !ok {
		return nil, errRecoveredInfinity
	}
	return uncompressed(&qx, &qy), nil
}
