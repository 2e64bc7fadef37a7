package wrap

import (
	"crypto/mlkem"
	"crypto/rand"
	"crypto/sha3"
	"fmt"

	"github.com/cloudflare/circl/dh/x25519"
)

// X-Wing draft-06 (draft-connolly-cfrg-xwing-kem-06) built from the standard library's
// ML-KEM-768 and SHA3 and circl's X25519, which runs twice as fast as crypto/ecdh's in
// js/wasm (figures in the commit that chose it). crypto/hpke has the same KEM but keeps
// encapsulation to itself, and libxmtp's kem_id 0x004D needs the raw shared secret.
const (
	XWingSeedSize         = 32
	XWingPublicKeySize    = mlkem.EncapsulationKeySize768 + 32
	XWingCiphertextSize   = mlkem.CiphertextSize768 + 32
	XWingSharedSecretSize = 32
)

// xwingLabel is the draft's domain separator, the ASCII art \.//^\ .
const xwingLabel = `\.//^\`

// XWingPrivateKey is an X-Wing decapsulation key. Only its 32-byte seed needs storing:
// everything else is expanded from it.
type XWingPrivateKey struct {
	seed [XWingSeedSize]byte
	dk   *mlkem.DecapsulationKey768
	x    x25519.Key
	pub  *XWingPublicKey
}

// XWingPublicKey is an X-Wing encapsulation key: ML-KEM-768 key ‖ X25519 key.
type XWingPublicKey struct {
	ek *mlkem.EncapsulationKey768
	x  x25519.Key
}

// GenerateXWingKey returns a key expanded from a fresh random seed.
func GenerateXWingKey() (*XWingPrivateKey, error) {
	seed := make([]byte, XWingSeedSize)
	rand.Read(seed)
	return NewXWingPrivateKey(seed)
}

// NewXWingPrivateKey expands a 32-byte seed: SHAKE256(seed) gives 64 bytes of ML-KEM-768
// seed (d ‖ z) then 32 bytes of X25519 private key.
func NewXWingPrivateKey(seed []byte) (*XWingPrivateKey, error) {
	if len(seed) != XWingSeedSize {
		return nil, fmt.Errorf("x-wing seed of %d bytes: %w", len(seed), ErrInvalidKey)
	}
	var expanded [mlkem.SeedSize + 32]byte
	h := sha3.NewSHAKE256()
	h.Write(seed)
	h.Read(expanded[:])
	dk, err := mlkem.NewDecapsulationKey768(expanded[:mlkem.SeedSize])
	if err != nil {
		return nil, fmt.Errorf("x-wing ml-kem key: %w", ErrInvalidKey)
	}
	k := &XWingPrivateKey{dk: dk, pub: &XWingPublicKey{ek: dk.EncapsulationKey()}}
	copy(k.seed[:], seed)
	copy(k.x[:], expanded[mlkem.SeedSize:])
	x25519.KeyGen(&k.pub.x, &k.x)
	return k, nil
}

// Bytes returns the seed, the form in which the key is stored.
func (k *XWingPrivateKey) Bytes() []byte { return append([]byte(nil), k.seed[:]...) }

// PublicKey returns the matching encapsulation key.
func (k *XWingPrivateKey) PublicKey() *XWingPublicKey { return k.pub }

// Decapsulate recovers the shared secret from a ciphertext made for this key.
func (k *XWingPrivateKey) Decapsulate(ct []byte) ([]byte, error) {
	if len(ct) != XWingCiphertextSize {
		return nil, fmt.Errorf("x-wing ciphertext of %d bytes: %w", len(ct), ErrMalformed)
	}
	ctM, ctX := ct[:mlkem.CiphertextSize768], ct[mlkem.CiphertextSize768:]
	ssM, err := k.dk.Decapsulate(ctM)
	if err != nil {
		return nil, fmt.Errorf("x-wing ml-kem decapsulation: %w", ErrMalformed)
	}
	var eph, ssX x25519.Key
	copy(eph[:], ctX)
	if !x25519.Shared(&ssX, &k.x, &eph) {
		// A low-order ephemeral point: no honest sender produces one.
		return nil, fmt.Errorf("x-wing x25519: %w", ErrDecrypt)
	}
	return xwingCombine(ssM, ssX[:], ctX, k.pub.x[:]), nil
}

// NewXWingPublicKey parses a 1216-byte encapsulation key.
func NewXWingPublicKey(b []byte) (*XWingPublicKey, error) {
	if len(b) != XWingPublicKeySize {
		return nil, fmt.Errorf("x-wing public key of %d bytes: %w", len(b), ErrInvalidKey)
	}
	ek, err := mlkem.NewEncapsulationKey768(b[:mlkem.EncapsulationKeySize768])
	if err != nil {
		return nil, fmt.Errorf("x-wing ml-kem public key: %w", ErrInvalidKey)
	}
	p := &XWingPublicKey{ek: ek}
	copy(p.x[:], b[mlkem.EncapsulationKeySize768:])
	return p, nil
}

// Bytes returns the 1216-byte wire form, as published in key-package extension 0xff03.
func (p *XWingPublicKey) Bytes() []byte {
	return append(p.ek.Bytes(), p.x[:]...)
}

// Encapsulate returns a fresh shared secret and the 1120-byte ciphertext that carries it.
func (p *XWingPublicKey) Encapsulate() (sharedSecret, ciphertext []byte, err error) {
	var eph x25519.Key
	rand.Read(eph[:])
	return p.encapsulate(&eph, func(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
		ss, ct := ek.Encapsulate()
		return ss, ct, nil
	})
}

// encapsulate takes its randomness from the caller so that tests can replay the draft's
// derandomized vectors (crypto/mlkem/mlkemtest supplies the ML-KEM half).
func (p *XWingPublicKey) encapsulate(eph *x25519.Key, mlkemEncap func(*mlkem.EncapsulationKey768) (ss, ct []byte, err error)) ([]byte, []byte, error) {
	ssM, ctM, err := mlkemEncap(p.ek)
	if err != nil {
		return nil, nil, fmt.Errorf("x-wing ml-kem encapsulation: %w", err)
	}
	var ctX, ssX x25519.Key
	x25519.KeyGen(&ctX, eph)
	if !x25519.Shared(&ssX, eph, &p.x) {
		// The recipient's X25519 key is a low-order point.
		return nil, nil, fmt.Errorf("x-wing x25519: %w", ErrInvalidKey)
	}
	ct := make([]byte, 0, XWingCiphertextSize)
	ct = append(append(ct, ctM...), ctX[:]...)
	return xwingCombine(ssM, ssX[:], ctX[:], p.x[:]), ct, nil
}

// xwingCombine is the draft's combiner: SHA3-256(ss_M ‖ ss_X ‖ ct_X ‖ pk_X ‖ label).
func xwingCombine(ssM, ssX, ctX, pkX []byte) []byte {
	h := sha3.New256()
	h.Write(ssM)
	h.Write(ssX)
	h.Write(ctX)
	h.Write(pkX)
	h.Write([]byte(xwingLabel))
	return h.Sum(nil)
}
