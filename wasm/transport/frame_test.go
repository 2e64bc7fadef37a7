package transport

import (
	"bytes"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/api"
)

// body is a gRPC-web response: two messages and a trailer frame.
func body() []byte {
	b := appendFrame(nil, []byte("first"))
	b = appendFrame(b, nil)
	trailer := appendFrame(nil, []byte("grpc-status: 0\r\ngrpc-message: \r\n"))
	trailer[0] = flagTrailer
	return append(b, trailer...)
}

func decodeAll(t testing.TB, chunks [][]byte) []frame {
	t.Helper()
	var d frameDecoder
	var frames []frame
	for _, c := range chunks {
		d.write(c)
		for {
			f, ok, err := d.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			frames = append(frames, f)
		}
	}
	if err := d.finish(); err != nil {
		t.Fatal(err)
	}
	return frames
}

func TestFrameDecoderAnyChunking(t *testing.T) {
	b := body()
	for size := 1; size <= len(b); size++ {
		var chunks [][]byte
		for i := 0; i < len(b); i += size {
			chunks = append(chunks, b[i:min(i+size, len(b))])
		}
		frames := decodeAll(t, chunks)
		if len(frames) != 3 || string(frames[0].payload) != "first" || len(frames[1].payload) != 0 ||
			frames[1].trailer || !frames[2].trailer {
			t.Fatalf("chunks of %d: %+v", size, frames)
		}
	}
}

func TestFrameDecoderRejects(t *testing.T) {
	var d frameDecoder
	d.write([]byte{0x01, 0, 0, 0, 1, 'x'})
	if _, _, err := d.next(); !errors.Is(err, errFrameFlags) {
		t.Errorf("compressed frame: %v", err)
	}
	d = frameDecoder{}
	d.write([]byte{0, 0xff, 0xff, 0xff, 0xff})
	if _, _, err := d.next(); !errors.Is(err, errFrameTooLarge) {
		t.Errorf("huge frame: %v", err)
	}
	d = frameDecoder{}
	d.write([]byte{0, 0, 0, 0, 9, 'x'})
	if _, ok, _ := d.next(); ok {
		t.Error("partial frame returned")
	}
	if err := d.finish(); !errors.Is(err, errTruncated) {
		t.Errorf("truncated body: %v", err)
	}
}

func TestStatusFromTrailers(t *testing.T) {
	tr := parseTrailers([]byte("Grpc-Status: 8\r\ngrpc-message: rate limit exceeded%3A retry after 1.5s %zz\r\nretry-after:2\nbogus line\r\n"))
	st, err := statusFrom(func(n string) string { return tr[n] })
	if err != nil {
		t.Fatal(err)
	}
	if st.Code != 8 || st.Message != "rate limit exceeded: retry after 1.5s %zz" || st.RetryAfter.Seconds() != 2 {
		t.Errorf("status %+v", st)
	}
	if !errors.Is(st.Err(), api.ErrResourceExhausted) {
		t.Errorf("class of %v", st.Err())
	}
	for _, bad := range []string{"", "grpc-message: x\r\n", "grpc-status: ok\r\n"} {
		tr := parseTrailers([]byte(bad))
		if _, err := statusFrom(func(n string) string { return tr[n] }); !errors.Is(err, errNoStatus) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzFrameDecoder feeds arbitrary bodies in arbitrary chunkings: the decoder must never
// panic, and the frames it returns must re-encode to the bytes it consumed.
func FuzzFrameDecoder(f *testing.F) {
	f.Add(body(), uint8(3))
	f.Add([]byte{0x80, 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff}, uint8(2))
	f.Fuzz(func(t *testing.T, b []byte, chunk uint8) {
		size := int(chunk%16) + 1
		var d frameDecoder
		var out []byte
		for i := 0; i < len(b); i += size {
			d.write(b[i:min(i+size, len(b))])
			for {
				fr, ok, err := d.next()
				if err != nil || !ok {
					break
				}
				n := len(out)
				out = appendFrame(out, fr.payload)
				if fr.trailer {
					out[n] = flagTrailer
				}
			}
		}
		if !bytes.HasPrefix(b, out) {
			t.Fatalf("frames do not re-encode to the consumed prefix")
		}
	})
}

// FuzzTrailers parses arbitrary trailer blocks into a status without panicking.
func FuzzTrailers(f *testing.F) {
	f.Add([]byte("grpc-status: 14\r\ngrpc-message: XMTP V3 streaming is no longer available%2E\r\n"))
	f.Add([]byte("grpc-status:0"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tr := parseTrailers(b)
		st, err := statusFrom(func(n string) string { return tr[n] })
		if err == nil && st.Code == 0 && st.Err() != nil {
			t.Fatal("OK status classified as an error")
		}
	})
}

func BenchmarkFrameDecoder(b *testing.B) {
	msg := bytes.Repeat([]byte{7}, 4096)
	var stream []byte
	for range 64 {
		stream = appendFrame(stream, msg)
	}
	b.SetBytes(int64(len(stream)))
	for b.Loop() {
		var d frameDecoder
		for i := 0; i < len(stream); i += 16384 { // fetch's typical chunk size
			d.write(stream[i:min(i+16384, len(stream))])
			for {
				if _, ok, err := d.next(); err != nil || !ok {
					break
				}
			}
		}
	}
}
