package content

import "github.com/goxmtp/goxmtp/core/errs"

// Errors callers branch on. Each carries a stable code for the JS boundary; none carries
// message plaintext or key material.
var (
	// ErrMalformed reports bytes or parameters that do not form the content they claim to be.
	ErrMalformed = errs.New("content.malformed", "content: malformed content")
	// ErrUnsupportedEncoding reports a text whose "encoding" parameter is not UTF-8.
	ErrUnsupportedEncoding = errs.New("content.unsupported_encoding", "content: unsupported text encoding")
	// ErrTooLarge reports compressed content that inflates beyond MaxDecompressedSize.
	ErrTooLarge = errs.New("content.too_large", "content: decompressed content exceeds the size limit")
	// ErrUnknownCompression reports a compression algorithm this package does not know.
	ErrUnknownCompression = errs.New("content.unknown_compression", "content: unknown compression")
	// ErrInvalidContent reports a Go value that cannot be encoded (e.g. a reaction without an action).
	ErrInvalidContent = errs.New("content.invalid", "content: value cannot be encoded")
	// ErrDigestMismatch reports a downloaded remote attachment whose SHA-256 differs from the message's.
	ErrDigestMismatch = errs.New("content.digest_mismatch", "content: remote attachment digest mismatch")
	// ErrDecrypt reports a remote attachment payload that does not open under its secret.
	ErrDecrypt = errs.New("content.decrypt_failed", "content: remote attachment decryption failed")
)
