package content

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math"
)

// Sizes of the remote-attachment scheme: AES-256-GCM under a key HKDF-SHA256 derives from a
// random secret and salt with empty info, as the JS codec and libxmtp encryption.rs do.
const (
	attachmentSecretSize = 32
	attachmentSaltSize   = 32
	attachmentNonceSize  = 12
)

// EncryptAttachment seals a as a remote attachment. It returns the payload to upload and the
// RemoteAttachment to send once the caller has stored the payload and set URL.
func EncryptAttachment(a Attachment) ([]byte, RemoteAttachment, error) {
	ec, err := Encode(a)
	if err != nil {
		return nil, RemoteAttachment{}, err
	}
	plain, err := Marshal(ec)
	if err != nil {
		return nil, RemoteAttachment{}, err
	}
	r := RemoteAttachment{
		Secret:   make([]byte, attachmentSecretSize),
		Salt:     make([]byte, attachmentSaltSize),
		Nonce:    make([]byte, attachmentNonceSize),
		Scheme:   "https://",
		Filename: a.Filename,
	}
	for _, b := range [][]byte{r.Secret, r.Salt, r.Nonce} {
		rand.Read(b) // never fails (crypto/rand since Go 1.24)
	}
	aead, err := attachmentAEAD(r)
	if err != nil {
		return nil, RemoteAttachment{}, err
	}
	payload := aead.Seal(nil, r.Nonce, plain, nil)
	if len(payload) > math.MaxUint32 {
		return nil, RemoteAttachment{}, fmt.Errorf("attachment of %d bytes: %w", len(payload), ErrInvalidContent)
	}
	sum := sha256.Sum256(payload)
	r.ContentDigest = hex.EncodeToString(sum[:])
	r.ContentLength = uint32(len(payload))
	return payload, r, nil
}

// DecryptAttachment checks a downloaded payload against r's digest, opens it and returns the
// attachment inside.
func DecryptAttachment(payload []byte, r RemoteAttachment) (Attachment, error) {
	sum := sha256.Sum256(payload)
	if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(r.ContentDigest)) != 1 {
		return Attachment{}, ErrDigestMismatch
	}
	if len(r.Salt) != attachmentSaltSize || len(r.Nonce) != attachmentNonceSize {
		return Attachment{}, fmt.Errorf("remote attachment salt or nonce size: %w", ErrMalformed)
	}
	aead, err := attachmentAEAD(r)
	if err != nil {
		return Attachment{}, err
	}
	plain, err := aead.Open(nil, r.Nonce, payload, nil)
	if err != nil {
		return Attachment{}, ErrDecrypt
	}
	ec, err := Unmarshal(plain)
	if err != nil {
		return Attachment{}, err
	}
	c, err := Decode(ec)
	if err != nil {
		return Attachment{}, err
	}
	a, ok := c.(Attachment)
	if !ok {
		return Attachment{}, fmt.Errorf("remote attachment holds %s: %w", c.Type(), ErrMalformed)
	}
	return a, nil
}

func attachmentAEAD(r RemoteAttachment) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, r.Secret, r.Salt, "", 32)
	if err != nil {
		return nil, fmt.Errorf("remote attachment key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("remote attachment key: %w", err)
	}
	return cipher.NewGCM(block)
}
