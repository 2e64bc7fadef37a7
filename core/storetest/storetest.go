// Package storetest is the conformance suite every [store.Store] passes: the in-memory
// store, SQLite and IndexedDB run the same tests, so the client core can rely on one set of
// behaviours whatever it is stored in.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// Opener returns a new, empty store for one test. The suite closes it; openers may also
// register their own cleanup.
type Opener func(tb testing.TB) store.Store

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Missing", testMissing},
		{"PointRecords", testPointRecords},
		{"EmptyValue", testEmptyValue},
		{"OrderedRecords", testOrderedRecords},
		{"Ranges", testRanges},
		{"Paging", testPaging},
		{"Deletes", testDeletes},
		{"Isolation", testIsolation},
		{"ApplyOrder", testApplyOrder},
		{"FailedApplyWritesNothing", testFailedApply},
		{"CancelledContext", testCancelledContext},
		{"CopySemantics", testCopySemantics},
		{"LargeValues", testLargeValues},
		{"Concurrency", testConcurrency},
		{"Closed", testClosed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			tc.fn(t, s)
		})
	}
}

// apply applies changes and fails the test on error.
func apply(t testing.TB, s store.Store, c store.Changes) {
	t.Helper()
	if err := s.Apply(context.Background(), c); err != nil {
		t.Fatalf("apply: %v", err)
	}
}

// wantGet checks a point record's value, or its absence when want is nil.
func wantGet(t testing.TB, s store.Store, table string, id []byte, want []byte) {
	t.Helper()
	got, found, err := s.Get(context.Background(), table, id)
	if err != nil {
		t.Fatalf("get %s/%x: %v", table, id, err)
	}
	switch {
	case want == nil && found:
		t.Fatalf("get %s/%x = %q, want absent", table, id, got)
	case want != nil && !found:
		t.Fatalf("get %s/%x absent, want %q", table, id, want)
	case want != nil && !bytes.Equal(got, want):
		t.Fatalf("get %s/%x = %q, want %q", table, id, got, want)
	}
}

// wantGetSeq is wantGet for ordered records.
func wantGetSeq(t testing.TB, s store.Store, table string, part []byte, seq uint64, want []byte) {
	t.Helper()
	got, found, err := s.GetSeq(context.Background(), table, part, seq)
	if err != nil {
		t.Fatalf("get %s/%x/%d: %v", table, part, seq, err)
	}
	switch {
	case want == nil && found:
		t.Fatalf("get %s/%x/%d = %q, want absent", table, part, seq, got)
	case want != nil && !found:
		t.Fatalf("get %s/%x/%d absent, want %q", table, part, seq, want)
	case want != nil && !bytes.Equal(got, want):
		t.Fatalf("get %s/%x/%d = %q, want %q", table, part, seq, got, want)
	}
}

// scanSeqs scans and returns the sequence numbers found, checking each value is seqValue.
func scanSeqs(t testing.TB, s store.Store, table string, part []byte, r store.Range) []uint64 {
	t.Helper()
	recs, err := s.Scan(context.Background(), table, part, r)
	if err != nil {
		t.Fatalf("scan %s/%x %+v: %v", table, part, r, err)
	}
	seqs := make([]uint64, len(recs))
	for i, rec := range recs {
		if want := seqValue(part, rec.Seq); !bytes.Equal(rec.Value, want) {
			t.Fatalf("scan %s/%x: seq %d holds %q, want %q", table, part, rec.Seq, rec.Value, want)
		}
		seqs[i] = rec.Seq
	}
	return seqs
}

// seqValue is the value the tests store at (partition, seq), so scans can be checked.
func seqValue(part []byte, seq uint64) []byte {
	return fmt.Appendf(nil, "%x#%d", part, seq)
}

func putSeqs(t testing.TB, s store.Store, table string, part []byte, seqs ...uint64) {
	t.Helper()
	var c store.Changes
	for _, seq := range seqs {
		c.PutSeq(table, part, seq, seqValue(part, seq))
	}
	apply(t, s, c)
}

func equalSeqs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func wantSeqs(t testing.TB, s store.Store, table string, part []byte, r store.Range, want ...uint64) {
	t.Helper()
	if got := scanSeqs(t, s, table, part, r); !equalSeqs(got, want) {
		t.Fatalf("scan %s/%x %+v = %v, want %v", table, part, r, got, want)
	}
}

