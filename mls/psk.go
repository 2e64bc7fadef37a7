package mls

import (
	"errors"
	"fmt"
)

// Pre-shared keys (RFC 9420 §8.4): secrets from outside the group (external) or from an
// earlier epoch of this or another group (resumption), mixed into the key schedule. Their
// identifier, PreSharedKeyID, is a wire structure and lives with the proposals.

// ErrTooManyPSKs means more PSKs than the 16-bit count of PSKLabel can number.
var ErrTooManyPSKs = errors.New("mls: too many PSKs")

// PSK is a pre-shared key with the identifier it is injected under.
type PSK struct {
	ID     PreSharedKeyID
	Secret []byte
}

// PSKSecret chains the PSKs, in the order the commit lists them, into the psk_secret of the
// key schedule (RFC 9420 §8.4). Each PSK is bound to its identifier, its position and the
// count, so neither reordering nor dropping one gives the same secret. With no PSKs the
// result is nil, which the key schedule reads as zero.
func (cs CipherSuite) PSKSecret(psks []PSK) ([]byte, error) {
	if len(psks) > 0xffff {
		return nil, fmt.Errorf("%w: %d", ErrTooManyPSKs, len(psks))
	}
	zero := make([]byte, cs.HashSize())
	var secret []byte
	for i, psk := range psks {
		e := NewEncoder(64 + len(psk.ID.ID) + len(psk.ID.GroupID) + len(psk.ID.Nonce))
		psk.ID.Marshal(e) // PSKLabel: the id, then index and count
		e.U16(uint16(i))
		e.U16(uint16(len(psks)))
		input := cs.ExpandWithLabel(cs.Extract(zero, psk.Secret), "derived psk", e.Bytes(), cs.HashSize())
		secret = cs.Extract(input, cs.orZero(secret))
	}
	return secret, nil
}
