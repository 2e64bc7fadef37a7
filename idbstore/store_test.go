//go:build js && wasm

package idbstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sync/atomic"
	"syscall/js"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/storetest"
)

// These tests need IndexedDB, Web Locks and WebCrypto: js/test/idbstore.test.mjs runs them
// in headless Chromium. Under Node they skip.

func needBrowser(tb testing.TB) {
	tb.Helper()
	if js.Global().Get("indexedDB").IsUndefined() {
		tb.Skip("no IndexedDB here: run through js/test/idbstore.test.mjs")
	}
}

var dbCount atomic.Int64

// newName returns a database name no other test uses.
func newName(tb testing.TB) string {
	safe := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(tb.Name(), "-")
	return fmt.Sprintf("idbstore-test-%s-%d-%x", safe, dbCount.Add(1), randomKey()[:4])
}

func randomKey() []byte {
	k := make([]byte, KeySize)
	rand.Read(k)
	return k
}

// mustOpen opens name with opts and fails the test on error.
func mustOpen(tb testing.TB, name string, opts Options) *Store {
	tb.Helper()
	s, err := Open(context.Background(), name, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", name, err)
	}
	return s
}

// opener makes conformance stores: new databases, with an app key or (nil) a wrapped one,
// deleted when the test ends.
func opener(key func() []byte) storetest.Opener {
	return func(tb testing.TB) store.Store {
		needBrowser(tb)
		name := newName(tb)
		s := mustOpen(tb, name, Options{Key: key()})
		tb.Cleanup(func() {
			s.Close()
			if err := Delete(context.Background(), name); err != nil {
				tb.Errorf("delete %s: %v", name, err)
			}
		})
		return s
	}
}

func noKey() []byte { return nil }

func TestConformance(t *testing.T) { storetest.Run(t, opener(randomKey)) }

func TestConformanceWrappedKey(t *testing.T) { storetest.Run(t, opener(noKey)) }

func BenchmarkStore(b *testing.B) { storetest.Bench(b, opener(randomKey)) }

// BenchmarkReopen: Open and Close of an existing database, the store's share of a client's
// cold start (lock, IndexedDB open, key check; unwrapping with WebCrypto when wrapped).
func BenchmarkReopen(b *testing.B) {
	needBrowser(b)
	for _, mode := range []struct {
		name string
		key  []byte
	}{{"AppKey", randomKey()}, {"WrappedKey", nil}} {
		b.Run(mode.name, func(b *testing.B) {
			name := newName(b)
			mustOpen(b, name, Options{Key: mode.key}).Close()
			defer Delete(context.Background(), name)
			for b.Loop() {
				mustOpen(b, name, Options{Key: mode.key}).Close()
			}
		})
	}
}

func apply(tb testing.TB, s store.Store, c store.Changes) {
	tb.Helper()
	if err := s.Apply(context.Background(), c); err != nil {
		tb.Fatalf("apply: %v", err)
	}
}

func wantCode(tb testing.TB, what string, err error, want *store.Error) {
	tb.Helper()
	var se *store.Error
	if !errors.Is(err, want) || !errors.As(err, &se) || se.Code() != want.Code() {
		tb.Fatalf("%s = %v, want %s", what, err, want.Code())
	}
}

// TestWrongKey: a key that does not open the data fails closed with store.wrong_key,
// leaves the database byte for byte as it was, and names no key material.
func TestWrongKey(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	right, wrong := randomKey(), randomKey()
	keyed, wrapped := newName(t), newName(t)
	for _, db := range []struct {
		name string
		key  []byte
	}{{keyed, right}, {wrapped, nil}} {
		s := mustOpen(t, db.name, Options{Key: db.key})
		var c store.Changes
		c.Put("t", []byte("a"), []byte("value"))
		c.PutSeq("m", []byte("p"), 1, []byte("message"))
		apply(t, s, c)
		s.Close()
		defer Delete(ctx, db.name)
	}
	before := dumpRaw(t, keyed)
	for what, try := range map[string]func() error{
		"another key":                  func() error { _, err := Open(ctx, keyed, Options{Key: wrong}); return err },
		"no key for a keyed database":  func() error { _, err := Open(ctx, keyed, Options{}); return err },
		"a key for a wrapped database": func() error { _, err := Open(ctx, wrapped, Options{Key: right}); return err },
	} {
		err := try()
		wantCode(t, what, err, store.ErrWrongKey)
		for _, k := range [][]byte{right, wrong} {
			if bytes.Contains([]byte(err.Error()), []byte(hex.EncodeToString(k)[:16])) {
				t.Fatalf("%s: the error text carries key material", what)
			}
		}
	}
	if after := dumpRaw(t, keyed); !reflect.DeepEqual(after, before) {
		t.Fatal("a failed open changed the database")
	}
	// The lock of a failed open is released: the right key still opens.
	s := mustOpen(t, keyed, Options{Key: right})
	if v, found, err := s.Get(ctx, "t", []byte("a")); err != nil || !found || string(v) != "value" {
		t.Fatalf("get with the right key = %q, %v, %v", v, found, err)
	}
	s.Close()

	// A wrapped database whose wrapping key is gone (site data partly cleared) fails closed.
	if err := deleteWrappingKey(ctx, wrapped); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, wrapped, Options{})
	wantCode(t, "a wrapped database without its wrapping key", err, store.ErrWrongKey)

	_, err = Open(ctx, newName(t), Options{Key: right[:16]})
	wantCode(t, "a 16-byte key", err, store.ErrInvalid)
}

