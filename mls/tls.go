package mls

import (
	"errors"
	"fmt"
)

// The TLS presentation language (RFC 8446 §3) with the variable-length vector headers of
// RFC 9420 §2.1.2. Every MLS structure is encoded with Encoder and decoded with Decoder.

// Codec errors. Decoders wrap them with the structure being read.
var (
	ErrTruncated        = errors.New("mls: input truncated")
	ErrTrailingBytes    = errors.New("mls: trailing bytes after structure")
	ErrVarintInvalid    = errors.New("mls: invalid variable-length integer prefix")
	ErrVarintNotMinimal = errors.New("mls: variable-length integer not minimally encoded")
	ErrVarintTooLarge   = errors.New("mls: vector length above 2^30-1")
	ErrInvalidBool      = errors.New("mls: boolean or optional marker not 0 or 1")
)

// maxVarint is the largest length RFC 9420's two-bit-prefixed varint can carry.
const maxVarint = 1<<30 - 1

// Encoder appends TLS-encoded values to a buffer. Its zero value is ready to use.
type Encoder struct {
	buf []byte
}

// NewEncoder returns an Encoder whose buffer has room for sizeHint bytes.
func NewEncoder(sizeHint int) *Encoder { return &Encoder{buf: make([]byte, 0, sizeHint)} }

// Bytes returns the encoded bytes; the slice aliases the Encoder's buffer.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len reports how many bytes have been written.
func (e *Encoder) Len() int { return len(e.buf) }

func (e *Encoder) U8(v uint8)   { e.buf = append(e.buf, v) }
func (e *Encoder) U16(v uint16) { e.buf = append(e.buf, byte(v>>8), byte(v)) }
func (e *Encoder) U32(v uint32) {
	e.buf = append(e.buf, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}
func (e *Encoder) U64(v uint64) { e.U32(uint32(v >> 32)); e.U32(uint32(v)) }

// Bool writes a TLS boolean (one byte, 0 or 1).
func (e *Encoder) Bool(v bool) {
	if v {
		e.U8(1)
	} else {
		e.U8(0)
	}
}

// Raw appends bytes with no length prefix (fixed-size fields).
func (e *Encoder) Raw(b []byte) { e.buf = append(e.buf, b...) }

// Varint writes an RFC 9420 variable-length integer in its shortest form. Lengths above
// 2^30-1 cannot be represented; callers never produce them (messages are capped far below).
func (e *Encoder) Varint(n int) {
	switch {
	case n < 0 || n > maxVarint:
		panic(fmt.Sprintf("mls: vector length %d out of range", n))
	case n < 1<<6:
		e.U8(uint8(n))
	case n < 1<<14:
		e.U16(uint16(n) | 0x4000)
	default:
		e.U32(uint32(n) | 0x80000000)
	}
}

// Opaque writes a variable-length opaque vector: a varint length then the bytes.
func (e *Encoder) Opaque(b []byte) {
	e.Varint(len(b))
	e.Raw(b)
}

// Vector writes a variable-length vector whose body is produced by body. The body is
// encoded in place and the header inserted before it, so nested vectors cost one copy.
func (e *Encoder) Vector(body func(e *Encoder)) {
	start := len(e.buf)
	body(e)
	n := len(e.buf) - start
	var hdr [4]byte
	h := hdr[:0]
	switch {
	case n < 1<<6:
		h = append(h, byte(n))
	case n < 1<<14:
		h = append(h, byte(n>>8)|0x40, byte(n))
	case n <= maxVarint:
		h = append(h, byte(n>>24)|0x80, byte(n>>16), byte(n>>8), byte(n))
	default:
		panic(fmt.Sprintf("mls: vector length %d out of range", n))
	}
	e.buf = append(e.buf, h...)
	copy(e.buf[start+len(h):], e.buf[start:start+n])
	copy(e.buf[start:], h)
}

// Optional writes an optional<T>: a presence byte, then the value when present.
func (e *Encoder) Optional(present bool, body func(e *Encoder)) {
	e.Bool(present)
	if present {
		body(e)
	}
}

// Decoder reads TLS-encoded values. The first error sticks: later reads return zero values
// and Err reports it, so a structure decoder checks once at the end. Every length is checked
// against what remains before anything is sliced, so no input allocates without bound.
// Slices returned by Opaque and Raw alias the input; callers that keep them must copy.
type Decoder struct {
	buf []byte
	err error
}

// NewDecoder returns a Decoder over b.
func NewDecoder(b []byte) *Decoder { return &Decoder{buf: b} }

// Err returns the first error met, if any.
func (d *Decoder) Err() error { return d.err }

// Remaining reports how many bytes are left.
func (d *Decoder) Remaining() int { return len(d.buf) }

// Empty reports whether all input has been consumed (or an error has occurred).
func (d *Decoder) Empty() bool { return d.err != nil || len(d.buf) == 0 }

// Fail records err unless an earlier error is already recorded.
func (d *Decoder) Fail(err error) {
	if d.err == nil {
		d.err = err
		d.buf = nil
	}
}

// Finish returns the sticky error, or ErrTrailingBytes when input remains.
func (d *Decoder) Finish() error {
	if d.err != nil {
		return d.err
	}
	if len(d.buf) != 0 {
		return ErrTrailingBytes
	}
	return nil
}

func (d *Decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.buf) {
		d.Fail(ErrTruncated)
		return nil
	}
	b := d.buf[:n:n]
	d.buf = d.buf[n:]
	return b
}

