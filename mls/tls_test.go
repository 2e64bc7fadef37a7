package mls

import (
	"errors"
	"testing"
)

func TestDeserializationVectors(t *testing.T) {
	var cases []struct {
		Header hexBytes `json:"vlbytes_header"`
		Length int      `json:"length"`
	}
	loadVectors(t, "deserialization.json", &cases)
	for i, c := range cases {
		d := NewDecoder(c.Header)
		if n := d.Varint(); d.Finish() != nil || n != c.Length {
			t.Errorf("case %d: decoded %d (err %v), want %d", i, n, d.Finish(), c.Length)
		}
		var e Encoder
		e.Varint(c.Length)
		if string(e.Bytes()) != string(c.Header) {
			t.Errorf("case %d: encoded %x, want %x", i, e.Bytes(), []byte(c.Header))
		}
	}
}

func TestDecoderErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		read func(d *Decoder)
		want error
	}{
		{"truncated u32", []byte{1, 2}, func(d *Decoder) { d.U32() }, ErrTruncated},
		{"opaque longer than input", []byte{5, 1, 2}, func(d *Decoder) { d.Opaque() }, ErrTruncated},
		{"reserved varint prefix", []byte{0xc0, 0, 0, 0, 0, 0, 0, 1}, func(d *Decoder) { d.Varint() }, ErrVarintInvalid},
		{"non-minimal varint", []byte{0x40, 0x05}, func(d *Decoder) { d.Varint() }, ErrVarintNotMinimal},
		{"bad bool", []byte{2}, func(d *Decoder) { d.Bool() }, ErrInvalidBool},
		{"trailing bytes", []byte{1, 2}, func(d *Decoder) { d.U8() }, ErrTrailingBytes},
		{"odd u16 vector", []byte{3, 0, 1, 2}, func(d *Decoder) { decodeU16s[uint16](d) }, ErrTruncated},
	}
	for _, tt := range tests {
		d := NewDecoder(tt.in)
		tt.read(d)
		if err := d.Finish(); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestVectorNesting(t *testing.T) {
	// A body crossing the 1-byte and 2-byte varint boundaries must get the right header.
	for _, n := range []int{0, 63, 64, 16383, 16384} {
		var e Encoder
		e.Vector(func(e *Encoder) { e.Raw(make([]byte, n)) })
		d := NewDecoder(e.Bytes())
		if got := d.Opaque(); len(got) != n || d.Finish() != nil {
			t.Errorf("vector of %d bytes: read back %d, err %v", n, len(got), d.Finish())
		}
	}
}
