package mls

import (
	"crypto/ecdh"
	"crypto/hpke"
	"errors"
	"fmt"
)

// HPKE errors.
var (
	// ErrHPKEPublicKey means an HPKE public key could not be parsed for the suite's KEM.
	ErrHPKEPublicKey = errors.New("mls: invalid HPKE public key")
	// ErrHPKEPrivateKey means an HPKE private key could not be parsed for the suite's KEM.
	ErrHPKEPrivateKey = errors.New("mls: invalid HPKE private key")
	// ErrHPKEOpen means an HPKE ciphertext did not decrypt: wrong key, context or tampering.
	ErrHPKEOpen = errors.New("mls: HPKE decryption failed")
)

// Both supported suites use DHKEM(X25519, HKDF-SHA256) and HKDF-SHA256 inside HPKE.
var (
	hpkeKEM = hpke.DHKEM(ecdh.X25519())
	hpkeKDF = hpke.HKDFSHA256()
)

// encryptContext is the EncryptContext of RFC 9420 §5.1.3, used as the HPKE info so that a
// ciphertext made for one purpose cannot be opened as another.
func encryptContext(label string, context []byte) []byte {
	e := NewEncoder(len(labelPrefix) + len(label) + len(context) + 8)
	e.Opaque([]byte(labelPrefix + label))
	e.Opaque(context)
	return e.Bytes()
}

// EncryptWithLabel HPKE-seals plaintext to pub in base mode with an empty AAD. The ephemeral
// key comes from crypto/rand's global source (Go 1.26).
func (cs CipherSuite) EncryptWithLabel(pub []byte, label string, context, plaintext []byte) (kemOutput, ciphertext []byte, err error) {
	p := cs.params()
	if p == nil {
		return nil, nil, cs.Check()
	}
	pk, err := hpkeKEM.NewPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, ErrHPKEPublicKey)
	}
	enc, sender, err := hpke.NewSender(pk, hpkeKDF, p.hpkeAEAD, encryptContext(label, context))
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, err)
	}
	ct, err := sender.Seal(nil, plaintext)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, err)
	}
	return enc, ct, nil
}

// DecryptWithLabel opens what EncryptWithLabel sealed to the public key of priv.
func (cs CipherSuite) DecryptWithLabel(priv []byte, label string, context, kemOutput, ciphertext []byte) ([]byte, error) {
	p := cs.params()
	if p == nil {
		return nil, cs.Check()
	}
	sk, err := hpkeKEM.NewPrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt %q: %w", label, ErrHPKEPrivateKey)
	}
	r, err := hpke.NewRecipient(kemOutput, sk, hpkeKDF, p.hpkeAEAD, encryptContext(label, context))
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt %q: %w", label, ErrHPKEOpen)
	}
	pt, err := r.Open(nil, ciphertext)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt %q: %w", label, ErrHPKEOpen)
	}
	return pt, nil
}

// GenerateHPKEKeyPair returns a fresh X25519 key pair in HPKE's serialized form. Randomness
// comes from crypto/rand's global source (Go 1.26).
func (cs CipherSuite) GenerateHPKEKeyPair() (priv, pub []byte, err error) {
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	sk, err := hpkeKEM.GenerateKey()
	if err != nil {
		return nil, nil, fmt.Errorf("mls: generate HPKE key: %w", err)
	}
	return hpkeKeyPair(sk)
}

// DeriveHPKEKeyPair derives an X25519 key pair from ikm with HPKE's DeriveKeyPair: TreeKEM
// turns each node's path secret into the node's key pair this way (RFC 9420 §7.4).
func (cs CipherSuite) DeriveHPKEKeyPair(ikm []byte) (priv, pub []byte, err error) {
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	sk, err := hpkeKEM.DeriveKeyPair(ikm)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: derive HPKE key: %w", err)
	}
	return hpkeKeyPair(sk)
}

func hpkeKeyPair(sk hpke.PrivateKey) (priv, pub []byte, err error) {
	priv, err = sk.Bytes()
	if err != nil {
		return nil, nil, fmt.Errorf("mls: serialize HPKE key: %w", err)
	}
	return priv, sk.PublicKey().Bytes(), nil
}

// hpkeExportSend sets up an HPKE sender context to pub with an empty info and returns the
// encapsulation and a secret exported from the context under exporterContext.
func (cs CipherSuite) hpkeExportSend(pub []byte, exporterContext string, length int) (enc, secret []byte, err error) {
	p := cs.params()
	if p == nil {
		return nil, nil, cs.Check()
	}
	pk, err := hpkeKEM.NewPublicKey(pub)
	if err != nil {
		return nil, nil, ErrHPKEPublicKey
	}
	enc, sender, err := hpke.NewSender(pk, hpkeKDF, p.hpkeAEAD, nil)
	if err != nil {
		return nil, nil, err
	}
	secret, err = sender.Export(exporterContext, length)
	return enc, secret, err
}

// hpkeExportReceive is the receiving side of hpkeExportSend.
func (cs CipherSuite) hpkeExportReceive(priv, enc []byte, exporterContext string, length int) ([]byte, error) {
	p := cs.params()
	if p == nil {
		return nil, cs.Check()
	}
	sk, err := hpkeKEM.NewPrivateKey(priv)
	if err != nil {
		return nil, ErrHPKEPrivateKey
	}
	r, err := hpke.NewRecipient(enc, sk, hpkeKDF, p.hpkeAEAD, nil)
	if err != nil {
		return nil, ErrHPKEOpen
	}
	return r.Export(exporterContext, length)
}
