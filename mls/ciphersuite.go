package mls

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// CipherSuite is an MLS cipher suite identifier (RFC 9420 §5.1, §17.1). Its methods are the
// suite's primitives and the labelled constructions built on them (§5.1.2, §5.1.3, §5.2).
type CipherSuite uint16

// The cipher suites goxmtp implements. Both use X25519 for HPKE, HKDF-SHA256 as KDF and
// Ed25519 for signatures; they differ only in the AEAD. XMTP uses suite 3.
const (
	// CipherSuiteX25519AES128GCM is MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519.
	CipherSuiteX25519AES128GCM CipherSuite = 1
	// CipherSuiteX25519ChaCha20 is MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519.
	CipherSuiteX25519ChaCha20 CipherSuite = 3
)

// Cipher suite errors.
var (
	// ErrUnsupportedCipherSuite is returned for any suite other than 1 and 3.
	ErrUnsupportedCipherSuite = errors.New("mls: unsupported cipher suite")
	// ErrAEADOpen means an AEAD ciphertext failed authentication.
	ErrAEADOpen = errors.New("mls: AEAD decryption failed")
	// ErrAEADKeySize means an AEAD key or nonce has the wrong length for the suite.
	ErrAEADKeySize = errors.New("mls: AEAD key or nonce has wrong size")
)

// aeadNonceSize is Nn for both supported AEADs.
const aeadNonceSize = 12

// labelPrefix is prepended to every label of the labelled constructions (RFC 9420 §5.1.2).
const labelPrefix = "MLS 1.0 "

// suite holds what distinguishes one supported cipher suite from another.
type suite struct {
	newAEAD func(key []byte) (cipher.AEAD, error)
	aeadKey int
	// hpkeAEADID is the AEAD's RFC 9180 identifier, part of the HPKE suite_id.
	hpkeAEADID uint16
}

var (
	suiteAES128GCM = &suite{newAEAD: newAESGCM, aeadKey: 16, hpkeAEADID: 0x0001}
	suiteChaCha20  = &suite{newAEAD: chacha20poly1305.New, aeadKey: chacha20poly1305.KeySize, hpkeAEADID: 0x0003}
)

func newAESGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// params returns the suite's parameters, or nil when the suite is not supported.
func (cs CipherSuite) params() *suite {
	switch cs {
	case CipherSuiteX25519AES128GCM:
		return suiteAES128GCM
	case CipherSuiteX25519ChaCha20:
		return suiteChaCha20
	}
	return nil
}

// Check returns ErrUnsupportedCipherSuite unless cs is suite 1 or 3. Decoders of structures
// that carry a suite call it, so that the infallible hash and KDF methods below only ever see
// supported suites.
func (cs CipherSuite) Check() error {
	if cs.params() == nil {
		return fmt.Errorf("%w: 0x%04x", ErrUnsupportedCipherSuite, uint16(cs))
	}
	return nil
}

// mustParams is used by the methods that cannot return an error: calling them with an
// unchecked suite is a programming error, not something input can cause once Check has run.
func (cs CipherSuite) mustParams() *suite {
	p := cs.params()
	if p == nil {
		panic(fmt.Sprintf("mls: cipher suite 0x%04x used without Check", uint16(cs)))
	}
	return p
}

func (cs CipherSuite) String() string {
	switch cs {
	case CipherSuiteX25519AES128GCM:
		return "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519"
	case CipherSuiteX25519ChaCha20:
		return "MLS_128_DHKEMX25519_CHACHA20POLY1305_SHA256_Ed25519"
	}
	return fmt.Sprintf("CipherSuite(0x%04x)", uint16(cs))
}

// newHash returns the suite's hash function; both supported suites use SHA-256.
func (cs CipherSuite) newHash() func() hash.Hash {
	cs.mustParams()
	return sha256.New
}

// HashSize is Nh, the output size of the suite's hash and KDF, in bytes.
func (cs CipherSuite) HashSize() int {
	cs.mustParams()
	return sha256.Size
}

// Hash returns the suite's hash of data.
func (cs CipherSuite) Hash(data []byte) []byte {
	h := cs.newHash()()
	h.Write(data)
	return h.Sum(nil)
}

// MAC returns HMAC over data with the suite's hash: the membership and confirmation tags.
func (cs CipherSuite) MAC(key, data []byte) []byte {
	m := hmac.New(cs.newHash(), key)
	m.Write(data)
	return m.Sum(nil)
}

