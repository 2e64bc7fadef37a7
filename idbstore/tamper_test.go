//go:build js && wasm

package idbstore

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// TestTamperedRecords: whoever can write the database can swap, copy or replace values;
// every such change reads as store.corrupt, never as another record's data.
func TestTamperedRecords(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	dbKey := randomKey()
	name := newName(t)
	s := mustOpen(t, name, Options{Key: dbKey})
	var c store.Changes
	c.Put("t", []byte("a"), []byte("value of a"))
	c.Put("t", []byte("b"), []byte("value of b"))
	for seq := range uint64(4) {
		c.PutSeq("m", []byte("p"), seq, []byte{byte(seq)})
	}
	apply(t, s, c)
	s.Close()
	defer Delete(ctx, name)
	original := dumpRaw(t, name)

	storeKey, err := storeKeyFrom(dbKey)
	if err != nil {
		t.Fatal(err)
	}
	k, err := newKeys(storeKey)
	if err != nil {
		t.Fatal(err)
	}
	prefix := k.partitionKey("m", []byte("p"))
	// value returns a pointer to the raw value stored at key in dump.
	value := func(dump rawDB, key []byte) *rawValue {
		for i, r := range dump.Stores[recordsStore] {
			if bytes.Equal(r.Key.Bytes, key) {
				return &dump.Stores[recordsStore][i].Value
			}
		}
		t.Fatalf("no record at %x", key)
		return nil
	}
	// tampered opens a copy of the database changed by edit.
	tampered := func(edit func(dump rawDB)) *Store {
		dump := dumpRaw(t, name)
		edit(dump)
		copyName := newName(t)
		loadRaw(t, copyName, dump)
		t.Cleanup(func() { Delete(ctx, copyName) })
		s := mustOpen(t, copyName, Options{Key: dbKey})
		t.Cleanup(func() { s.Close() })
		return s
	}

	s = tampered(func(dump rawDB) {
		a, b := value(dump, k.pointKey("t", []byte("a"))), value(dump, k.pointKey("t", []byte("b")))
		*a, *b = *b, *a
	})
	_, _, err = s.Get(ctx, "t", []byte("a"))
	wantCode(t, "get of a swapped value", err, store.ErrCorrupt)

	s = tampered(func(dump rawDB) { // record 1's value copied over record 2's
		*value(dump, seqKey(prefix, 2)) = *value(dump, seqKey(prefix, 1))
	})
	_, _, err = s.GetSeq(ctx, "m", []byte("p"), 2)
	wantCode(t, "get of a copied ordered value", err, store.ErrCorrupt)
	for _, r := range []store.Range{{}, {Reverse: true}, {Reverse: true, Limit: 3}} {
		_, err = s.Scan(ctx, "m", []byte("p"), r)
		wantCode(t, "scan over a copied ordered value", err, store.ErrCorrupt)
	}

	s = tampered(func(dump rawDB) {
		text := "not bytes"
		*value(dump, k.pointKey("t", []byte("b"))) = rawValue{String: &text}
	})
	_, _, err = s.Get(ctx, "t", []byte("b"))
	wantCode(t, "get of a string value", err, store.ErrCorrupt)

	if after := dumpRaw(t, name); len(after.Stores[recordsStore]) != len(original.Stores[recordsStore]) {
		t.Fatal("tampering with copies changed the original")
	}
}

// TestCancelDuringApply cancels the context while an Apply's transaction is running:
// IndexedDB aborts it and none of its writes land.
func TestCancelDuringApply(t *testing.T) {
	needBrowser(t)
	ctx, cancel := context.WithCancel(context.Background())
	s := opener(randomKey)(t)
	var c store.Changes
	for seq := range uint64(500) {
		c.PutSeq("m", []byte("p"), seq, make([]byte, 1024))
	}
	c.Put("t", []byte("state"), []byte("new"))
	go cancel() // runs once Apply blocks on its transaction: Go's js/wasm scheduler yields only there
	if err := s.Apply(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("apply cancelled mid-transaction = %v", err)
	}
	if _, found, err := s.Get(context.Background(), "t", []byte("state")); err != nil || found {
		t.Fatalf("a cancelled apply wrote its last change (%v, %v)", found, err)
	}
	recs, err := s.Scan(context.Background(), "m", []byte("p"), store.Range{})
	if err != nil || len(recs) != 0 {
		t.Fatalf("a cancelled apply left %d records (%v)", len(recs), err)
	}
}
