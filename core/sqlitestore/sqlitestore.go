// Package sqlitestore is the native client's [store.Store]: SQLite (ncruces/go-sqlite3, pure
// Go) encrypted at rest with the AES-XTS VFS of vfs/xts under the client's 32-byte database
// key. It is never linked into the browser module, which stores in IndexedDB.
//
// A store has one owner at a time: the connection runs in exclusive locking mode, so a
// second Store on the same file, in this process or another, gets [store.ErrLocked]. A
// wrong key fails closed with [store.ErrWrongKey] (as does a file that is not a store),
// before anything is read or written.
//
// XTS hides the contents of the file but does not authenticate them: whoever can write the
// file can corrupt it undetected, sector by sector (see the vfs/xts README). The threat it
// answers is a copied or stolen file.
package sqlitestore

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sync"

	"github.com/ncruces/go-sqlite3"
	_ "github.com/ncruces/go-sqlite3/vfs/xts" // registers the "xts" VFS

	"github.com/goxmtp/goxmtp/core/store"
)

// KeySize is the size of the database key, libxmtp's dbEncryptionKey.
const KeySize = 32

// xtsKeyInfo separates the XTS key from any other use of the database key. The 64 derived
// bytes select AES-256-XTS; the 32-byte key itself would give AES-128-XTS.
const xtsKeyInfo = "goxmtp sqlitestore AES-256-XTS key v1"

// Store is a SQLite database behind one connection; a mutex serialises its use.
type Store struct {
	mu    sync.Mutex
	conn  *sqlite3.Conn
	stmts statements
}

var _ store.Store = (*Store)(nil)

// Open opens the store at path, creating it if absent, and migrates it to the newest
// schema version. key is the client's 32-byte database key.
func Open(ctx context.Context, path string, key []byte) (*Store, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("sqlitestore: database key of %d bytes: %w", len(key), store.ErrInvalid)
	}
	xtsKey, err := hkdf.Key(sha256.New, key, nil, xtsKeyInfo, 64)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: derive key: %w", err)
	}
	// The key goes in by PRAGMA, not in the URI, so that it is not kept with the file name.
	uri := (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "vfs=xts"}).String()
	conn, err := sqlite3.OpenContext(ctx, uri)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open: %w", classify(err))
	}
	s := &Store{conn: conn}
	if err := s.init(hex.EncodeToString(xtsKey)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("sqlitestore: open: %w", err)
	}
	return s, nil
}

// init keys the connection, checks the key against the file, migrates and prepares.
func (s *Store) init(hexKey string) error {
	if err := s.conn.Exec("PRAGMA hexkey = '" + hexKey + "'"); err != nil {
		return errors.New("setting the database key failed") // the error text may quote the key
	}
	// The first read of an existing file decrypts its header: a wrong key yields a page
	// that is not SQLite's, reported as SQLITE_NOTADB.
	if err := s.conn.Exec("SELECT count(*) FROM sqlite_schema"); err != nil {
		if errors.Is(err, sqlite3.NOTADB) {
			return store.ErrWrongKey
		}
		return classify(err)
	}
	for _, pragma := range []string{
		"PRAGMA locking_mode = EXCLUSIVE",
		"PRAGMA journal_mode = WAL",
		// FULL: an Apply that returned is on disk even after a power cut. The client
		// records an intent before publishing a commit; losing it would fork the group.
		"PRAGMA synchronous = FULL",
		"PRAGMA temp_store = MEMORY",
		// 16 MiB of decrypted pages: a chat's recent history stays in memory instead of
		// being read and decrypted again on each scroll.
		"PRAGMA cache_size = -16384",
	} {
		if err := s.conn.Exec(pragma); err != nil {
			return fmt.Errorf("%s: %w", pragma, classify(err))
		}
	}
	if err := migrate(s.conn); err != nil {
		return classify(err)
	}
	return s.stmts.prepare(s.conn)
}

