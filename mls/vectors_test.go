package mls

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// hexBytes decodes the hex strings of the RFC 9420 interop vectors.
type hexBytes []byte

func (h *hexBytes) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(string(text))
	*h = b
	return err
}

// loadVectors decodes mls/testdata/<name> into v.
func loadVectors(t testing.TB, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// vectorSuite returns the suite of a vector case, skipping the subtest when goxmtp does not
// implement it.
func vectorSuite(t *testing.T, id uint16) CipherSuite {
	t.Helper()
	cs := CipherSuite(id)
	if err := cs.Check(); err != nil {
		t.Skipf("cipher suite %d: goxmtp implements only suites 1 and 3", id)
	}
	return cs
}
