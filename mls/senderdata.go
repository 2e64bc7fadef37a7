package mls

import (
	"errors"
	"fmt"
)

// ErrSenderData means a PrivateMessage's sender data did not decrypt or is malformed.
var ErrSenderData = errors.New("mls: invalid sender data")

// senderData is the SenderData of RFC 9420 §6.3.2: who sent a PrivateMessage, with which
// ratchet generation, and the reuse guard mixed into the content nonce.
type senderData struct {
	leaf       LeafIndex
	generation uint32
	reuseGuard [4]byte
}

// senderDataKey derives the AEAD key and nonce that protect a PrivateMessage's sender data.
// They depend on a sample of the content ciphertext, so each message gets its own pair
// without any counter: a receiver learns the sender, and so which ratchet to use, only after
// opening the sender data with them.
func (cs CipherSuite) senderDataKey(senderDataSecret, ciphertext []byte) (key, nonce []byte) {
	sample := ciphertext[:min(len(ciphertext), cs.HashSize())]
	return cs.ExpandWithLabel(senderDataSecret, "key", sample, cs.AEADKeySize()),
		cs.ExpandWithLabel(senderDataSecret, "nonce", sample, cs.AEADNonceSize())
}

// senderDataAAD binds the sender data to the message's group, epoch and content type.
func senderDataAAD(m *PrivateMessage) []byte {
	e := NewEncoder(len(m.GroupID) + 16)
	e.Opaque(m.GroupID)
	e.U64(m.Epoch)
	e.U8(uint8(m.ContentType))
	return e.Bytes()
}

// sealSenderData encrypts sd for m, whose header and content ciphertext are already set.
func (cs CipherSuite) sealSenderData(senderDataSecret []byte, m *PrivateMessage, sd senderData) ([]byte, error) {
	e := NewEncoder(12)
	e.U32(uint32(sd.leaf))
	e.U32(sd.generation)
	e.Raw(sd.reuseGuard[:])
	key, nonce := cs.senderDataKey(senderDataSecret, m.Ciphertext)
	defer erase(key)
	return cs.Seal(key, nonce, senderDataAAD(m), e.Bytes())
}

// openSenderData decrypts and parses the sender data of m.
func (cs CipherSuite) openSenderData(senderDataSecret []byte, m *PrivateMessage) (senderData, error) {
	key, nonce := cs.senderDataKey(senderDataSecret, m.Ciphertext)
	defer erase(key)
	pt, err := cs.Open(key, nonce, senderDataAAD(m), m.EncryptedSenderData)
	if err != nil {
		return senderData{}, fmt.Errorf("%w: %w", ErrSenderData, err)
	}
	d := NewDecoder(pt)
	sd := senderData{leaf: LeafIndex(d.U32()), generation: d.U32()}
	copy(sd.reuseGuard[:], d.Raw(4))
	if err := d.Finish(); err != nil {
		return senderData{}, fmt.Errorf("%w: %w", ErrSenderData, err)
	}
	return sd, nil
}
