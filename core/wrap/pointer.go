package wrap

import (
	"crypto/cipher"
	"crypto/rand"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// XIP-74 welcome pointers (xmtp-protocol.md §3.3 item 7, §7.2). A welcome for a large group
// is encrypted once under a random key and published as a "pointee" with [SymmetricKey];
// each recipient gets a WelcomePointer proto naming the pointee and carrying the key, sealed
// to its own HPKE key. The proto encoding of the pointer belongs to the caller.

// PointeeAEADChaCha20Poly1305 is WelcomePointeeEncryptionAeadType CHACHA20_POLY1305, the
// only AEAD a pointer may name (openmls's AeadType numbering).
const PointeeAEADChaCha20Poly1305 = 3

// PointeeKey is the secret half of a welcome pointer: the pointee's key and the two nonces
// of its welcome and metadata ciphertexts.
type PointeeKey struct {
	Key           [chacha20poly1305.KeySize]byte
	DataNonce     [chacha20poly1305.NonceSize]byte
	MetadataNonce [chacha20poly1305.NonceSize]byte
}

// NewPointeeKey draws a fresh key and two nonces. The nonces must differ, because both
// ciphertexts are made under the same key.
func NewPointeeKey() PointeeKey {
	var k PointeeKey
	rand.Read(k.Key[:])
	rand.Read(k.DataNonce[:])
	for {
		rand.Read(k.MetadataNonce[:])
		if k.MetadataNonce != k.DataNonce {
			return k
		}
	}
}

// ParsePointeeKey checks the sizes of the fields of a received WelcomeV1Pointer.
func ParsePointeeKey(key, dataNonce, metadataNonce []byte) (PointeeKey, error) {
	var k PointeeKey
	if len(key) != len(k.Key) || len(dataNonce) != len(k.DataNonce) || len(metadataNonce) != len(k.MetadataNonce) {
		return PointeeKey{}, fmt.Errorf("wrap: welcome pointer key or nonce size: %w", ErrInvalidKey)
	}
	copy(k.Key[:], key)
	copy(k.DataNonce[:], dataNonce)
	copy(k.MetadataNonce[:], metadataNonce)
	return k, nil
}

func (k *PointeeKey) aead() cipher.AEAD {
	aead, err := chacha20poly1305.New(k.Key[:])
	if err != nil {
		panic("wrap: chacha20poly1305 rejected a 32-byte key")
	}
	return aead
}

// Seal encrypts the pointee's welcome and metadata, each with empty associated data.
func (k *PointeeKey) Seal(welcome, metadata []byte) (data, metadataCT []byte) {
	aead := k.aead()
	return aead.Seal(nil, k.DataNonce[:], welcome, nil), aead.Seal(nil, k.MetadataNonce[:], metadata, nil)
}

// Open decrypts a pointee. Unlike HPKE welcomes, a pointee always carries its metadata
// ciphertext, so an empty one fails.
func (k *PointeeKey) Open(data, metadataCT []byte) (welcome, metadata []byte, err error) {
	aead := k.aead()
	welcome, err = aead.Open(nil, k.DataNonce[:], data, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap: open pointee welcome: %w", ErrDecrypt)
	}
	metadata, err = aead.Open(nil, k.MetadataNonce[:], metadataCT, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap: open pointee metadata: %w", ErrDecrypt)
	}
	return welcome, metadata, nil
}

// SealPointer wraps a serialized WelcomePointer proto for one recipient. libxmtp runs the
// welcome wrapping with an empty second payload and sends only the first ciphertext.
func SealPointer(alg Algorithm, recipientPub, pointer []byte) ([]byte, error) {
	data, _, err := Seal(alg, recipientPub, pointer, nil)
	return data, err
}

// OpenPointer unwraps what [SealPointer] produced.
func OpenPointer(alg Algorithm, recipientPriv, sealed []byte) ([]byte, error) {
	pointer, _, err := Open(alg, recipientPriv, sealed, nil)
	return pointer, err
}
