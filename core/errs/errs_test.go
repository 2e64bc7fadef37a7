package errs_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/goxmtp/goxmtp/core/errs"
)

var errDenied = errs.New("test.denied", "test: denied")

func TestWrapKeepsCodeAndCause(t *testing.T) {
	err := fmt.Errorf("add member: %w", errDenied.Wrap(io.ErrUnexpectedEOF))
	if !errors.Is(err, errDenied) {
		t.Error("wrapped error does not match its sentinel")
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("wrapped error lost its cause")
	}
	if got := errs.Code(err); got != "test.denied" {
		t.Errorf("Code = %q, want test.denied", got)
	}
	if got, want := err.Error(), "add member: test: denied: unexpected EOF"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestCodeOfUncodedError(t *testing.T) {
	if got := errs.Code(io.EOF); got != "" {
		t.Errorf("Code(io.EOF) = %q, want empty", got)
	}
	if errors.Is(errs.New("a.b", "x"), errDenied) {
		t.Error("different codes must not match")
	}
}
