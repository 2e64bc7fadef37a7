package wrap

import "errors"

// Errors callers branch on. None of them carries key material or plaintext.
var (
	// ErrUnsupportedAlgorithm reports an algorithm this package cannot seal or open with.
	ErrUnsupportedAlgorithm = errors.New("wrap: unsupported wrapper algorithm")
	// ErrInvalidKey reports a public or private key of the wrong size or form.
	ErrInvalidKey = errors.New("wrap: invalid key")
	// ErrMalformed reports wrapped bytes that do not parse.
	ErrMalformed = errors.New("wrap: malformed ciphertext")
	// ErrDecrypt reports a ciphertext that does not open under the given key.
	ErrDecrypt = errors.New("wrap: decryption failed")
)
