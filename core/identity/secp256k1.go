package identity

import (
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
)

// This file is the only one that imports go-ethereum: secp256k1 signing and public key
// recovery, Keccak-256 and address derivation. Natively (cgo) go-ethereum runs
// libsecp256k1; in js/wasm it falls back to decred's pure-Go secp256k1. Keeping the surface
// here small keeps the wasm's share of go-ethereum to the crypto package and what it needs.

// keccak256 is Ethereum's Keccak-256 (the pre-standard SHA-3 padding).
func keccak256(data ...[]byte) []byte { return crypto.Keccak256(data...) }

// recoverAddress returns the lowercase address whose key made sig (R||S||V, V in {0,1})
// over the 32-byte hash.
func recoverAddress(hash, sig []byte) (string, error) {
	pub, err := crypto.Ecrecover(hash, sig)
	if err != nil {
		return "", fmt.Errorf("%w: recovery failed", ErrInvalidSignature)
	}
	return addressOfUncompressed(pub), nil
}

// addressOfSEC1 returns the lowercase address of a SEC1 public key, compressed (33 bytes) or
// uncompressed (65 bytes), as a legacy V2 identity key carries it.
func addressOfSEC1(pub []byte) (string, error) {
	var key *ecdsa.PublicKey
	var err error
	if len(pub) == 33 {
		key, err = crypto.DecompressPubkey(pub)
	} else {
		key, err = crypto.UnmarshalPubkey(pub)
	}
	if err != nil {
		return "", fmt.Errorf("secp256k1 key: %w", ErrInvalidPublicKey)
	}
	return addressOfUncompressed(crypto.FromECDSAPub(key)), nil
}

// addressOfUncompressed hashes the 64 coordinate bytes after the 0x04 prefix; the address is
// the last 20 bytes of that hash.
func addressOfUncompressed(pub []byte) string {
	return "0x" + hex.EncodeToString(keccak256(pub[1:])[12:])
}

// secp256k1Key is a wallet's private key.
type secp256k1Key struct{ key *ecdsa.PrivateKey }

func generateSecp256k1Key() (secp256k1Key, error) {
	k, err := crypto.GenerateKey()
	if err != nil {
		return secp256k1Key{}, fmt.Errorf("generate secp256k1 key: %w", err)
	}
	return secp256k1Key{k}, nil
}

func parseSecp256k1Key(d []byte) (secp256k1Key, error) {
	k, err := crypto.ToECDSA(d)
	if err != nil {
		return secp256k1Key{}, fmt.Errorf("secp256k1 private key: %w", ErrInvalidPublicKey)
	}
	return secp256k1Key{k}, nil
}

func (k secp256k1Key) bytes() []byte { return crypto.FromECDSA(k.key) }

func (k secp256k1Key) address() string { return addressOfUncompressed(k.publicKey()) }

// publicKey is the 65-byte SEC1 uncompressed form of the public half.
func (k secp256k1Key) publicKey() []byte { return crypto.FromECDSAPub(&k.key.PublicKey) }

// sign returns R||S||V with low S and V in {0,1}.
func (k secp256k1Key) sign(hash []byte) ([]byte, error) {
	sig, err := crypto.Sign(hash, k.key)
	if err != nil {
		return nil, fmt.Errorf("secp256k1 sign: %w", err)
	}
	return sig, nil
}
