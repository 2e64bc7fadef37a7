package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	var ok Changes
	ok.Put("t", nil, nil)
	ok.Delete("t", []byte("id"))
	ok.PutSeq("t", []byte("p"), 1, []byte("v"))
	ok.DeleteSeq("t", []byte("p"), 1)
	ok.DeletePartition("t", nil)
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid changes: %v", err)
	}
	bad := []Changes{
		{{Op: OpPut, Table: ""}},
		{{Op: OpPut, Table: strings.Repeat("t", MaxTableName+1)}},
		{{Op: 0, Table: "t"}},
		{{Op: OpDeletePartition + 1, Table: "t"}},
	}
	for i, c := range bad {
		if err := append(ok[:len(ok):len(ok)], c...).Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("bad change %d: %v, want ErrInvalid", i, err)
		}
	}
}

// TestCodes: every sentinel has its own stable code, found through wrapping.
func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range []*Error{ErrClosed, ErrLocked, ErrWrongKey, ErrCorrupt, ErrVersion, ErrInvalid} {
		if !strings.HasPrefix(e.Code(), "store.") || seen[e.Code()] {
			t.Errorf("code %q is not a unique store.* code", e.Code())
		}
		seen[e.Code()] = true
		var got *Error
		if wrapped := fmt.Errorf("ctx: %w", e); !errors.As(wrapped, &got) || got.Code() != e.Code() {
			t.Errorf("%q lost through wrapping", e.Code())
		}
	}
}
