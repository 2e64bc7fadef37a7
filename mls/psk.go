package mls

import (
	"errors"
	"fmt"
	"io"
)

// Pre-shared keys (RFC 9420 §8.4): secrets from outside the group (external) or from an
// earlier epoch of this or another group (resumption), mixed into the key schedule. Their
// identifier, PreSharedKeyID, is a wire structure and lives with the proposals.

// PSK errors.
var (
	// ErrTooManyPSKs means more PSKs than the 16-bit count of PSKLabel can number.
	ErrTooManyPSKs = errors.New("mls: too many PSKs")
	// ErrPSKNonceSize means a PreSharedKeyID's nonce is not Nh bytes long (RFC 9420 §12.1.4).
	ErrPSKNonceSize = errors.New("mls: PSK nonce has wrong size")
	// ErrPSKUsage means a resumption PSK's usage is reinit or branch outside of that operation.
	ErrPSKUsage = errors.New("mls: resumption PSK usage not allowed here")
	// ErrPSKDuplicate means the same PSK is listed twice (RFC 9420 §12.2).
	ErrPSKDuplicate = errors.New("mls: PSK listed more than once")
	// ErrPSKUnknown means the client does not hold a PSK that is listed.
	ErrPSKUnknown = errors.New("mls: PSK not available")
)

// PSKSource gives the secrets behind PreSharedKeyIDs; found is false for a PSK the client
// does not hold. The group layer answers resumption PSKs from the resumption secrets it keeps
// of its own past epochs (and of groups it reinitialized or branched from).
type PSKSource interface {
	ExternalPSK(id []byte) (secret []byte, found bool)
	ResumptionPSK(groupID []byte, epoch uint64) (secret []byte, found bool)
}

// NewPSKNonce returns a fresh Nh-byte psk_nonce read from rand: each injection of a PSK
// carries its own, so the same PSK never gives the same key schedule twice.
func (cs CipherSuite) NewPSKNonce(rand io.Reader) ([]byte, error) {
	nonce := make([]byte, cs.HashSize())
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, fmt.Errorf("mls: PSK nonce: %w", err)
	}
	return nonce, nil
}

// ResolvePSKs checks the PSKs a commit or Welcome lists and looks up their secrets, in order,
// for PSKSecret. Every nonce must be Nh bytes, no PSK may appear twice (whatever its nonce),
// and resumption PSKs must have usage application unless operation, the reinit or branch
// being processed, names theirs; pass ResumptionApplication for an ordinary commit.
func (cs CipherSuite) ResolvePSKs(ids []PreSharedKeyID, operation ResumptionPSKUsage, src PSKSource) ([]PSK, error) {
	seen := make(map[string]bool, len(ids))
	psks := make([]PSK, 0, len(ids))
	for i, id := range ids {
		if len(id.Nonce) != cs.HashSize() {
			return nil, fmt.Errorf("psk %d: %w", i, ErrPSKNonceSize)
		}
		// The identity of a PSK is its id without the nonce.
		e := NewEncoder(16 + len(id.ID) + len(id.GroupID))
		e.U8(uint8(id.Type))
		var secret []byte
		var found bool
		switch id.Type {
		case PSKExternal:
			e.Opaque(id.ID)
			secret, found = src.ExternalPSK(id.ID)
		case PSKResumption:
			if id.Usage != ResumptionApplication && id.Usage != operation {
				return nil, fmt.Errorf("psk %d: usage %d: %w", i, id.Usage, ErrPSKUsage)
			}
			e.Opaque(id.GroupID)
			e.U64(id.Epoch)
			secret, found = src.ResumptionPSK(id.GroupID, id.Epoch)
		default:
			return nil, fmt.Errorf("psk %d: %w: %d", i, ErrPSKType, id.Type)
		}
		key := string(e.Bytes())
		if seen[key] {
			return nil, fmt.Errorf("psk %d: %w", i, ErrPSKDuplicate)
		}
		seen[key] = true
		if !found {
			return nil, fmt.Errorf("psk %d: %w", i, ErrPSKUnknown)
		}
		psks = append(psks, PSK{ID: id, Secret: secret})
	}
	return psks, nil
}

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