func testMissing(t *testing.T, s store.Store) {
	wantGet(t, s, "t", []byte("nope"), nil)
	wantGetSeq(t, s, "t", []byte("p"), 1, nil)
	wantSeqs(t, s, "t", []byte("p"), store.Range{})
	wantSeqs(t, s, "t", nil, store.Range{Reverse: true, Limit: 3})
}

func testPointRecords(t *testing.T, s store.Store) {
	var c store.Changes
	c.Put("t", []byte("a"), []byte("1"))
	c.Put("t", []byte{0, 0xff, 0}, []byte("binary id"))
	c.Put("t", nil, []byte("empty id"))
	apply(t, s, c)
	wantGet(t, s, "t", []byte("a"), []byte("1"))
	wantGet(t, s, "t", []byte{0, 0xff, 0}, []byte("binary id"))
	wantGet(t, s, "t", []byte{}, []byte("empty id"))
	wantGet(t, s, "t", []byte{0, 0xff}, nil)

	c = nil
	c.Put("t", []byte("a"), []byte("2"))
	apply(t, s, c)
	wantGet(t, s, "t", []byte("a"), []byte("2"))

	c = nil
	c.Delete("t", []byte("a"))
	c.Delete("t", []byte("never there"))
	apply(t, s, c)
	wantGet(t, s, "t", []byte("a"), nil)
	wantGet(t, s, "t", []byte{0, 0xff, 0}, []byte("binary id"))
}

// testEmptyValue: an empty value is a value, distinct from absence.
func testEmptyValue(t *testing.T, s store.Store) {
	var c store.Changes
	c.Put("t", []byte("nil"), nil)
	c.PutSeq("t", []byte("p"), 7, []byte{})
	apply(t, s, c)
	v, found, err := s.Get(context.Background(), "t", []byte("nil"))
	if err != nil || !found || len(v) != 0 {
		t.Fatalf("get empty = %q, %v, %v", v, found, err)
	}
	v, found, err = s.GetSeq(context.Background(), "t", []byte("p"), 7)
	if err != nil || !found || len(v) != 0 {
		t.Fatalf("get seq empty = %q, %v, %v", v, found, err)
	}
	recs, err := s.Scan(context.Background(), "t", []byte("p"), store.Range{})
	if err != nil || len(recs) != 1 || recs[0].Seq != 7 || len(recs[0].Value) != 0 {
		t.Fatalf("scan empty = %v, %v", recs, err)
	}
}

func testOrderedRecords(t *testing.T, s store.Store) {
	p := []byte("group")
	// Written out of order and across several Applies, including the extremes of uint64
	// (which an order-preserving signed encoding must keep in place).
	putSeqs(t, s, "m", p, 5, 1, math.MaxUint64, 3)
	putSeqs(t, s, "m", p, 0, 1<<63, 1<<63-1, 2, 4)
	all := []uint64{0, 1, 2, 3, 4, 5, 1<<63 - 1, 1 << 63, math.MaxUint64}
	wantSeqs(t, s, "m", p, store.Range{}, all...)
	rev := make([]uint64, len(all))
	for i, seq := range all {
		rev[len(all)-1-i] = seq
	}
	wantSeqs(t, s, "m", p, store.Range{Reverse: true}, rev...)
	for _, seq := range all {
		wantGetSeq(t, s, "m", p, seq, seqValue(p, seq))
	}
	wantGetSeq(t, s, "m", p, 6, nil)

	// Overwriting keeps one record per sequence number.
	var c store.Changes
	c.PutSeq("m", p, 3, []byte("new"))
	apply(t, s, c)
	wantGetSeq(t, s, "m", p, 3, []byte("new"))
	recs, err := s.Scan(context.Background(), "m", p, store.Range{From: 3, To: 4})
	if err != nil || len(recs) != 1 || string(recs[0].Value) != "new" {
		t.Fatalf("scan after overwrite = %v, %v", recs, err)
	}
}