// TestRawContents reads the databases raw, as anyone with a copy of the origin's data
// would, and finds none of the tables, ids, partitions or values written in them.
func TestRawContents(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	needles := []string{
		"secret-table-name", "secret-group-id", "secret-message-text", "secret-installation-key",
		"secret-partition", "messages", "groups",
	}
	for _, key := range [][]byte{randomKey(), nil} {
		name := newName(t)
		s := mustOpen(t, name, Options{Key: key})
		var c store.Changes
		c.Put("secret-table-name", []byte("secret-group-id"), []byte("secret-installation-key"))
		c.Put("groups", []byte("secret-group-id"), []byte("secret-group-id state"))
		for seq := range uint64(5) {
			c.PutSeq("messages", []byte("secret-partition"), seq, fmt.Appendf(nil, "secret-message-text %d", seq))
		}
		apply(t, s, c)
		s.Close()
		defer Delete(ctx, name)

		dump := dumpRaw(t, name)
		if n := len(dump.Stores[recordsStore]); n != 7 {
			t.Fatalf("%d records stored, want 7 (counts are visible, README.md)", n)
		}
		for store, recs := range dump.Stores {
			for _, r := range recs {
				for _, found := range [][]byte{r.Key.bytes(), r.Value.bytes()} {
					for _, needle := range needles {
						if bytes.Contains(found, []byte(needle)) {
							t.Errorf("%s holds %q in the clear", store, needle)
						}
					}
				}
			}
		}
		if key == nil { // the wrapping key is kept as a CryptoKey, never as its bytes
			var kept string
			for _, r := range dumpRaw(t, keyDatabase).Stores[keyStore] {
				if r.Key.String != nil && *r.Key.String == name {
					kept = r.Value.Object
				}
			}
			if kept != "CryptoKey" {
				t.Errorf("the wrapping key is kept as %q, not as a CryptoKey", kept)
			}
		}
	}
}

// TestNewerSchemaRefused: a database written by a newer schema is not opened.
func TestNewerSchemaRefused(t *testing.T) {
	needBrowser(t)
	name := newName(t)
	loadRaw(t, name, rawDB{Version: schemaVersion + 1, Stores: map[string][]rawRecord{metaStore: nil, recordsStore: nil}})
	defer Delete(context.Background(), name)
	_, err := Open(context.Background(), name, Options{})
	wantCode(t, "open of a newer schema", err, store.ErrVersion)
}

// TestSideBySide: databases of several inboxes live in one origin, open at once, each
// under its own key or wrapped key, and never see each other's records.
func TestSideBySide(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	keys := [][]byte{randomKey(), randomKey(), nil}
	stores := make([]*Store, len(keys))
	for i, key := range keys {
		name := newName(t)
		stores[i] = mustOpen(t, name, Options{Key: key})
		defer Delete(ctx, name)
		defer stores[i].Close()
		var c store.Changes
		c.Put("client", []byte("installation"), fmt.Appendf(nil, "inbox %d", i))
		c.PutSeq("messages", []byte("g"), 1, fmt.Appendf(nil, "message of inbox %d", i))
		apply(t, stores[i], c)
	}
	for i, s := range stores {
		if v, _, err := s.Get(ctx, "client", []byte("installation")); err != nil || string(v) != fmt.Sprintf("inbox %d", i) {
			t.Fatalf("store %d reads %q, %v", i, v, err)
		}
		recs, err := s.Scan(ctx, "messages", []byte("g"), store.Range{})
		if err != nil || len(recs) != 1 || string(recs[0].Value) != fmt.Sprintf("message of inbox %d", i) {
			t.Fatalf("store %d scans %v, %v", i, recs, err)
		}
	}
}

// TestDelete: Delete removes the database and its wrapping key; the name then opens as a
// new, empty store.
func TestDelete(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	name := newName(t)
	s := mustOpen(t, name, Options{})
	var c store.Changes
	c.Put("t", []byte("a"), []byte("gone after delete"))
	apply(t, s, c)
	s.Close()
	if err := Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
	list, err := awaitPromise(ctx, js.Global().Get("indexedDB").Call("databases"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range list.Length() {
		if list.Index(i).Get("name").String() == name {
			t.Fatal("the database is still listed after Delete")
		}
	}
	for _, r := range dumpRaw(t, keyDatabase).Stores[keyStore] {
		if r.Key.String != nil && *r.Key.String == name {
			t.Fatal("the wrapping key outlived its database")
		}
	}
	s = mustOpen(t, name, Options{})
	defer Delete(ctx, name)
	defer s.Close()
	if _, found, err := s.Get(ctx, "t", []byte("a")); err != nil || found {
		t.Fatalf("a deleted record came back (%v, %v)", found, err)
	}
}
