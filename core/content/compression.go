package content

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// MaxDecompressedSize caps what compressed content may inflate to. It equals the node's
// message limit, so nothing decompressed is larger than what could have been sent plain, and
// a small "zip bomb" cannot exhaust memory (a browser tab has little to spare).
const MaxDecompressedSize = 25 << 20

// Compress returns a copy of ec whose content is compressed with c. XMTP's DEFLATE is the
// zlib format (RFC 1950), as the JS SDKs' CompressionStream("deflate") writes it; GZIP is
// RFC 1952. Content that is already compressed is returned unchanged.
func Compress(ec *mlscontents.EncodedContent, c mlscontents.Compression) (*mlscontents.EncodedContent, error) {
	if ec.Compression != nil {
		return ec, nil
	}
	var buf bytes.Buffer
	var w io.WriteCloser
	switch c {
	case mlscontents.Compression_COMPRESSION_DEFLATE:
		w = zlib.NewWriter(&buf)
	case mlscontents.Compression_COMPRESSION_GZIP:
		w = gzip.NewWriter(&buf)
	default:
		return nil, fmt.Errorf("compress with %d: %w", c, ErrUnknownCompression)
	}
	if _, err := w.Write(ec.Content); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return withContent(ec, buf.Bytes(), &c), nil
}

// Decompress returns a copy of ec with its content inflated and the compression field
// cleared, or ec itself when it is not compressed. Output beyond MaxDecompressedSize fails
// with ErrTooLarge before more than that is allocated.
func Decompress(ec *mlscontents.EncodedContent) (*mlscontents.EncodedContent, error) {
	if ec.Compression == nil {
		return ec, nil
	}
	src := bytes.NewReader(ec.Content)
	var r io.ReadCloser
	var err error
	switch c := *ec.Compression; c {
	case mlscontents.Compression_COMPRESSION_DEFLATE:
		r, err = zlib.NewReader(src)
	case mlscontents.Compression_COMPRESSION_GZIP:
		r, err = gzip.NewReader(src)
	default:
		return nil, fmt.Errorf("decompress %d: %w", c, ErrUnknownCompression)
	}
	if err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("decompress: %w", err))
	}
	defer r.Close()
	plain, err := io.ReadAll(io.LimitReader(r, MaxDecompressedSize+1))
	if err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("decompress: %w", err))
	}
	if len(plain) > MaxDecompressedSize {
		return nil, ErrTooLarge
	}
	return withContent(ec, plain, nil), nil
}

// withContent returns a shallow copy of ec with other content bytes, so a large body is
// never copied twice. The parameters map is shared: callers treat EncodedContent as immutable.
func withContent(ec *mlscontents.EncodedContent, content []byte, c *mlscontents.Compression) *mlscontents.EncodedContent {
	return &mlscontents.EncodedContent{Type: ec.Type, Parameters: ec.Parameters, Fallback: ec.Fallback, Content: content, Compression: c}
}
