// Package memstore is the in-memory [store.Store]: the store of tests, of js/wasm clients
// that keep nothing, and the reference the conformance suite is checked against first.
package memstore

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/goxmtp/goxmtp/core/store"
)

// Store keeps every table in maps guarded by one lock. Values are copied on the way in and
// on the way out, so callers never share bytes with the store.
type Store struct {
	mu      sync.RWMutex
	closed  bool
	points  map[string]map[string][]byte   // table → id → value
	ordered map[string]map[string][]record // table → partition → records by ascending seq
}

type record = store.Record

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{
		points:  make(map[string]map[string][]byte),
		ordered: make(map[string]map[string][]record),
	}
}

// begin checks the preconditions every call shares.
func (s *Store) begin(ctx context.Context, table string) error {
	if s.closed {
		return store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return store.ValidTable(table)
}

// Get implements [store.Store].
func (s *Store) Get(ctx context.Context, table string, id []byte) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, table); err != nil {
		return nil, false, fmt.Errorf("memstore: get: %w", err)
	}
	v, ok := s.points[table][string(id)]
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(v), true, nil
}

// GetSeq implements [store.Store].
func (s *Store) GetSeq(ctx context.Context, table string, partition []byte, seq uint64) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, table); err != nil {
		return nil, false, fmt.Errorf("memstore: get seq: %w", err)
	}
	recs := s.ordered[table][string(partition)]
	i, ok := search(recs, seq)
	if !ok {
		return nil, false, nil
	}
	return bytes.Clone(recs[i].Value), true, nil
}

// Scan implements [store.Store].
func (s *Store) Scan(ctx context.Context, table string, partition []byte, r store.Range) ([]store.Record, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := s.begin(ctx, table); err != nil {
		return nil, fmt.Errorf("memstore: scan: %w", err)
	}
	recs := s.ordered[table][string(partition)]
	lo, _ := search(recs, r.From)
	hi := len(recs)
	if r.To != 0 {
		hi, _ = search(recs, r.To)
	}
	if lo >= hi {
		return nil, nil
	}
	n := hi - lo
	if r.Limit > 0 && r.Limit < n {
		n = r.Limit
	}
	out := make([]store.Record, n)
	for i := range out {
		src := recs[lo+i]
		if r.Reverse {
			src = recs[hi-1-i]
		}
		out[i] = store.Record{Seq: src.Seq, Value: bytes.Clone(src.Value)}
	}
	return out, nil
}

// Apply implements [store.Store]. Every change is validated before the first is made, and
// nothing after validation can fail, so an Apply is all or nothing.
func (s *Store) Apply(ctx context.Context, changes store.Changes) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("memstore: apply: %w", store.ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: apply: %w", err)
	}
	if err := changes.Validate(); err != nil {
		return fmt.Errorf("memstore: apply: %w", err)
	}
	for _, c := range changes {
		s.apply(c)
	}
	return nil
}

func (s *Store) apply(c store.Change) {
	key := string(c.Key)
	switch c.Op {
	case store.OpPut:
		t := s.points[c.Table]
		if t == nil {
			t = make(map[string][]byte)
			s.points[c.Table] = t
		}
		t[key] = append([]byte{}, c.Value...)
	case store.OpDelete:
		delete(s.points[c.Table], key)
	case store.OpPutSeq:
		t := s.ordered[c.Table]
		if t == nil {
			t = make(map[string][]record)
			s.ordered[c.Table] = t
		}
		recs := t[key]
		v := append([]byte{}, c.Value...)
		i, ok := search(recs, c.Seq)
		if ok {
			recs[i].Value = v
		} else {
			t[key] = slices.Insert(recs, i, record{Seq: c.Seq, Value: v})
		}
	case store.OpDeleteSeq:
		t := s.ordered[c.Table]
		if i, ok := search(t[key], c.Seq); ok {
			t[key] = slices.Delete(t[key], i, i+1)
		}
	case store.OpDeletePartition:
		delete(s.ordered[c.Table], key)
	}
}

// search finds seq in records sorted by ascending seq: its index, or where it would go.
func search(recs []record, seq uint64) (int, bool) {
	return slices.BinarySearchFunc(recs, seq, func(r record, seq uint64) int { return cmp.Compare(r.Seq, seq) })
}

// Close implements [store.Store]: it drops the data.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.points, s.ordered = nil, nil
	return nil
}