func testRanges(t *testing.T, s store.Store) {
	p := []byte("p")
	putSeqs(t, s, "m", p, 10, 20, 30, 40, 50)
	cases := []struct {
		r    store.Range
		want []uint64
	}{
		{store.Range{From: 20, To: 40}, []uint64{20, 30}},
		{store.Range{From: 20, To: 41}, []uint64{20, 30, 40}},
		{store.Range{From: 21}, []uint64{30, 40, 50}},
		{store.Range{To: 30}, []uint64{10, 20}},
		{store.Range{From: 20, To: 40, Reverse: true}, []uint64{30, 20}},
		{store.Range{Limit: 2}, []uint64{10, 20}},
		{store.Range{Limit: 2, Reverse: true}, []uint64{50, 40}},
		{store.Range{From: 15, To: 45, Limit: 2, Reverse: true}, []uint64{40, 30}},
		{store.Range{Limit: 100}, []uint64{10, 20, 30, 40, 50}},
		{store.Range{Limit: -1}, []uint64{10, 20, 30, 40, 50}},
		{store.Range{From: 30, To: 30}, nil},
		{store.Range{From: 40, To: 20}, nil},
		{store.Range{From: 51}, nil},
	}
	for _, tc := range cases {
		wantSeqs(t, s, "m", p, tc.r, tc.want...)
	}
}

// testPaging walks a partition a page at a time in both directions, as message lists do,
// using the last sequence number seen as the cursor.
func testPaging(t *testing.T, s store.Store) {
	p := []byte("paged")
	const n = 1000
	seqs := make([]uint64, n)
	for i := range seqs {
		seqs[i] = uint64(i * 3)
	}
	putSeqs(t, s, "m", p, seqs...)

	var got []uint64
	for r := (store.Range{Limit: 64}); ; {
		page := scanSeqs(t, s, "m", p, r)
		got = append(got, page...)
		if len(page) < r.Limit {
			break
		}
		r.From = page[len(page)-1] + 1
	}
	if !equalSeqs(got, seqs) {
		t.Fatalf("ascending pages returned %d records", len(got))
	}

	got = got[:0]
	for r := (store.Range{Limit: 64, Reverse: true}); ; {
		page := scanSeqs(t, s, "m", p, r)
		got = append(got, page...)
		if len(page) < r.Limit {
			break
		}
		r.To = page[len(page)-1]
	}
	for i := range got {
		if got[i] != seqs[n-1-i] {
			t.Fatalf("descending page record %d = %d, want %d", i, got[i], seqs[n-1-i])
		}
	}
	if len(got) != n {
		t.Fatalf("descending pages returned %d records, want %d", len(got), n)
	}
}

func testDeletes(t *testing.T, s store.Store) {
	a, b := []byte("a"), []byte("b")
	putSeqs(t, s, "m", a, 1, 2, 3)
	putSeqs(t, s, "m", b, 1, 2, 3)
	var c store.Changes
	c.DeleteSeq("m", a, 2)
	c.DeleteSeq("m", a, 99)
	apply(t, s, c)
	wantSeqs(t, s, "m", a, store.Range{}, 1, 3)
	wantGetSeq(t, s, "m", a, 2, nil)

	c = nil
	c.DeletePartition("m", a)
	c.DeletePartition("m", []byte("never there"))
	apply(t, s, c)
	wantSeqs(t, s, "m", a, store.Range{})
	wantGetSeq(t, s, "m", a, 1, nil)
	wantSeqs(t, s, "m", b, store.Range{}, 1, 2, 3)

	// A deleted partition can be written again.
	putSeqs(t, s, "m", a, 9)
	wantSeqs(t, s, "m", a, store.Range{}, 9)
}