// classify maps SQLite's result codes onto the store's sentinels, keeping the original.
func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sqlite3.BUSY), errors.Is(err, sqlite3.LOCKED):
		return fmt.Errorf("%w: %w", store.ErrLocked, err)
	case errors.Is(err, sqlite3.CORRUPT), errors.Is(err, sqlite3.NOTADB):
		return fmt.Errorf("%w: %w", store.ErrCorrupt, err)
	}
	return err
}

// seqKey maps a uint64 sequence number to an int64 of the same order.
func seqKey(seq uint64) int64 { return int64(seq ^ 1<<63) }

// seqOf inverts seqKey.
func seqOf(key int64) uint64 { return uint64(key) ^ 1<<63 }

// nonNil makes empty ids and values zero-length blobs: SQLite binds a nil slice as NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// check tests what every call shares and binds the call's context to the connection, so
// that cancelling it interrupts a long statement. The caller holds the lock.
func (s *Store) check(ctx context.Context) error {
	if s.conn == nil {
		return store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.conn.SetInterrupt(ctx)
	return nil
}

// failure classifies a statement's error, reporting an interruption as the context's.
func failure(ctx context.Context, err error) error {
	if errors.Is(err, sqlite3.INTERRUPT) && ctx.Err() != nil {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return classify(err)
}

// Get implements [store.Store].
func (s *Store) Get(ctx context.Context, table string, id []byte) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get: %w", err)
	}
	if err := store.ValidTable(table); err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get: %w", err)
	}
	v, found, err := one(s.stmts.get, table, nonNil(id))
	if err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get: %w", failure(ctx, err))
	}
	return v, found, nil
}

// GetSeq implements [store.Store].
func (s *Store) GetSeq(ctx context.Context, table string, partition []byte, seq uint64) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get seq: %w", err)
	}
	if err := store.ValidTable(table); err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get seq: %w", err)
	}
	v, found, err := one(s.stmts.getSeq, table, nonNil(partition), seqKey(seq))
	if err != nil {
		return nil, false, fmt.Errorf("sqlitestore: get seq: %w", failure(ctx, err))
	}
	return v, found, nil
}

// Scan implements [store.Store].
func (s *Store) Scan(ctx context.Context, table string, partition []byte, r store.Range) ([]store.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return nil, fmt.Errorf("sqlitestore: scan: %w", err)
	}
	if err := store.ValidTable(table); err != nil {
		return nil, fmt.Errorf("sqlitestore: scan: %w", err)
	}
	last := int64(math.MaxInt64) // the inclusive upper bound, To-1 mapped
	if r.To != 0 {
		if r.To <= r.From {
			return nil, nil
		}
		last = seqKey(r.To - 1)
	}
	limit := int64(-1) // SQLite's "no limit"
	if r.Limit > 0 {
		limit = int64(r.Limit)
	}
	q := s.stmts.scanAsc
	if r.Reverse {
		q = s.stmts.scanDesc
	}
	recs, err := records(q, table, nonNil(partition), seqKey(r.From), last, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: scan: %w", failure(ctx, err))
	}
	return recs, nil
}

// Apply implements [store.Store] as one SQLite transaction.
func (s *Store) Apply(ctx context.Context, changes store.Changes) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return fmt.Errorf("sqlitestore: apply: %w", err)
	}
	if err := changes.Validate(); err != nil {
		return fmt.Errorf("sqlitestore: apply: %w", err)
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return fmt.Errorf("sqlitestore: apply: %w", failure(ctx, err))
	}
	defer tx.End(&err)
	for i, c := range changes {
		if err := s.stmts.apply(c); err != nil {
			return fmt.Errorf("sqlitestore: apply change %d: %w", i, failure(ctx, err))
		}
	}
	return nil
}

// Close implements [store.Store]. Closing checkpoints the WAL into the database file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	s.stmts.close()
	s.conn.SetInterrupt(context.Background()) // a cancelled context must not stop the checkpoint
	err := s.conn.Close()
	s.conn = nil
	if err != nil {
		return fmt.Errorf("sqlitestore: close: %w", err)
	}
	return nil
}
