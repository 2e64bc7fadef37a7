package wrap

import (
	"errors"
	"fmt"
)

// A welcome's data field is the TLS HpkeCiphertext of RFC 9420 §5.1.3:
//
//	struct { opaque kem_output<V>; opaque ciphertext<V>; } HpkeCiphertext;
//
// Only these two vectors are needed here, so the RFC 9420 §2.1.2 varint is written locally
// rather than pulling in the whole MLS codec.

var (
	errTruncated = errors.New("truncated")
	errVarint    = errors.New("invalid or non-minimal length prefix")
	errTrailing  = errors.New("trailing bytes")
)

// maxVectorSize is the largest length the two-bit-prefixed varint can carry.
const maxVectorSize = 1<<30 - 1

func encodeCiphertext(kemOutput, ciphertext []byte) []byte {
	out := make([]byte, 0, len(kemOutput)+len(ciphertext)+8)
	out = appendOpaque(out, kemOutput)
	return appendOpaque(out, ciphertext)
}

// decodeCiphertext parses untrusted bytes; the slices it returns alias data.
func decodeCiphertext(data []byte) (kemOutput, ciphertext []byte, err error) {
	kemOutput, rest, err := readOpaque(data)
	if err == nil {
		ciphertext, rest, err = readOpaque(rest)
	}
	if err == nil && len(rest) != 0 {
		err = errTrailing
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%w: HpkeCiphertext: %w", ErrMalformed, err)
	}
	return kemOutput, ciphertext, nil
}

// appendOpaque writes opaque<V>: the shortest varint length, then the bytes. Welcomes are
// capped by the node far below the 2^30-1 bytes a varint can describe.
func appendOpaque(out, b []byte) []byte {
	switch n := len(b); {
	case n < 1<<6:
		out = append(out, byte(n))
	case n < 1<<14:
		out = append(out, byte(n>>8)|0x40, byte(n))
	case n <= maxVectorSize:
		out = append(out, byte(n>>24)|0x80, byte(n>>16), byte(n>>8), byte(n))
	default:
		panic(fmt.Sprintf("wrap: vector of %d bytes exceeds the TLS varint", n))
	}
	return append(out, b...)
}

// readOpaque reads opaque<V>, rejecting the reserved prefix and non-minimal lengths as
// RFC 9420 requires.
func readOpaque(in []byte) (body, rest []byte, err error) {
	if len(in) == 0 {
		return nil, nil, errTruncated
	}
	var n, size, min int
	switch in[0] >> 6 {
	case 0:
		n, size = int(in[0]), 1
	case 1:
		if len(in) < 2 {
			return nil, nil, errTruncated
		}
		n, size, min = int(in[0]&0x3f)<<8|int(in[1]), 2, 1<<6
	case 2:
		if len(in) < 4 {
			return nil, nil, errTruncated
		}
		n, size, min = int(in[0]&0x3f)<<24|int(in[1])<<16|int(in[2])<<8|int(in[3]), 4, 1<<14
	default:
		return nil, nil, errVarint
	}
	if n < min {
		return nil, nil, errVarint
	}
	in = in[size:]
	if n > len(in) {
		return nil, nil, errTruncated
	}
	return in[:n:n], in[n:], nil
}
