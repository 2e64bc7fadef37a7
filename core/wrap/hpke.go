package wrap

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// The RFC 9180 base-mode key schedule for a KEM whose shared secret is used as is, with
// HKDF-SHA256 and ChaCha20-Poly1305. It exists because libxmtp labels X-Wing with kem_id
// 0x004D, an identifier neither crypto/hpke nor circl lets a caller set.
const (
	kemIDXWingLegacy uint16 = 0x004D // libxmtp 1.11: X-Wing draft-06 under its old codepoint
	kemIDXWing       uint16 = 0x647a // registered MLKEM768-X25519; libxmtp 1.10 used it
	kdfIDHKDFSHA256  uint16 = 0x0001
	aeadIDChaCha20   uint16 = 0x0003
	modeBase         byte   = 0x00
)

// hpkeContext is one direction of an HPKE context (RFC 9180 §5.2).
type hpkeContext struct {
	aead      cipher.AEAD
	baseNonce [chacha20poly1305.NonceSize]byte
	seq       uint64
}

// newHPKEContext runs KeySchedule (RFC 9180 §5.1) in base mode: no PSK, so psk and psk_id
// are empty.
func newHPKEContext(kemID uint16, sharedSecret, info []byte) (*hpkeContext, error) {
	suite := make([]byte, 0, 10)
	suite = append(suite, "HPKE"...)
	suite = binary.BigEndian.AppendUint16(suite, kemID)
	suite = binary.BigEndian.AppendUint16(suite, kdfIDHKDFSHA256)
	suite = binary.BigEndian.AppendUint16(suite, aeadIDChaCha20)

	pskIDHash, err := labeledExtract(suite, nil, "psk_id_hash", nil)
	if err != nil {
		return nil, err
	}
	infoHash, err := labeledExtract(suite, nil, "info_hash", info)
	if err != nil {
		return nil, err
	}
	ksContext := make([]byte, 0, 1+len(pskIDHash)+len(infoHash))
	ksContext = append(append(append(ksContext, modeBase), pskIDHash...), infoHash...)

	secret, err := labeledExtract(suite, sharedSecret, "secret", nil)
	if err != nil {
		return nil, err
	}
	key, err := labeledExpand(suite, secret, "key", ksContext, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	nonce, err := labeledExpand(suite, secret, "base_nonce", ksContext, chacha20poly1305.NonceSize)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, fmt.Errorf("hpke aead: %w", err)
	}
	c := &hpkeContext{aead: aead}
	copy(c.baseNonce[:], nonce)
	return c, nil
}

// labeledExtract is RFC 9180 §4's LabeledExtract. It fails only in FIPS 140-only mode,
// which refuses this suite anyway.
func labeledExtract(suite, salt []byte, label string, ikm []byte) ([]byte, error) {
	in := make([]byte, 0, 7+len(suite)+len(label)+len(ikm))
	in = append(append(append(append(in, "HPKE-v1"...), suite...), label...), ikm...)
	prk, err := hkdf.Extract(sha256.New, in, salt)
	if err != nil {
		return nil, fmt.Errorf("hpke extract %s: %w", label, err)
	}
	return prk, nil
}

// labeledExpand is RFC 9180 §4's LabeledExpand.
func labeledExpand(suite, prk []byte, label string, info []byte, length int) ([]byte, error) {
	in := make([]byte, 0, 2+7+len(suite)+len(label)+len(info))
	in = binary.BigEndian.AppendUint16(in, uint16(length))
	in = append(append(append(append(in, "HPKE-v1"...), suite...), label...), info...)
	out, err := hkdf.Expand(sha256.New, prk, string(in), length)
	if err != nil {
		return nil, fmt.Errorf("hpke expand %s: %w", label, err)
	}
	return out, nil
}

// nonce is ComputeNonce: the base nonce XOR the big-endian sequence number.
func (c *hpkeContext) nonce() []byte {
	n := c.baseNonce
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], c.seq)
	for i := range seq {
		n[len(n)-8+i] ^= seq[i]
	}
	return n[:]
}

// Seal encrypts at the current sequence number and moves to the next. A welcome uses two
// sequence numbers, so RFC 9180's limit of 2^96-1 is out of reach of the uint64 counter.
func (c *hpkeContext) Seal(aad, plaintext []byte) ([]byte, error) {
	ct := c.aead.Seal(nil, c.nonce(), plaintext, aad)
	c.seq++
	return ct, nil
}

// Open decrypts at the current sequence number and moves on only when it succeeds.
func (c *hpkeContext) Open(aad, ciphertext []byte) ([]byte, error) {
	pt, err := c.aead.Open(nil, c.nonce(), ciphertext, aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	c.seq++
	return pt, nil
}