// testIsolation: tables, partitions and the two record shapes never see each other, even
// when names are prefixes of one another or share bytes at the join.
func testIsolation(t *testing.T, s store.Store) {
	var c store.Changes
	c.Put("t", []byte("x"), []byte("t/x"))
	c.Put("tt", []byte("x"), []byte("tt/x"))
	c.Put("t", []byte("tx"), []byte("t/tx"))
	apply(t, s, c)
	putSeqs(t, s, "t", []byte("x"), 1)
	putSeqs(t, s, "t", []byte("xy"), 2)
	putSeqs(t, s, "tx", []byte("y"), 3)
	putSeqs(t, s, "t", []byte("x\x00"), 4)

	wantGet(t, s, "t", []byte("x"), []byte("t/x"))
	wantGet(t, s, "tt", []byte("x"), []byte("tt/x"))
	wantGet(t, s, "t", []byte("tx"), []byte("t/tx"))
	wantGet(t, s, "tx", []byte(""), nil)
	wantSeqs(t, s, "t", []byte("x"), store.Range{}, 1)
	wantSeqs(t, s, "t", []byte("xy"), store.Range{}, 2)
	wantSeqs(t, s, "tx", []byte("y"), store.Range{}, 3)
	wantSeqs(t, s, "t", []byte("x\x00"), store.Range{}, 4)
	wantSeqs(t, s, "tt", []byte("x"), store.Range{})

	// Deleting a partition leaves the point record of the same id, and the reverse.
	c = nil
	c.DeletePartition("t", []byte("x"))
	c.Delete("t", []byte("xy"))
	apply(t, s, c)
	wantGet(t, s, "t", []byte("x"), []byte("t/x"))
	wantSeqs(t, s, "t", []byte("x"), store.Range{})
	wantSeqs(t, s, "t", []byte("xy"), store.Range{}, 2)
	wantSeqs(t, s, "t", []byte("x\x00"), store.Range{}, 4)
}

// testApplyOrder: changes inside one Apply take effect in order.
func testApplyOrder(t *testing.T, s store.Store) {
	p := []byte("p")
	var c store.Changes
	c.Put("t", []byte("a"), []byte("first"))
	c.Put("t", []byte("a"), []byte("second"))
	c.Put("t", []byte("b"), []byte("b"))
	c.Delete("t", []byte("b"))
	c.Delete("t", []byte("c"))
	c.Put("t", []byte("c"), []byte("c"))
	c.PutSeq("m", p, 1, seqValue(p, 1))
	c.PutSeq("m", p, 2, seqValue(p, 2))
	c.DeletePartition("m", p)
	c.PutSeq("m", p, 3, seqValue(p, 3))
	c.PutSeq("m", p, 4, []byte("stale"))
	c.PutSeq("m", p, 4, seqValue(p, 4))
	apply(t, s, c)
	wantGet(t, s, "t", []byte("a"), []byte("second"))
	wantGet(t, s, "t", []byte("b"), nil)
	wantGet(t, s, "t", []byte("c"), []byte("c"))
	wantSeqs(t, s, "m", p, store.Range{}, 3, 4)

	apply(t, s, nil) // an empty Apply is allowed and changes nothing
	wantGet(t, s, "t", []byte("a"), []byte("second"))
}

// testFailedApply: an Apply that fails on its last change leaves no trace of the others.
func testFailedApply(t *testing.T, s store.Store) {
	p := []byte("p")
	var c store.Changes
	c.Put("t", []byte("kept"), []byte("before"))
	c.PutSeq("m", p, 1, seqValue(p, 1))
	apply(t, s, c)

	c = nil
	c.Put("t", []byte("kept"), []byte("after"))
	c.Put("t", []byte("new"), []byte("x"))
	c.DeletePartition("m", p)
	c.PutSeq("m", p, 2, seqValue(p, 2))
	c.Put("", []byte("bad"), []byte("empty table name"))
	err := s.Apply(context.Background(), c)
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("apply with an empty table name = %v, want ErrInvalid", err)
	}
	wantGet(t, s, "t", []byte("kept"), []byte("before"))
	wantGet(t, s, "t", []byte("new"), nil)
	wantSeqs(t, s, "m", p, store.Range{}, 1)

	c = c[:len(c)-1]
	c = append(c, store.Change{Op: 0, Table: "t"})
	if err := s.Apply(context.Background(), c); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("apply with an unknown op = %v, want ErrInvalid", err)
	}
	wantGet(t, s, "t", []byte("new"), nil)
}

