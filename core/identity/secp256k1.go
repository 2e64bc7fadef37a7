package identity

import (
	"encoding/hex"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"golang.org/x/crypto/sha3"
)

// This file holds Ethereum's cryptography: Keccak-256, secp256k1 signing, public key
// recovery and address derivation. The curve is decred's secp256k1, the pure-Go backend
// go-ethereum itself uses without cgo (always the case in js/wasm); only recovery, the hot
// path of validation, runs libsecp256k1 through go-ethereum when cgo is on
// (recover_cgo.go). Calling decred directly rather than through go-ethereum/crypto keeps
// go-ethereum's common, rlp and uint256 packages out of the browser module: 0.42 MB of
// brotli-compressed wasm (size ledger in the commit that made this split).

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

// addressOfSEC1 returns the lowercase address of a SEC1 public key, compressed (33 bytes) or
// uncompressed (65 bytes), as a legacy V2 identity key carries it.
func addressOfSEC1(pub []byte) (string, error) {
	key, err := secp256k1.ParsePubKey(pub)
	if err != nil {
		return "", fmt.Errorf("secp256k1 key: %w", ErrInvalidPublicKey)
	}
	return addressOf(key), nil
}

// addressOf is the address of a public key.
func addressOf(pub *secp256k1.PublicKey) string {
	return addressOfUncompressed(pub.SerializeUncompressed())
}

// addressOfUncompressed is the last 20 bytes of Keccak-256 over the 64 coordinate bytes that
// follow the 0x04 prefix of an uncompressed key.
func addressOfUncompressed(pub []byte) string {
	return "0x" + hex.EncodeToString(keccak256(pub[1:])[12:])
}

// secp256k1Key is a wallet's private key.
type secp256k1Key struct{ key *secp256k1.PrivateKey }

func generateSecp256k1Key() (secp256k1Key, error) {
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		return secp256k1Key{}, fmt.Errorf("generate secp256k1 key: %w", err)
	}
	return secp256k1Key{k}, nil
}

// parseSecp256k1Key reads a 32-byte private key, refusing zero and values not below the
// group order (which wallets refuse too).
func parseSecp256k1Key(d []byte) (secp256k1Key, error) {
	var s secp256k1.ModNScalar
	if len(d) != 32 || s.SetByteSlice(d) || s.IsZero() {
		return secp256k1Key{}, ErrInvalidPrivateKey
	}
	return secp256k1Key{secp256k1.NewPrivateKey(&s)}, nil
}

func (k secp256k1Key) bytes() []byte { return k.key.Serialize() }

func (k secp256k1Key) address() string { return addressOf(k.key.PubKey()) }

// publicKey is the 65-byte SEC1 uncompressed form of the public half.
func (k secp256k1Key) publicKey() []byte { return k.key.PubKey().SerializeUncompressed() }

// sign returns R||S||V with low S (RFC 6979 nonces) and V in {0,1}.
func (k secp256k1Key) sign(hash []byte) []byte {
	compact := ecdsa.SignCompact(k.key, hash, false)
	return append(compact[1:], compact[0]-27)
}
