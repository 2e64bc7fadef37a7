package idbstore

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

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

// seqOf reads the sequence number back from an ordered record's key, checking the key
// belongs to the partition.
func seqOf(prefix, key []byte) (uint64, error) {
	if len(key) != seqKeySize || !bytes.Equal(key[:prefixSize], prefix) {
		return 0, fmt.Errorf("record key of %d bytes outside its partition: %w", len(key), store.ErrCorrupt)
	}
	return binary.BigEndian.Uint64(key[prefixSize:]), nil
}

// Values are stored as recordVersion ‖ nonce ‖ AES-256-GCM(value), with the record's key as
// additional data: a value moved to another key, or another store, fails to open.
const (
	recordVersion = 1
	nonceSize     = 12
	sealOverhead  = 1 + nonceSize + 16
)

// seal encrypts value for the record at key.
func (k *keys) seal(key, value []byte) []byte {
	out := make([]byte, 1+nonceSize, len(value)+sealOverhead)
	out[0] = recordVersion
	rand.Read(out[1:])
	return k.aead.Seal(out, out[1:], value, key)
}

// open decrypts the value stored at key. A value that fails authentication under a key
// that passed the key check was damaged or moved: store.ErrCorrupt.
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
