package storetest

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// messageSize is about an encrypted text message with its metadata.
const messageSize = 512

// Bench runs the store benchmarks against stores made by open:
//
//   - ApplyMessages1000: one Apply of 1,000 messages into a group plus its new state, the
//     write a large sync makes;
//   - Scan10000: reading back a 10,000-message group, newest first, as a cold load does.
func Bench(b *testing.B, open Opener) {
	value := make([]byte, messageSize)
	rand.Read(value)
	state := make([]byte, 16<<10)
	rand.Read(state)

	b.Run("ApplyMessages1000", func(b *testing.B) {
		s := open(b)
		defer s.Close()
		ctx := context.Background()
		b.SetBytes(1000 * messageSize)
		var next uint64
		for b.Loop() {
			var c store.Changes
			for range 1000 {
				c.PutSeq("messages", []byte("group"), next, value)
				next++
			}
			c.Put("groups", []byte("group"), state)
			if err := s.Apply(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("Scan10000", func(b *testing.B) {
		s := open(b)
		defer s.Close()
		ctx := context.Background()
		for batch := range 10 {
			var c store.Changes
			for i := range 1000 {
				seq := uint64(batch*1000 + i)
				v := binary.BigEndian.AppendUint64(append([]byte{}, value[:messageSize-8]...), seq)
				c.PutSeq("messages", []byte("group"), seq, v)
			}
			if err := s.Apply(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(10000 * messageSize)
		for b.Loop() {
			recs, err := s.Scan(ctx, "messages", []byte("group"), store.Range{Reverse: true})
			if err != nil {
				b.Fatal(err)
			}
			if len(recs) != 10000 {
				b.Fatalf("scanned %d records", len(recs))
			}
		}
	})
}
