package identity

import (
	"fmt"
	"math/big"
	"strconv"
)

// secp256k1N is the order of secp256k1's group; halfN bounds a low S.
var (
	secp256k1N, _ = new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
	halfN         = new(big.Int).Rsh(secp256k1N, 1)
)

// eip191Hash is the hash personal_sign signs: Keccak-256 over "\x19Ethereum Signed
// Message:\n", the decimal byte length of the text, and the text.
func eip191Hash(text string) []byte {
	return keccak256([]byte("\x19Ethereum Signed Message:\n"+strconv.Itoa(len(text))), []byte(text))
}

// recoverERC191 returns the lowercase address that signed text with EIP-191, and the
// signature in the form recorded against replay.
//
// Like libxmtp (signature.rs to_lower_s), a high S is replaced by N-S while V is kept as
// sent, and the normalised bytes are what replay protection records. (R, N-S, V) thus
// counts as the signature (R, S, V) and is caught as its replay, while a correctly
// malleated twin (R, N-S, V^1) recovers another address and is refused, as in libxmtp.
func recoverERC191(text string, sig []byte) (string, []byte, error) {
	normalized, err := lowS(sig)
	if err != nil {
		return "", nil, err
	}
	parity, ok := recoveryParity(normalized[64])
	if !ok {
		return "", nil, fmt.Errorf("%w: recovery id %d", ErrInvalidSignature, normalized[64])
	}
	rs := append(normalized[:64:64], parity)
	address, err := recoverAddress(eip191Hash(text), rs)
	if err != nil {
		return "", nil, err
	}
	return address, normalized, nil
}

// lowS checks that sig is R||S||V with R and S in [1, N-1] and returns a copy with S low.
func lowS(sig []byte) ([]byte, error) {
	if len(sig) != 65 {
		return nil, fmt.Errorf("%w: ecdsa signature of %d bytes, want 65", ErrInvalidSignature, len(sig))
	}
	r := new(big.Int).SetBytes(sig[:32])
	s := new(big.Int).SetBytes(sig[32:64])
	if r.Sign() == 0 || s.Sign() == 0 || r.Cmp(secp256k1N) >= 0 || s.Cmp(secp256k1N) >= 0 {
		return nil, fmt.Errorf("%w: ecdsa scalar out of range", ErrInvalidSignature)
	}
	out := append([]byte(nil), sig...)
	if s.Cmp(halfN) > 0 {
		s.Sub(secp256k1N, s).FillBytes(out[32:64])
	}
	return out, nil
}

// recoveryParity reads V the way alloy does: 0/1 raw, 27/28 legacy, 35 and up EIP-155.
func recoveryParity(v byte) (byte, bool) {
	switch {
	case v <= 1:
		return v, true
	case v == 27 || v == 28:
		return v - 27, true
	case v >= 35:
		return (v - 35) & 1, true
	}
	return 0, false
}
