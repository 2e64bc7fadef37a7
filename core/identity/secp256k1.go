package identity

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"golang.org/x/crypto/sha3"
)

// This file holds Ethereum's account cryptography: Keccak-256, address derivation and the
// wallet key. The curve itself is this package's own small secp256k1 (secp256k1_*.go)
// rather than decred's, whose precomputed tables and crypto/ecdsa dependency cost the
// browser module about 0.9 MB of brotli; only recovery, the hot path of validation, runs
// libsecp256k1 through go-ethereum when cgo is on (recover_cgo.go).

// keccak256 is Ethereum's Keccak-256 (the pre-standard SHA-3 padding).
func keccak256(data ...[]byte) []byte {
	h := sha3.NewLegacyKeccak256()
	for _, d := range data {
		h.Write(d)
	}
	return h.Sum(nil)
}

// recoverAddress returns the lowercase address whose key made sig (R||S||V, V in {0,1})
// over the 32-byte hash.
func recoverAddress(hash, sig []byte) (string, error) {
	pub, err := recoverPublicKey(hash, sig)
	if err != nil {
		return "", fmt.Errorf("%w: recovery failed", ErrInvalidSignature)
	}
	return addressOfUncompressed(pub), nil
}

// addressOfSEC1 returns the lowercase address of a SEC 1 public key, compressed (33 bytes,
// 0x02/0x03) or uncompressed (65 bytes, 0x04), as a legacy V2 identity key carries it. The
// point must lie on the curve; the hybrid forms 0x06/0x07 are refused, as libxmtp's k256
// refuses them.
func addressOfSEC1(pub []byte) (string, error) {
	bad := fmt.Errorf("secp256k1 key: %w", ErrInvalidPublicKey)
	switch {
	case len(pub) == 65 && pub[0] == 4:
		x, xOK := fp.fromBytes((*[32]byte)(pub[1:33]))
		y, yOK := fp.fromBytes((*[32]byte)(pub[33:]))
		if !xOK || !yOK || !onCurve(&x, &y) {
			return "", bad
		}
		return addressOfUncompressed(pub), nil
	case len(pub) == 33 && (pub[0] == 2 || pub[0] == 3):
		x, ok := fp.fromBytes((*[32]byte)(pub[1:]))
		if !ok {
			return "", bad
		}
		p, ok := liftX(&x, pub[0] == 3)
		if !ok {
			return "", bad
		}
		return addressOfUncompressed(uncompressed(&p.x, &p.y)), nil
	}
	return "", bad
}

// addressOfUncompressed is the last 20 bytes of Keccak-256 over the 64 coordinate bytes that
// follow the 0x04 prefix of an uncompressed key.
func addressOfUncompressed(pub []byte) string {
	return "0x" + hex.EncodeToString(keccak256(pub[1:])[12:])
}

// secp256k1Key is a wallet's private key d (a scalar in Montgomery form) and its public
// key d·G, uncompressed.
type secp256k1Key struct {
	d   elem
	pub [65]byte
}

// generateSecp256k1Key draws d uniformly from [1, n-1] by rejection.
func generateSecp256k1Key() (secp256k1Key, error) {
	for {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return secp256k1Key{}, fmt.Errorf("generate secp256k1 key: %w", err)
		}
		if k, err := parseSecp256k1Key(b[:]); err == nil {
			return k, nil
		}
	}
}

// parseSecp256k1Key reads a 32-byte private key, refusing zero and values not below the
// group order (which wallets refuse too).
func parseSecp256k1Key(b []byte) (secp256k1Key, error) {
	if len(b) != 32 {
		return secp256k1Key{}, ErrInvalidPrivateKey
	}
	d, ok := fn.fromBytes((*[32]byte)(b))
	if !ok || isZero(&d) == 1 {
		return secp256k1Key{}, ErrInvalidPrivateKey
	}
	pub := linearCombination(64, term{t: gTable, k: [32]byte(b)})
	x, y, _ := pub.affine(fp.inv)
	return secp256k1Key{d, [65]byte(uncompressed(&x, &y))}, nil
}

func (k secp256k1Key) bytes() []byte {
	b := fn.bytes(&k.d)
	return b[:]
}

func (k secp256k1Key) address() string { return addressOfUncompressed(k.pub[:]) }

// publicKey is the 65-byte SEC 1 uncompressed form of the public half.
func (k secp256k1Key) publicKey() []byte { return k.pub[:] }