// VerifyMAC reports in constant time whether tag is the MAC of data under key.
func (cs CipherSuite) VerifyMAC(key, data, tag []byte) bool {
	return hmac.Equal(cs.MAC(key, data), tag)
}

// Extract is HKDF-Extract(salt, ikm).
func (cs CipherSuite) Extract(salt, ikm []byte) []byte {
	prk, err := hkdf.Extract(cs.newHash(), ikm, salt)
	if err != nil {
		panic("mls: HKDF-Extract: " + err.Error())
	}
	return prk
}

// Expand is HKDF-Expand(prk, info, length). length above 255*Nh is a programming error.
func (cs CipherSuite) Expand(prk, info []byte, length int) []byte {
	out, err := hkdf.Expand(cs.newHash(), prk, string(info), length)
	if err != nil {
		panic("mls: HKDF-Expand: " + err.Error())
	}
	return out
}

// ExpandWithLabel expands secret under a KDFLabel binding label and context, so that keys
// derived for different purposes can never collide (RFC 9420 §5.1.3).
func (cs CipherSuite) ExpandWithLabel(secret []byte, label string, context []byte, length int) []byte {
	e := NewEncoder(2 + 1 + len(labelPrefix) + len(label) + 4 + len(context))
	e.U16(uint16(length))
	e.Opaque([]byte(labelPrefix + label))
	e.Opaque(context)
	return cs.Expand(secret, e.Bytes(), length)
}

// DeriveSecret is ExpandWithLabel with an empty context and output length Nh.
func (cs CipherSuite) DeriveSecret(secret []byte, label string) []byte {
	return cs.ExpandWithLabel(secret, label, nil, cs.HashSize())
}

// DeriveTreeSecret is ExpandWithLabel with the ratchet generation as context (RFC 9420 §9).
func (cs CipherSuite) DeriveTreeSecret(secret []byte, label string, generation uint32, length int) []byte {
	var ctx [4]byte
	ctx[0], ctx[1], ctx[2], ctx[3] = byte(generation>>24), byte(generation>>16), byte(generation>>8), byte(generation)
	return cs.ExpandWithLabel(secret, label, ctx[:], length)
}

// RefHash hashes a labelled value into a reference such as a KeyPackageRef (RFC 9420 §5.2).
// Unlike the other labelled functions, label is used as given, without the "MLS 1.0 " prefix.
func (cs CipherSuite) RefHash(label string, value []byte) []byte {
	e := NewEncoder(len(label) + len(value) + 8)
	e.Opaque([]byte(label))
	e.Opaque(value)
	return cs.Hash(e.Bytes())
}

// AEADKeySize is Nk, the AEAD key size in bytes.
func (cs CipherSuite) AEADKeySize() int { return cs.mustParams().aeadKey }

// AEADNonceSize is Nn, the AEAD nonce size in bytes.
func (cs CipherSuite) AEADNonceSize() int {
	cs.mustParams()
	return aeadNonceSize
}

func (cs CipherSuite) aead(key, nonce []byte) (cipher.AEAD, error) {
	p := cs.params()
	if p == nil {
		return nil, cs.Check()
	}
	if len(key) != p.aeadKey || len(nonce) != aeadNonceSize {
		return nil, ErrAEADKeySize
	}
	return p.newAEAD(key)
}

// Seal encrypts and authenticates plaintext with the suite's AEAD.
func (cs CipherSuite) Seal(key, nonce, aad, plaintext []byte) ([]byte, error) {
	a, err := cs.aead(key, nonce)
	if err != nil {
		return nil, fmt.Errorf("mls: AEAD seal: %w", err)
	}
	return a.Seal(nil, nonce, plaintext, aad), nil
}

// Open authenticates and decrypts ciphertext with the suite's AEAD. Authentication failure
// returns ErrAEADOpen.
func (cs CipherSuite) Open(key, nonce, aad, ciphertext []byte) ([]byte, error) {
	a, err := cs.aead(key, nonce)
	if err != nil {
		return nil, fmt.Errorf("mls: AEAD open: %w", err)
	}
	pt, err := a.Open(nil, nonce, ciphertext, aad)
	if err != nil {
		return nil, ErrAEADOpen
	}
	return pt, nil
}
