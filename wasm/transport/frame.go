package transport

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// gRPC-web frames (grpc/grpc doc/PROTOCOL-WEB.md): one flags byte, a 4-byte big-endian
// length, then the payload. Flag 0x80 marks the trailer frame that ends a response; any other bit
// (0x01 is compression, which goxmtp never asks for) is refused.
const (
	frameHeaderLen  = 5
	flagTrailer     = 0x80
	maxFramePayload = 25<<20 + 1<<10 // libxmtp's 25 MiB message limit, plus room for trailers
)

var (
	errFrameFlags    = errors.New("transport: gRPC-web frame has unknown or compressed flags")
	errFrameTooLarge = errors.New("transport: gRPC-web frame larger than 25 MiB")
	errTruncated     = errors.New("transport: gRPC-web response ends inside a frame")
)

// frame is one decoded gRPC-web frame: a message or the trailer block.
type frame struct {
	trailer bool
	payload []byte
}

// appendFrame appends msg framed as an uncompressed gRPC-web message to dst.
func appendFrame(dst, msg []byte) []byte {
	dst = append(dst, 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(dst[len(dst)-4:], uint32(len(msg)))
	return append(dst, msg...)
}

// frameDecoder splits a response body into frames as its chunks arrive: fetch hands the
// body over in pieces that need not line up with frame boundaries.
type frameDecoder struct {
	buf []byte
}

// write queues a chunk of the body.
func (d *frameDecoder) write(chunk []byte) { d.buf = append(d.buf, chunk...) }

// next returns the next complete frame, or ok false when more bytes are needed. The frame's
// payload stays valid after later writes.
func (d *frameDecoder) next() (f frame, ok bool, err error) {
	if len(d.buf) < frameHeaderLen {
		return frame{}, false, nil
	}
	flags := d.buf[0]
	if flags&^flagTrailer != 0 {
		return frame{}, false, fmt.Errorf("%w: 0x%02x", errFrameFlags, flags)
	}
	n := binary.BigEndian.Uint32(d.buf[1:frameHeaderLen])
	if n > maxFramePayload {
		return frame{}, false, fmt.Errorf("%w: %d bytes", errFrameTooLarge, n)
	}
	end := frameHeaderLen + int(n)
	if len(d.buf) < end {
		return frame{}, false, nil
	}
	f = frame{trailer: flags&flagTrailer != 0, payload: d.buf[frameHeaderLen:end:end]}
	d.buf = d.buf[end:]
	if len(d.buf) == 0 {
		d.buf = nil // let the consumed chunk be collected; payload keeps its own slice
	}
	return f, true, nil
}

// finish reports whether the body ended cleanly, on a frame boundary.
func (d *frameDecoder) finish() error {
	if len(d.buf) != 0 {
		return fmt.Errorf("%w (%d bytes left)", errTruncated, len(d.buf))
	}
	return nil
}
