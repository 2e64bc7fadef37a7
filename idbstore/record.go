package idbstore

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"

	"github.com/goxmtp/goxmtp/core/store"
)

// Record keys. A point record lives at HMAC(table ‖ id); the ordered records of a partition
// share the prefix HMAC(table ‖ partition) followed by the big-endian sequence number, so
// IndexedDB's byte order of binary keys is the order of sequence numbers and a partition is
// one key range. The kind byte keeps the two shapes apart, and the table's length byte keeps
// ("t", "tx") and ("tt", "x") apart (tables are at most store.MaxTableName bytes).
const (
	pointKind     = 'p'
	partitionKind = 's'
	prefixSize    = sha256.Size
	seqKeySize    = prefixSize + 8
)

func (k *keys) recordHash(kind byte, table string, id []byte) []byte {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte{kind, byte(len(table))})
	m.Write([]byte(table))
	m.Write(id)
	return m.Sum(make([]byte, 0, seqKeySize))
}

// pointKey is the key of point record id of table.
func (k *keys) pointKey(table string, id []byte) []byte {
	return k.recordHash(pointKind, table, id)
}

// partitionKey is the prefix of the ordered records of partition in table. Its capacity
// leaves room for the sequence number.
func (k *keys) partitionKey(table string, partition []byte) []byte {
	return k.recordHash(partitionKind, table, partition)
}

// seqKey is the key of ordered record seq under a partition prefix.
func seqKey(prefix []byte, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(prefix[:prefixSize:prefixSize], seq)
}

// Values are stored as recordVersion ‖ nonce ‖ XChaCha20-Poly1305(value), with the record's
// key as additional data: a value moved to another key, or another store, fails to open.
//
// The nonce of an ordered record is 16 random bytes followed by its big-endian sequence
// number (the sequence number is in the clear in its key anyway). A scan then needs the
// values only, not their keys: each names the key it was sealed for, and reading values
// back in key order checks that no record was moved or copied within the partition.
const (
	recordVersion = 1
	nonceSize     = chacha20poly1305.NonceSizeX
	nonceSeqAt    = 1 + nonceSize - 8 // where an ordered record's sequence number sits
	sealOverhead  = 1 + nonceSize + chacha20poly1305.Overhead
)

// nonces draws n random nonces at once: each draw in js/wasm is a call out to
// crypto.getRandomValues, which would cost more than sealing a message.
func nonces(n int) []byte {
	b := make([]byte, n*nonceSize)
	rand.Read(b)
	return b
}

// seal encrypts the value of point record key under nonce, one fresh from nonces.
func (k *keys) seal(nonce, key, value []byte) []byte {
	out := make([]byte, 1+nonceSize, len(value)+sealOverhead)
	out[0] = recordVersion
	copy(out[1:], nonce)
	return k.aead.Seal(out, out[1:], value, key)
}

// sealSeq encrypts the value of ordered record seq under prefix; nonce is one fresh from
// nonces, whose last 8 bytes it replaces with seq.
func (k *keys) sealSeq(nonce, prefix []byte, seq uint64, value []byte) []byte {
	out := make([]byte, 1+nonceSize, len(value)+sealOverhead)
	out[0] = recordVersion
	copy(out[1:nonceSeqAt], nonce)
	binary.BigEndian.PutUint64(out[nonceSeqAt:], seq)
	return k.aead.Seal(out, out[1:], value, seqKey(prefix, seq))
}

// open decrypts the value stored at point record key. A value that fails authentication
// under a key that passed the key check was damaged or moved: store.ErrCorrupt.
func (k *keys) open(key, sealed []byte) ([]byte, error) {
	if len(sealed) < sealOverhead {
		return nil, fmt.Errorf("value of %d bytes: %w", len(sealed), store.ErrCorrupt)
	}
	if sealed[0] != recordVersion {
		return nil, fmt.Errorf("value version %d: %w", sealed[0], store.ErrVersion)
	}
	value, err := k.aead.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], key)
	if err != nil {
		return nil, fmt.Errorf("value does not authenticate: %w", store.ErrCorrupt)
	}
	if value == nil {
		value = []byte{}
	}
	return value, nil
}

// openSeq decrypts a value read from the partition under prefix and returns the sequence
// number it was sealed for.
func (k *keys) openSeq(prefix, sealed []byte) (uint64, []byte, error) {
	if len(sealed) < sealOverhead {
		return 0, nil, fmt.Errorf("value of %d bytes: %w", len(sealed), store.ErrCorrupt)
	}
	seq := binary.BigEndian.Uint64(sealed[nonceSeqAt:])
	value, err := k.open(seqKey(prefix, seq), sealed)
	return seq, value, err
}
