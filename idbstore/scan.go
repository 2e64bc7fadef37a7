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
// read keys and values with one getAllKeys and one getAll of the same transaction, which
// see the same records; a descending scan with a limit walks a backwards cursor instead,
// since getAll only counts from the low end in every browser.
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
	var keys, values [][]byte
	if r.Reverse && r.Limit > 0 {
		keys, values, err = cursorScan(ctx, tx, keyRange, r.Limit)
	} else {
		keys, values, err = bulkScan(ctx, tx, keyRange, r.Limit)
		if r.Reverse {
			slices.Reverse(keys)
			slices.Reverse(values)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("idbstore: scan: %w", err)
	}
	recs := make([]store.Record, len(keys))
	for i, key := range keys {
		if recs[i].Seq, err = seqOf(prefix, key); err != nil {
			return nil, fmt.Errorf("idbstore: scan: %w", err)
		}
		if recs[i].Value, err = s.keys.open(key, values[i]); err != nil {
			return nil, fmt.Errorf("idbstore: scan record %d: %w", recs[i].Seq, err)
		}
	}
	return recs, nil
}

// bulkScan reads the first limit (all when limit ≤ 0) records of keyRange, ascending.
func bulkScan(ctx context.Context, tx, keyRange js.Value, limit int) (keys, values [][]byte, err error) {
	count := js.Undefined()
	if limit > 0 {
		count = js.ValueOf(limit)
	}
	var keysReq, valuesReq js.Value
	if _, err := call(func() js.Value {
		os := tx.Call("objectStore", recordsStore)
		keysReq = os.Call("getAllKeys", keyRange, count)
		valuesReq = os.Call("getAll", keyRange, count)
		return js.Undefined()
	}); err != nil {
		return nil, nil, err
	}
	if err := awaitTransaction(ctx, tx); err != nil {
		return nil, nil, err
	}
	if keys, err = goBytesArray(keysReq.Get("result")); err != nil {
		return nil, nil, err
	}
	if values, err = goBytesArray(valuesReq.Get("result")); err != nil {
		return nil, nil, err
	}
	if len(keys) != len(values) {
		return nil, nil, fmt.Errorf("%d keys and %d values in one transaction: %w", len(keys), len(values), store.ErrCorrupt)
	}
	return keys, values, nil
}

func goBytesArray(a js.Value) ([][]byte, error) {
	out := make([][]byte, a.Length())
	for i := range out {
		var err error
		if out[i], err = goBytes(a.Index(i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// cursorScan reads the last limit records of keyRange, descending, copying each as the
// cursor reaches it: the cursor must be advanced inside its own success event.
func cursorScan(ctx context.Context, tx, keyRange js.Value, limit int) (keys, values [][]byte, err error) {
	req, err := call(func() js.Value {
		return tx.Call("objectStore", recordsStore).Call("openCursor", keyRange, "prev")
	})
	if err != nil {
		return nil, nil, err
	}
	var readErr error
	step := js.FuncOf(func(js.Value, []js.Value) any {
		cursor := req.Get("result")
		if cursor.IsNull() || readErr != nil {
			return nil
		}
		key, err := goBytes(cursor.Get("key"))
		if err == nil {
			var value []byte
			value, err = goBytes(cursor.Get("value"))
			keys, values = append(keys, key), append(values, value)
		}
		if err != nil {
			readErr = err
			return nil
		}
		if len(keys) < limit {
			cursor.Call("continue")
		}
		return nil
	})
	defer step.Release()
	req.Set("onsuccess", step)
	if err := awaitTransaction(ctx, tx); err != nil {
		return nil, nil, err
	}
	return keys, values, readErr
}
