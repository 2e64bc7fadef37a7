//go:build js && wasm

package idbstore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/store"
)

// These tests take part in scenarios of several pages that js/test/idbstore.test.mjs
// drives, passing the database name in the environment; run alone they skip.

// pageKey is the app key the pages of one scenario share.
var pageKey = []byte("idbstore page scenario key 32 B!")

func pageDB(t *testing.T, env string) string {
	needBrowser(t)
	name := os.Getenv(env)
	if name == "" {
		t.Skipf("%s not set: a step of a scenario in js/test/idbstore.test.mjs", env)
	}
	return name
}

// TestPageOwner owns the database until another page takes it over, then checks it was
// told and answers store.locked.
func TestPageOwner(t *testing.T) {
	name := pageDB(t, "IDBSTORE_OWNER_DB")
	ctx := context.Background()
	s := mustOpen(t, name, Options{Key: pageKey})
	var c store.Changes
	c.Put("t", []byte("owner"), []byte("written by the first page"))
	apply(t, s, c)
	println("OWNER_READY")
	select {
	case <-s.OwnershipLost():
	case <-time.After(60 * time.Second):
		t.Fatal("no takeover came")
	}
	_, _, err := s.Get(ctx, "t", []byte("owner"))
	wantCode(t, "get after the takeover", err, store.ErrLocked)
}

// TestPageContender runs in a second page while TestPageOwner holds the database: a plain
// open fails with store.locked within a second, a taking-over one gets the database.
func TestPageContender(t *testing.T) {
	name := pageDB(t, "IDBSTORE_CONTENDER_DB")
	ctx := context.Background()
	start := time.Now()
	_, err := Open(ctx, name, Options{Key: pageKey})
	wantCode(t, "open while another page owns the database", err, store.ErrLocked)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("store.locked came after %v", d)
	}
	t.Logf("store.locked after %v", time.Since(start))
	start = time.Now()
	s := mustOpen(t, name, Options{Key: pageKey, TakeOver: true})
	t.Logf("took over after %v", time.Since(start))
	if v, _, err := s.Get(ctx, "t", []byte("owner")); err != nil || string(v) != "written by the first page" {
		t.Fatalf("after the takeover get = %q, %v", v, err)
	}
	s.Close()
	if err := Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// TestPagePersist writes (IDBSTORE_PERSIST_STEP=write) or reads back and deletes (=read)
// one database with the app key and one with a wrapped key; in between, the page is
// reloaded or the browser restarted on the same profile.
func TestPagePersist(t *testing.T) {
	name := pageDB(t, "IDBSTORE_PERSIST_DB")
	ctx := context.Background()
	for _, db := range []struct {
		name string
		key  []byte
	}{{name + "-key", pageKey}, {name + "-wrapped", nil}} {
		s := mustOpen(t, db.name, Options{Key: db.key})
		switch step := os.Getenv("IDBSTORE_PERSIST_STEP"); step {
		case "write":
			var c store.Changes
			c.Put("groups", []byte("g"), []byte("state before the reload"))
			c.PutSeq("messages", []byte("g"), 42, []byte("message before the reload"))
			apply(t, s, c)
			s.Close()
		case "read":
			v, _, err := s.Get(ctx, "groups", []byte("g"))
			recs, scanErr := s.Scan(ctx, "messages", []byte("g"), store.Range{})
			s.Close()
			if err != nil || string(v) != "state before the reload" {
				t.Fatalf("%s after the reload: get = %q, %v", db.name, v, err)
			}
			if scanErr != nil || len(recs) != 1 || recs[0].Seq != 42 || string(recs[0].Value) != "message before the reload" {
				t.Fatalf("%s after the reload: scan = %v, %v", db.name, recs, scanErr)
			}
			if err := Delete(ctx, db.name); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("IDBSTORE_PERSIST_STEP %q is neither write nor read", step)
		}
	}
}
