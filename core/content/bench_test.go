package content_test

import (
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
)

// benchBytes encodes c to wire bytes for the decode benchmarks.
func benchBytes(b *testing.B, c content.Content) []byte {
	ec, err := content.Encode(c)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := content.Marshal(ec)
	if err != nil {
		b.Fatal(err)
	}
	return raw
}

var benchGroupUpdated = content.GroupUpdated{
	InitiatedBy:     "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
	Added:           []string{"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", "b1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"},
	MetadataChanges: []content.MetadataChange{{Field: "group_name", NewValue: new(string)}},
}

func BenchmarkEncodeText(b *testing.B) {
	for b.Loop() {
		benchBytes(b, content.Text("the quick brown fox jumps over the lazy dog"))
	}
}

func BenchmarkDecodeText(b *testing.B) {
	raw := benchBytes(b, content.Text("the quick brown fox jumps over the lazy dog"))
	for b.Loop() {
		ec, err := content.Unmarshal(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := content.Decode(ec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeGroupUpdated(b *testing.B) {
	for b.Loop() {
		benchBytes(b, benchGroupUpdated)
	}
}

func BenchmarkDecodeGroupUpdated(b *testing.B) {
	raw := benchBytes(b, benchGroupUpdated)
	for b.Loop() {
		ec, err := content.Unmarshal(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := content.Decode(ec); err != nil {
			b.Fatal(err)
		}
	}
}