func testCancelledContext(t *testing.T, s store.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c store.Changes
	c.Put("t", []byte("a"), []byte("a"))
	if err := s.Apply(ctx, c); !errors.Is(err, context.Canceled) {
		t.Fatalf("apply with a cancelled context = %v", err)
	}
	wantGet(t, s, "t", []byte("a"), nil)
	if _, _, err := s.Get(ctx, "t", []byte("a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("get with a cancelled context = %v", err)
	}
	if _, err := s.Scan(ctx, "t", nil, store.Range{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("scan with a cancelled context = %v", err)
	}
}

// testCopySemantics: neither side can reach the other's bytes after a call returns.
func testCopySemantics(t *testing.T, s store.Store) {
	ctx := context.Background()
	id, part, val := []byte("id"), []byte("p"), []byte("value")
	var c store.Changes
	c.Put("t", id, val)
	c.PutSeq("m", part, 1, val)
	apply(t, s, c)
	val[0], id[0], part[0] = 'X', 'X', 'X'
	wantGet(t, s, "t", []byte("id"), []byte("value"))
	wantGetSeq(t, s, "m", []byte("p"), 1, []byte("value"))

	got, _, _ := s.Get(ctx, "t", []byte("id"))
	got[0] = 'Y'
	got, _, _ = s.GetSeq(ctx, "m", []byte("p"), 1)
	got[0] = 'Y'
	recs, err := s.Scan(ctx, "m", []byte("p"), store.Range{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("scan = %v, %v", recs, err)
	}
	recs[0].Value[0] = 'Y'
	wantGet(t, s, "t", []byte("id"), []byte("value"))
	wantGetSeq(t, s, "m", []byte("p"), 1, []byte("value"))
}

func testLargeValues(t *testing.T, s store.Store) {
	big := make([]byte, 1<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	var c store.Changes
	c.Put("t", []byte("big"), big)
	c.PutSeq("m", []byte("p"), 1, big)
	c.PutSeq("m", []byte("p"), 2, big[:1<<19])
	apply(t, s, c)
	wantGet(t, s, "t", []byte("big"), big)
	wantGetSeq(t, s, "m", []byte("p"), 1, big)
	recs, err := s.Scan(context.Background(), "m", []byte("p"), store.Range{Reverse: true})
	if err != nil || len(recs) != 2 || !bytes.Equal(recs[0].Value, big[:1<<19]) || !bytes.Equal(recs[1].Value, big) {
		t.Fatalf("scan of large values failed: %d records, %v", len(recs), err)
	}
}

// testConcurrency runs writers on their own partitions and on one shared key alongside
// readers; every write lands and every read sees whole Applies.
func testConcurrency(t *testing.T, s store.Store) {
	const writers, batches, perBatch = 4, 20, 5
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := range writers {
		part := fmt.Appendf(nil, "w%d", w)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for b := range batches {
				var c store.Changes
				for i := range perBatch {
					seq := uint64(b*perBatch + i)
					c.PutSeq("m", part, seq, seqValue(part, seq))
				}
				c.Put("t", []byte("shared"), part)
				if err := s.Apply(ctx, c); err != nil {
					errs <- err
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range batches {
				recs, err := s.Scan(ctx, "m", part, store.Range{})
				if err != nil {
					errs <- err
					return
				}
				if len(recs)%perBatch != 0 {
					errs <- fmt.Errorf("scan of %s saw %d records, part of an Apply", part, len(recs))
					return
				}
				if _, _, err := s.Get(ctx, "t", []byte("shared")); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := range writers {
		part := fmt.Appendf(nil, "w%d", w)
		if n := len(scanSeqs(t, s, "m", part, store.Range{})); n != batches*perBatch {
			t.Fatalf("partition %s holds %d records, want %d", part, n, batches*perBatch)
		}
	}
}

func testClosed(t *testing.T, s store.Store) {
	ctx := context.Background()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close = %v", err)
	}
	var c store.Changes
	c.Put("t", []byte("a"), []byte("a"))
	_, _, errGet := s.Get(ctx, "t", []byte("a"))
	_, _, errGetSeq := s.GetSeq(ctx, "t", []byte("a"), 1)
	_, errScan := s.Scan(ctx, "t", []byte("a"), store.Range{})
	errApply := s.Apply(ctx, c)
	for name, err := range map[string]error{"get": errGet, "get seq": errGetSeq, "scan": errScan, "apply": errApply} {
		if !errors.Is(err, store.ErrClosed) {
			t.Errorf("%s after close = %v, want ErrClosed", name, err)
		}
		var se *store.Error
		if !errors.As(err, &se) || se.Code() != "store.closed" {
			t.Errorf("%s after close has no store.closed code: %v", name, err)
		}
	}
}
