package mls

import (
	"errors"
	"fmt"
)

// ExtensionType names an extension (RFC 9420 §13, registry in §17.3). Types this package does
// not know are kept as opaque data so that the layer above (XMTP's group metadata, for one)
// can read them and so that re-encoding reproduces the bytes that were signed.
type ExtensionType uint16

// Extension types of RFC 9420 §17.3, plus last_resort from the MLS extensions draft, which
// XMTP puts in every key package.
const (
	ExtensionApplicationID        ExtensionType = 0x0001
	ExtensionRatchetTree          ExtensionType = 0x0002
	ExtensionRequiredCapabilities ExtensionType = 0x0003
	ExtensionExternalPub          ExtensionType = 0x0004
	ExtensionExternalSenders      ExtensionType = 0x0005
	ExtensionLastResort           ExtensionType = 0x000a
)

// ErrDuplicateExtension reports an extension list naming one type twice, which RFC 9420
// forbids in every list (§13).
var ErrDuplicateExtension = errors.New("mls: extension type appears more than once")

// IsDefault reports whether t is one of RFC 9420's default extensions, which every client
// supports and which therefore never need to be listed in Capabilities (§7.2).
func (t ExtensionType) IsDefault() bool {
	return t >= ExtensionApplicationID && t <= ExtensionExternalSenders
}

// Extension is one typed extension; Data is the extension_data of the wire form, whose
// meaning depends on Type.
type Extension struct {
	Type ExtensionType
	Data []byte
}

// Extensions is an ordered extension list. Order is kept because it is part of what is signed.
type Extensions []Extension

// Find returns the data of the extension of type t.
func (x Extensions) Find(t ExtensionType) ([]byte, bool) {
	for _, ext := range x {
		if ext.Type == t {
			return ext.Data, true
		}
	}
	return nil, false
}

// Has reports whether the list holds an extension of type t.
func (x Extensions) Has(t ExtensionType) bool {
	_, ok := x.Find(t)
	return ok
}

// Marshal writes the list as Extension extensions<V>.
func (x Extensions) Marshal(e *Encoder) {
	e.Vector(func(e *Encoder) {
		for _, ext := range x {
			e.U16(uint16(ext.Type))
			e.Opaque(ext.Data)
		}
	})
}

// Unmarshal reads an extension list, rejecting repeated types.
func (x *Extensions) Unmarshal(d *Decoder) {
	var out Extensions
	d.Vector(func(d *Decoder) {
		t := ExtensionType(d.U16())
		data := d.Opaque()
		if out.Has(t) {
			d.Fail(fmt.Errorf("type 0x%04x: %w", uint16(t), ErrDuplicateExtension))
			return
		}
		out = append(out, Extension{Type: t, Data: data})
	})
	*x = out
}

// ExternalSender is one entry of the external_senders extension (RFC 9420 §12.1.8.1): a
// party outside the group allowed to send proposals.
type ExternalSender struct {
	SignatureKey []byte
	Credential   Credential
}

// EncodeExternalSenders builds the data of an external_senders extension.
func EncodeExternalSenders(senders []ExternalSender) []byte {
	e := NewEncoder(64 * len(senders))
	e.Vector(func(e *Encoder) {
		for _, s := range senders {
			e.Opaque(s.SignatureKey)
			s.Credential.Marshal(e)
		}
	})
	return e.Bytes()
}

// DecodeExternalSenders parses the data of an external_senders extension.
func DecodeExternalSenders(b []byte) ([]ExternalSender, error) {
	var out []ExternalSender
	err := decodeAll("external senders", b, func(d *Decoder) {
		d.Vector(func(d *Decoder) {
			var s ExternalSender
			s.SignatureKey = d.Opaque()
			s.Credential.Unmarshal(d)
			out = append(out, s)
		})
	})
	return out, err
}

// EncodeExternalPub builds the data of an external_pub extension: the HPKE public key that
// lets a non-member join by external commit (RFC 9420 §12.4.3.2).
func EncodeExternalPub(hpkePub []byte) []byte {
	e := NewEncoder(len(hpkePub) + 4)
	e.Opaque(hpkePub)
	return e.Bytes()
}

// DecodeExternalPub parses the data of an external_pub extension.
func DecodeExternalPub(b []byte) ([]byte, error) {
	var pub []byte
	err := decodeAll("external pub", b, func(d *Decoder) { pub = d.Opaque() })
	return pub, err
}

// EncodeApplicationID builds the data of an application_id extension (RFC 9420 §5.3.3);
// XMTP stores the inbox id there.
func EncodeApplicationID(id []byte) []byte {
	e := NewEncoder(len(id) + 4)
	e.Opaque(id)
	return e.Bytes()
}

// DecodeApplicationID parses the data of an application_id extension.
func DecodeApplicationID(b []byte) ([]byte, error) {
	var id []byte
	err := decodeAll("application id", b, func(d *Decoder) { id = d.Opaque() })
	return id, err
}
