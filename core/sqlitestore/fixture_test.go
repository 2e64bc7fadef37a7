package sqlitestore

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// fixtureKey is the public test key testdata/v1.db was written with.
func fixtureKey() []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = byte(i + 1)
	}
	return k
}

// copyFixture copies a committed store into a temporary directory, since opening migrates.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(t.TempDir(), name)
	dst, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenVersion1 opens a store written by schema version 1 (testdata/README.md) with
// today's code: every record it holds reads back after migration.
func TestOpenVersion1(t *testing.T) {
	ctx := context.Background()
	path := copyFixture(t, "v1.db")
	s, err := Open(ctx, path, fixtureKey())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for id, want := range map[string]string{"group-1": "epoch 7 state", "": "empty id"} {
		got, found, err := s.Get(ctx, "groups", []byte(id))
		if err != nil || !found || string(got) != want {
			t.Errorf("get %q = %q, %v, %v; want %q", id, got, found, err, want)
		}
	}
	recs, err := s.Scan(ctx, "messages", []byte("group-1"), store.Range{})
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Record{{Seq: 1, Value: []byte("hello")}, {Seq: 2, Value: []byte("world")}, {Seq: 1 << 63, Value: []byte("high bit")}}
	if len(recs) != len(want) {
		t.Fatalf("scan = %d records, want %d", len(recs), len(want))
	}
	for i := range want {
		if recs[i].Seq != want[i].Seq || string(recs[i].Value) != string(want[i].Value) {
			t.Errorf("record %d = %d %q, want %d %q", i, recs[i].Seq, recs[i].Value, want[i].Seq, want[i].Value)
		}
	}
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, s); v != len(all) {
		t.Errorf("user_version after open = %d, want %d", v, len(all))
	}
}

func TestFixtureWrongKey(t *testing.T) {
	path := copyFixture(t, "v1.db")
	wrong := fixtureKey()
	wrong[0] ^= 1
	_, err := Open(context.Background(), path, wrong)
	if !errors.Is(err, store.ErrWrongKey) {
		t.Fatalf("open with a wrong key = %v, want ErrWrongKey", err)
	}
}

func userVersion(t *testing.T, s *Store) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	stmt, _, err := s.conn.Prepare("PRAGMA user_version")
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	if !stmt.Step() {
		t.Fatal("no user_version")
	}
	return stmt.ColumnInt(0)
}
