package mls

import (
	"bytes"
	"fmt"
)

// MessageHeader is what a server can learn from an MLSMessage without any group state: enough
// to file a message under its group and epoch and to refuse one that is malformed at the top.
// GroupID and Epoch are set for public and private messages and group infos; ContentType for
// public and private messages; Sender only for public messages (a private message hides it,
// and Sender.Type is then zero).
type MessageHeader struct {
	WireFormat  WireFormat
	GroupID     []byte
	Epoch       uint64
	ContentType ContentType
	Sender      Sender
}

// ParseMessageHeader reads the header fields of an MLSMessage. It reads only the prefix it
// needs, so it does not vouch for the rest of the message: DecodeMLSMessage does. GroupID is
// a copy, safe to keep.
func ParseMessageHeader(b []byte) (MessageHeader, error) {
	var h MessageHeader
	d := NewDecoder(b)
	version := ProtocolVersion(d.U16())
	h.WireFormat = WireFormat(d.U16())
	if d.Err() == nil && version != ProtocolVersionMLS10 {
		d.Fail(fmt.Errorf("%w: %d", ErrUnsupportedVersion, version))
	}
	switch h.WireFormat {
	case WireFormatPublicMessage:
		h.GroupID = d.Opaque()
		h.Epoch = d.U64()
		h.Sender.Unmarshal(d)
		d.Opaque() // authenticated_data
		h.ContentType = ContentType(d.U8())
		if d.Err() == nil {
			if err := h.ContentType.check(); err != nil {
				d.Fail(err)
			} else if err := h.Sender.mayCarry(h.ContentType); err != nil {
				d.Fail(err)
			}
		}
	case WireFormatPrivateMessage:
		h.GroupID = d.Opaque()
		h.Epoch = d.U64()
		h.ContentType = ContentType(d.U8())
		if d.Err() == nil {
			if err := h.ContentType.check(); err != nil {
				d.Fail(err)
			}
		}
	case WireFormatGroupInfo:
		var gc GroupContext
		gc.Unmarshal(d)
		h.GroupID, h.Epoch = gc.GroupID, gc.Epoch
	case WireFormatWelcome, WireFormatKeyPackage:
	default:
		d.Fail(fmt.Errorf("%w: %d", ErrWireFormat, h.WireFormat))
	}
	if err := d.Err(); err != nil {
		return MessageHeader{}, fmt.Errorf("mls: parse message header: %w", err)
	}
	h.GroupID = bytes.Clone(h.GroupID)
	return h, nil
}
