package content

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// Push servers match a message's sender_hmac against the HMAC keys of the devices they
// serve, so a device is not woken for its own messages, without the server learning who sent
// what. The keys derive from a per-inbox secret shared by its installations and rotate every
// 30 days (xmtp-protocol.md §3.4, libxmtp mls_sync.rs hmac_keys).
const (
	// HMACEpochLength is how long one sender-HMAC key is in use.
	HMACEpochLength = 30 * 24 * time.Hour
	// UserHMACKeySize is the size of an inbox's HMAC root secret.
	UserHMACKeySize = 42
	hmacSalt        = "libXMTP HKDF salt!"
	hmacKeySize     = 42
)

// HMACKey is the sender-HMAC key of one group for one epoch.
type HMACKey struct {
	Epoch int64
	Key   []byte
}

// NewUserHMACKey returns a fresh root secret for an inbox's sender HMACs.
func NewUserHMACKey() []byte {
	k := make([]byte, UserHMACKeySize)
	rand.Read(k) // never fails (crypto/rand since Go 1.24)
	return k
}

// HMACEpoch returns the epoch number t falls in: whole 30-day periods since the Unix epoch.
func HMACEpoch(t time.Time) int64 {
	return t.Unix() / int64(HMACEpochLength/time.Second)
}

// DeriveHMACKey derives the key of groupID for epoch from the inbox's root secret:
// HKDF-SHA256 with the fixed salt, ikm = userKey ‖ groupID, info = groupID ‖ epoch as a
// little-endian int64, 42 bytes.
func DeriveHMACKey(userKey, groupID []byte, epoch int64) HMACKey {
	ikm := append(append(make([]byte, 0, len(userKey)+len(groupID)), userKey...), groupID...)
	info := binary.LittleEndian.AppendUint64(append([]byte(nil), groupID...), uint64(epoch))
	key, err := hkdf.Key(sha256.New, ikm, []byte(hmacSalt), string(info), hmacKeySize)
	if err != nil {
		panic("content: HKDF-SHA256 refused 42 bytes: " + err.Error()) // unreachable: far below 255·32
	}
	return HMACKey{Epoch: epoch, Key: key}
}

// HMACKeys returns the keys of groupID for the epochs from-to around now (e.g. -1 to 1 for
// the previous, current and next), which an app registers with its push server.
func HMACKeys(userKey, groupID []byte, now time.Time, from, to int) []HMACKey {
	cur := HMACEpoch(now)
	var keys []HMACKey
	for d := from; d <= to; d++ {
		keys = append(keys, DeriveHMACKey(userKey, groupID, cur+int64(d)))
	}
	return keys
}

// SenderHMAC is the sender_hmac of a GroupMessageInput: HMAC-SHA256 under the current key
// over the MLS message bytes sent.
func SenderHMAC(key HMACKey, mlsMessage []byte) []byte {
	m := hmac.New(sha256.New, key.Key)
	m.Write(mlsMessage)
	return m.Sum(nil)
}
