package storetest

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// Fuzz checks a store against a plain map model on operation sequences decoded from the
// fuzz input, so ordering, overwrites and deletes are tried in combinations no hand-written
// test lists. Its seed corpus runs as an ordinary test.
func Fuzz(f *testing.F, open Opener) {
	f.Add([]byte{2, 0, 1, 3, 2, 0, 1, 1, 5, 3, 0, 1, 1, 5})
	f.Add([]byte{0, 1, 2, 0, 2, 1, 2, 7, 4, 1, 2, 0, 5, 2, 1, 2, 6, 1, 1, 2, 0})
	f.Add([]byte{2, 0, 0, 7, 2, 0, 0, 0, 2, 0, 0, 4, 5, 3, 0, 0, 4, 0, 0, 0, 0, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, program []byte) {
		s := open(t)
		defer s.Close()
		m := newModel()
		var pending store.Changes
		flush := func() {
			if err := s.Apply(context.Background(), pending); err != nil {
				t.Fatalf("apply %v: %v", pending, err)
			}
			for _, c := range pending {
				m.apply(c)
			}
			pending = nil
			m.check(t, s)
		}
		for i := 0; i+4 <= len(program) && i < 4*256; i += 4 {
			op, table, key, seq := program[i]%6, fuzzTables[program[i+1]%2], fuzzKeys[program[i+2]%3], fuzzSeqs[program[i+3]%8]
			value := fmt.Appendf(nil, "v%d", i)
			switch op {
			case 0:
				pending.Put(table, key, value)
			case 1:
				pending.Delete(table, key)
			case 2:
				pending.PutSeq(table, key, seq, value)
			case 3:
				pending.DeleteSeq(table, key, seq)
			case 4:
				pending.DeletePartition(table, key)
			case 5:
				flush()
			}
		}
		flush()
	})
}

var (
	fuzzTables = []string{"a", "b"}
	fuzzKeys   = [][]byte{nil, []byte("p"), []byte("p\x00")}
	fuzzSeqs   = []uint64{0, 1, 2, 3, 1 << 63, 1<<63 - 1, math.MaxUint64 - 1, math.MaxUint64}
)

// model is the obvious store: maps, sorted when read.
type model struct {
	points  map[string]map[string][]byte
	ordered map[string]map[string]map[uint64][]byte
}

func newModel() *model {
	return &model{points: map[string]map[string][]byte{}, ordered: map[string]map[string]map[uint64][]byte{}}
}

func (m *model) apply(c store.Change) {
	k := string(c.Key)
	switch c.Op {
	case store.OpPut:
		if m.points[c.Table] == nil {
			m.points[c.Table] = map[string][]byte{}
		}
		m.points[c.Table][k] = c.Value
	case store.OpDelete:
		delete(m.points[c.Table], k)
	case store.OpPutSeq:
		if m.ordered[c.Table] == nil {
			m.ordered[c.Table] = map[string]map[uint64][]byte{}
		}
		if m.ordered[c.Table][k] == nil {
			m.ordered[c.Table][k] = map[uint64][]byte{}
		}
		m.ordered[c.Table][k][c.Seq] = c.Value
	case store.OpDeleteSeq:
		delete(m.ordered[c.Table][k], c.Seq)
	case store.OpDeletePartition:
		delete(m.ordered[c.Table], k)
	}
}

// check compares every key the fuzzer can reach, and a few ranges of every partition.
func (m *model) check(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	for _, table := range fuzzTables {
		for _, key := range fuzzKeys {
			want, wantFound := m.points[table][string(key)]
			got, found, err := s.Get(ctx, table, key)
			if err != nil || found != wantFound || string(got) != string(want) {
				t.Fatalf("get %s/%q = %q, %v, %v; model %q, %v", table, key, got, found, err, want, wantFound)
			}
			part := m.ordered[table][string(key)]
			seqs := slices.Sorted(maps.Keys(part))
			for _, r := range []store.Range{{}, {Reverse: true}, {From: 1, To: 1 << 63, Limit: 2}, {From: 2, Reverse: true, Limit: 3}} {
				var want []uint64
				for _, seq := range seqs {
					if seq >= r.From && (r.To == 0 || seq < r.To) {
						want = append(want, seq)
					}
				}
				if r.Reverse {
					slices.Reverse(want)
				}
				if r.Limit > 0 && len(want) > r.Limit {
					want = want[:r.Limit]
				}
				recs, err := s.Scan(ctx, table, key, r)
				if err != nil {
					t.Fatalf("scan %s/%q %+v: %v", table, key, r, err)
				}
				if len(recs) != len(want) {
					t.Fatalf("scan %s/%q %+v = %d records, model %v", table, key, r, len(recs), want)
				}
				for i, rec := range recs {
					if rec.Seq != want[i] || string(rec.Value) != string(part[rec.Seq]) {
						t.Fatalf("scan %s/%q %+v record %d = %d %q, model %d %q", table, key, r, i, rec.Seq, rec.Value, want[i], part[want[i]])
					}
				}
			}
		}
	}
}
