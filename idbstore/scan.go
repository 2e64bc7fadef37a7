//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/store"
)

// partitionRange is the IDBKeyRange of the records first..last (inclusive) of a partition.
func partitionRange(prefix []byte, first, last uint64) js.Value {
	return js.Global().Get("IDBKeyRange").Call("bound", jsBytes(seqKey(prefix, first)), jsBytes(seqKey(prefix, last)))
}

// Scan implements [store.Store]. Ascending scans, and descending ones without a limit,
// read the values with one getAll; a descending scan with a limit walks a backwards cursor
// instead, since only recent Chromium lets getAll count from the high end. Keys are never read:
// each value names the sequence number it was sealed for (record.go).
func (s *Store) Scan(ctx context.Context, table string, partition []byte, r store.Range) ([]store.Record, error) {
	if err := store.ValidTable(table); err != nil {
		return nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	tx, err := s.transaction("readonly")
	if err != nil {
		return nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	last := uint64(math.MaxUint64)
	if r.To != 0 {
		if r.To <= r.From {
			return nil, nil
		}
		last = r.To - 1
	}
	prefix := s.keys.partitionKey(table, partition)
	keyRange := partitionRange(prefix, r.From, last)
	var values [][]byte
	descending := r.Reverse && r.Limit > 0 // the order values are read in
	if descending {
		values, err = cursorScan(ctx, tx, keyRange, r.Limit)
	} else {
		values, err = bulkScan(ctx, tx, keyRange, r.Limit)
	}
	if err != nil {
		return nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	recs := make([]store.Record, len(values))
	for i, sealed := range values {
		if recs[i].Seq, recs[i].Value, err = s.keys.openSeq(prefix, sealed); err != nil {
			return nil, fmt.Errorf("idbstore: scan: %w", err)
		}
		// Values come in key order: one out of order or out of range sits at a key it
		// was not sealed for.
		inOrder := i == 0 || descending && recs[i].Seq < recs[i-1].Seq || !descending && recs[i].Seq > recs[i-1].Seq
		if !inOrder || recs[i].Seq < r.From || recs[i].Seq > last {
			return nil, fmt.Errorf("idbstore: scan: record %d found out of place: %w", recs[i].Seq, store.ErrCorrupt)
		}
	}
	if r.Reverse && r.Limit <= 0 {
		slices.Reverse(recs)
	}
	return recs, nil
}

// bulkScan reads the first limit (all when limit ≤ 0) values of keyRange, ascending.
func bulkScan(ctx context.Context, tx, keyRange js.Value, limit int) ([][]byte, error) {
	count := js.Undefined()
	if limit > 0 {
		count = js.ValueOf(limit)
	}
	req, err := call(func() js.Value {
		return tx.Call("objectStore", recordsStore).Call("getAll", keyRange, count)
	})
	if err != nil {
		return nil, err
	}
	if err := awaitTransaction(ctx, tx); err != nil {
		return nil, err
	}
	return copyValues(req.Get("result"))
}

// copyValues copies an array of stored values into Go. The crossings into JS dominate a
// scan's Go side, so each value costs two: Index, and one CopyBytesToGo into the free tail
// of a shared buffer (which also tells its length); only a value that fills the tail is
// measured and copied again into a bigger one.
func copyValues(a js.Value) (values [][]byte, err error) {
	defer func() {
		if r := recover(); r != nil { // CopyBytesToGo of something not a Uint8Array
			values, err = nil, fmt.Errorf("stored value is not bytes: %v: %w", r, store.ErrCorrupt)
		}
	}()
	values = make([][]byte, a.Length())
	var buf []byte
	for i := range values {
		v := a.Index(i)
		if len(buf) < sealOverhead {
			buf = make([]byte, 1<<20)
		}
		if n := js.CopyBytesToGo(buf, v); n < len(buf) {
			values[i], buf = buf[:n:n], buf[n:]
			continue
		}
		big := make([]byte, v.Get("byteLength").Int())
		js.CopyBytesToGo(big, v)
		values[i] = big
	}
	return values, nil
}

// cursorScan reads the last limit values of keyRange, descending, copying each as the
// cursor reaches it: the cursor must be advanced inside its own success event.
func cursorScan(ctx context.Context, tx, keyRange js.Value, limit int) ([][]byte, error) {
	req, err := call(func() js.Value {
		return tx.Call("objectStore", recordsStore).Call("openCursor", keyRange, "prev")
	})
	if err != nil {
		return nil, err
	}
	var values [][]byte
	var readErr error
	step := js.FuncOf(func(js.Value, []js.Value) any {
		cursor := req.Get("result")
		if cursor.IsNull() {
			return nil
		}
		value, err := goBytes(cursor.Get("value"))
		if err != nil {
			readErr = err
			return nil
		}
		if values = append(values, value); len(values) < limit {
			cursor.Call("continue")
		}
		return nil
	})
	defer step.Release()
	req.Set("onsuccess", step)
	if err := awaitTransaction(ctx, tx); err != nil {
		return nil, err
	}
	return values, readErr
}
