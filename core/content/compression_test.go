package content_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func TestCompressionRoundTrip(t *testing.T) {
	text := content.Text(bytes.Repeat([]byte("compress me "), 1000))
	for _, c := range []mlscontents.Compression{mlscontents.Compression_COMPRESSION_DEFLATE, mlscontents.Compression_COMPRESSION_GZIP} {
		ec, _ := content.Encode(text)
		packed, err := content.Compress(ec, c)
		if err != nil {
			t.Fatal(err)
		}
		if packed.GetCompression() != c || len(packed.Content) >= len(ec.Content)/10 {
			t.Fatalf("%v: compressed %d bytes to %d", c, len(ec.Content), len(packed.Content))
		}
		if ec.Compression != nil {
			t.Fatal("Compress modified its input")
		}
		got, err := content.Decode(packed)
		if err != nil || got != text {
			t.Fatalf("%v: Decode = %.20q, %v", c, got, err)
		}
	}
}

// DEFLATE is the zlib format (what JS CompressionStream("deflate") writes), not raw deflate.
func TestDeflateIsZlib(t *testing.T) {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write([]byte("from a JS client"))
	w.Close()
	deflate := mlscontents.Compression_COMPRESSION_DEFLATE
	ec := &mlscontents.EncodedContent{Type: content.TypeText.Proto(), Content: buf.Bytes(), Compression: &deflate}
	if got, err := content.Decode(ec); err != nil || got != content.Text("from a JS client") {
		t.Fatalf("Decode = %q, %v", got, err)
	}
}

func TestDecompressionBombIsCapped(t *testing.T) {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	zeros := make([]byte, 1<<20)
	for range content.MaxDecompressedSize>>20 + 1 {
		w.Write(zeros)
	}
	w.Close()
	if buf.Len() > 100<<10 {
		t.Fatalf("bomb is %d bytes; expected well under 100 KiB", buf.Len())
	}
	deflate := mlscontents.Compression_COMPRESSION_DEFLATE
	ec := &mlscontents.EncodedContent{Type: content.TypeAttachment.Proto(), Content: buf.Bytes(), Compression: &deflate}
	if _, err := content.Decode(ec); !errors.Is(err, content.ErrTooLarge) {
		t.Fatalf("Decode of a %d-byte bomb: %v, want ErrTooLarge", buf.Len(), err)
	}
}

func TestDecompressErrors(t *testing.T) {
	gzip, unknown := mlscontents.Compression_COMPRESSION_GZIP, mlscontents.Compression(7)
	if _, err := content.Decompress(&mlscontents.EncodedContent{Content: []byte("nope"), Compression: &gzip}); !errors.Is(err, content.ErrMalformed) {
		t.Errorf("corrupt gzip: %v, want ErrMalformed", err)
	}
	if _, err := content.Decompress(&mlscontents.EncodedContent{Compression: &unknown}); !errors.Is(err, content.ErrUnknownCompression) {
		t.Errorf("unknown compression: %v, want ErrUnknownCompression", err)
	}
	if _, err := content.Compress(&mlscontents.EncodedContent{}, unknown); !errors.Is(err, content.ErrUnknownCompression) {
		t.Errorf("compress with unknown: %v, want ErrUnknownCompression", err)
	}
}