func (d *Decoder) U8() uint8 {
	b := d.take(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (d *Decoder) U16() uint16 {
	b := d.take(2)
	if b == nil {
		return 0
	}
	return uint16(b[0])<<8 | uint16(b[1])
}

func (d *Decoder) U32() uint32 {
	b := d.take(4)
	if b == nil {
		return 0
	}
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func (d *Decoder) U64() uint64 { return uint64(d.U32())<<32 | uint64(d.U32()) }

// Bool reads a TLS boolean; any byte other than 0 or 1 is an error.
func (d *Decoder) Bool() bool {
	switch d.U8() {
	case 0:
		return false
	case 1:
		return true
	default:
		d.Fail(ErrInvalidBool)
		return false
	}
}

// Raw reads n bytes with no length prefix.
func (d *Decoder) Raw(n int) []byte { return d.take(n) }

// Varint reads an RFC 9420 variable-length integer, rejecting the reserved prefix and
// non-minimal encodings as the RFC requires.
func (d *Decoder) Varint() int {
	if d.err != nil {
		return 0
	}
	if len(d.buf) == 0 {
		d.Fail(ErrTruncated)
		return 0
	}
	var n, min int
	switch d.buf[0] >> 6 {
	case 0:
		return int(d.U8())
	case 1:
		n, min = int(d.U16()&0x3fff), 1<<6
	case 2:
		n, min = int(d.U32()&0x3fffffff), 1<<14
	default:
		d.Fail(ErrVarintInvalid)
		return 0
	}
	if d.err == nil && n < min {
		d.Fail(ErrVarintNotMinimal)
		return 0
	}
	return n
}

// Opaque reads a variable-length opaque vector.
func (d *Decoder) Opaque() []byte {
	n := d.Varint()
	b := d.take(n)
	if b == nil && d.err == nil {
		return []byte{}
	}
	return b
}

// Vector reads a variable-length vector and calls item repeatedly until its body is consumed.
// item gets this same Decoder, limited to the body for the duration (no sub-decoder is
// allocated, which matters in a 400-leaf tree); it must make progress or fail.
func (d *Decoder) Vector(item func(d *Decoder)) {
	n := d.Varint()
	if d.err != nil {
		return
	}
	if n > len(d.buf) {
		d.Fail(ErrTruncated)
		return
	}
	rest := d.buf[n:]
	d.buf = d.buf[:n:n]
	for len(d.buf) > 0 && d.err == nil {
		before := len(d.buf)
		item(d)
		if d.err == nil && len(d.buf) == before {
			d.Fail(fmt.Errorf("mls: vector item consumed no bytes: %w", ErrTruncated))
		}
	}
	if d.err == nil {
		d.buf = rest
	}
}

// Optional reads an optional<T> presence marker.
func (d *Decoder) Optional() bool { return d.Bool() }

// encodeU16s writes a vector of 16-bit enum values (capability lists and the like).
func encodeU16s[T ~uint16](e *Encoder, v []T) {
	e.Varint(2 * len(v))
	for _, x := range v {
		e.U16(uint16(x))
	}
}

// decodeU16s reads a vector of 16-bit values into a slice of exactly the right size.
func decodeU16s[T ~uint16](d *Decoder) []T {
	body := d.take(d.Varint())
	if len(body)%2 != 0 {
		d.Fail(fmt.Errorf("mls: vector of 16-bit values: %w", ErrTruncated))
	}
	if d.err != nil || len(body) == 0 {
		return nil
	}
	out := make([]T, len(body)/2)
	for i := range out {
		out[i] = T(body[2*i])<<8 | T(body[2*i+1])
	}
	return out
}

// encodeU32s writes a vector of 32-bit values (a parent node's unmerged leaves).
func encodeU32s(e *Encoder, v []uint32) {
	e.Varint(4 * len(v))
	for _, x := range v {
		e.U32(x)
	}
}

// decodeU32s reads a vector of 32-bit values into a slice of exactly the right size.
func decodeU32s(d *Decoder) []uint32 {
	body := d.take(d.Varint())
	if len(body)%4 != 0 {
		d.Fail(fmt.Errorf("mls: vector of 32-bit values: %w", ErrTruncated))
	}
	if d.err != nil || len(body) == 0 {
		return nil
	}
	out := make([]uint32, len(body)/4)
	for i := range out {
		b := body[4*i:]
		out[i] = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return out
}

// decodeAll runs one structure's unmarshal over a private copy of b and requires that it
// consume every byte. The copy means decoded values never alias the caller's buffer, so the
// caller may reuse it; inside, every slice aliases the single copy (one allocation).
func decodeAll(what string, b []byte, unmarshal func(d *Decoder)) error {
	return decodeInPlace(what, append([]byte(nil), b...), unmarshal)
}

// decodeInPlace is decodeAll without the copy, for bytes the package already owns (such as
// extension data inside a decoded structure): the result aliases b.
func decodeInPlace(what string, b []byte, unmarshal func(d *Decoder)) error {
	d := NewDecoder(b)
	unmarshal(d)
	if err := d.Finish(); err != nil {
		return fmt.Errorf("mls: decode %s: %w", what, err)
	}
	return nil
}

// marshaler is any structure with a wire form.
type marshaler interface{ Marshal(e *Encoder) }

// encode returns the wire form of m; sizeHint presizes the buffer.
func encode(m marshaler, sizeHint int) []byte {
	e := NewEncoder(sizeHint)
	m.Marshal(e)
	return e.Bytes()
}

// decode parses b as a complete T, where *T has an Unmarshal method; what names T in errors.
// It backs every exported DecodeXxx entry point.
func decode[T any, P interface {
	*T
	Unmarshal(d *Decoder)
}](what string, b []byte) (T, error) {
	var v T
	err := decodeAll(what, b, P(&v).Unmarshal)
	return v, err
}
