package identity

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// DefaultNonce is the nonce libxmtp's JS SDKs use when the caller gives none. Inboxes created
// from a legacy V2 key use nonce 0 instead.
const DefaultNonce uint64 = 1

// InboxID derives an inbox id: lowercase hex of SHA-256 over the owner's identifier text
// followed by the decimal nonce. An Ethereum owner must be a well-formed address; it is
// hashed as given, so callers pass the lowercase form (NormalizeAddress).
func InboxID(owner MemberID, nonce uint64) (string, error) {
	if owner.Kind == KindEthereum && !validAddress(owner.key) {
		return "", fmt.Errorf("inbox id: %w", ErrInvalidAddress)
	}
	sum := sha256.Sum256([]byte(owner.String() + strconv.FormatUint(nonce, 10)))
	return hex.EncodeToString(sum[:]), nil
}

// validInboxID reports whether s has the form of an inbox id.
func validInboxID(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
