package sqlitestore

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"

	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/storetest"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func open(tb testing.TB) store.Store {
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "client.db"), testKey(1))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func BenchmarkStore(b *testing.B) { storetest.Bench(b, open) }

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a dir?with #odd", "client %20.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path, testKey(2))
	if err != nil {
		t.Fatal(err)
	}
	var c store.Changes
	c.Put("t", []byte("a"), []byte("kept"))
	c.PutSeq("m", []byte("g"), 9, []byte("message"))
	if err := s.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the database is not at the path given: %v", err)
	}
	s, err = Open(ctx, path, testKey(2))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, found, err := s.Get(ctx, "t", []byte("a")); err != nil || !found || string(v) != "kept" {
		t.Fatalf("get after reopen = %q, %v, %v", v, found, err)
	}
	if v, found, err := s.GetSeq(ctx, "m", []byte("g"), 9); err != nil || !found || string(v) != "message" {
		t.Fatalf("get seq after reopen = %q, %v, %v", v, found, err)
	}
}

// TestEncryptedAtRest reads the raw file: neither SQLite's header nor any stored byte
// string may appear in it.
func TestEncryptedAtRest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := Open(ctx, path, testKey(3))
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("a message nobody may read from the disk")
	var c store.Changes
	c.Put("groups", []byte("group-name-in-clear"), secret)
	c.PutSeq("messages", []byte("group-name-in-clear"), 1, secret)
	if err := s.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range [][]byte{[]byte("SQLite format 3"), secret, []byte("group-name-in-clear"), []byte("CREATE TABLE")} {
		if bytes.Contains(raw, clear) {
			t.Errorf("database file contains %q in the clear", clear)
		}
	}
}

func TestWrongKeyFailsClosed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := Open(ctx, path, testKey(4))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, path, testKey(5))
	var se *store.Error
	if !errors.Is(err, store.ErrWrongKey) || !errors.As(err, &se) || se.Code() != "store.wrong_key" {
		t.Fatalf("open with a wrong key = %v, want store.wrong_key", err)
	}
	if strings.Contains(err.Error(), hex.EncodeToString(testKey(5))[:16]) {
		t.Fatal("error text carries key material")
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("a wrong key changed the database file")
	}
	if _, err := Open(ctx, path, testKey(4)[:16]); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("open with a 16-byte key = %v, want ErrInvalid", err)
	}
}

// TestSecondOwnerLocked: while one Store holds the file, another open fails with
// store.locked, and succeeds once the first is closed.
func TestSecondOwnerLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "client.db")
	first, err := Open(ctx, path, testKey(6))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, testKey(6)); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open = %v, want ErrLocked", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := Open(ctx, path, testKey(6))
	if err != nil {
		t.Fatalf("open after close = %v", err)
	}
	second.Close()
}

// TestNewerSchemaRefused: a store written by a future version is not opened by this code,
// rather than misread.
func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "client.db")
	s, err := Open(ctx, path, testKey(7))
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	err = s.conn.Exec("PRAGMA user_version = 1000")
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, path, testKey(7)); !errors.Is(err, store.ErrVersion) {
		t.Fatalf("open of a newer schema = %v, want ErrVersion", err)
	}
}

func TestMigrationsNumbered(t *testing.T) {
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no migrations")
	}
}

// TestRollbackMidApply makes SQLite itself fail on the last change of an Apply (a value
// over the connection's length limit, which Validate cannot see) and checks the changes
// already executed in the transaction are rolled back.
func TestRollbackMidApply(t *testing.T) {
	ctx := context.Background()
	s := open(t).(*Store)
	var c store.Changes
	c.Put("t", []byte("a"), []byte("before"))
	if err := s.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.conn.Limit(sqlite3.LIMIT_LENGTH, 1<<10)
	s.mu.Unlock()

	c = nil
	c.Put("t", []byte("a"), []byte("after"))
	c.PutSeq("m", []byte("p"), 1, []byte("message"))
	c.Put("t", []byte("big"), make([]byte, 2<<10))
	if err := s.Apply(ctx, c); err == nil || !strings.Contains(err.Error(), "change 2") {
		t.Fatalf("apply over the length limit = %v, want a failure at change 2", err)
	}
	if v, _, err := s.Get(ctx, "t", []byte("a")); err != nil || string(v) != "before" {
		t.Fatalf("after the failed apply a = %q, %v; want before", v, err)
	}
	if _, found, err := s.GetSeq(ctx, "m", []byte("p"), 1); err != nil || found {
		t.Fatalf("after the failed apply the message is present (%v, %v)", found, err)
	}
	// The store stays usable.
	c = nil
	c.Put("t", []byte("a"), []byte("again"))
	if err := s.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func FuzzStoreModel(f *testing.F) { storetest.Fuzz(f, open) }
