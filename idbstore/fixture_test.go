//go:build js && wasm

package idbstore

import (
	"context"
	_ "embed"
	"encoding/json"
	"os"
	"syscall/js"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

// testdata/v1.json is a database written by schema version 1, dumped raw (testdata/README.md).

//go:embed testdata/v1.json
var fixtureV1 []byte

// fixtureKey is the public test key the fixture was written with.
var fixtureKey = []byte("idbstore fixture key, not secret")

// fixtureRecords writes what the fixture holds.
func fixtureRecords() store.Changes {
	var c store.Changes
	c.Put("groups", []byte("group-1"), []byte("epoch 7 state"))
	c.Put("groups", nil, []byte("empty id"))
	c.PutSeq("messages", []byte("group-1"), 1, []byte("hello"))
	c.PutSeq("messages", []byte("group-1"), 2, []byte("world"))
	c.PutSeq("messages", []byte("group-1"), 1<<63, []byte("high bit"))
	return c
}

// TestOpenVersion1 loads the version 1 database into IndexedDB as that code left it and
// opens it with today's code: every record reads back.
func TestOpenVersion1(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	var dump rawDB
	if err := json.Unmarshal(fixtureV1, &dump); err != nil {
		t.Fatal(err)
	}
	if dump.Version != 1 {
		t.Fatalf("fixture of version %d", dump.Version)
	}
	name := newName(t)
	loadRaw(t, name, dump)
	s := mustOpen(t, name, Options{Key: fixtureKey})
	defer Delete(ctx, name)
	defer s.Close()
	for _, c := range fixtureRecords() {
		var got []byte
		var found bool
		var err error
		if c.Op == store.OpPut {
			got, found, err = s.Get(ctx, c.Table, c.Key)
		} else {
			got, found, err = s.GetSeq(ctx, c.Table, c.Key, c.Seq)
		}
		if err != nil || !found || string(got) != string(c.Value) {
			t.Errorf("%s/%q/%d = %q, %v, %v; want %q", c.Table, c.Key, c.Seq, got, found, err, c.Value)
		}
	}
	recs, err := s.Scan(ctx, "messages", []byte("group-1"), store.Range{Reverse: true, Limit: 2})
	if err != nil || len(recs) != 2 || recs[0].Seq != 1<<63 || recs[1].Seq != 2 {
		t.Fatalf("scan = %v, %v", recs, err)
	}
}

// TestWriteFixture prints a new version 1 fixture when IDBSTORE_WRITE_FIXTURE is set;
// js/test/idbstore.test.mjs saves it (testdata/README.md). Only schema version 1 code may
// write v1.json: a later schema adds its own fixture.
func TestWriteFixture(t *testing.T) {
	needBrowser(t)
	if os.Getenv("IDBSTORE_WRITE_FIXTURE") == "" {
		t.Skip("IDBSTORE_WRITE_FIXTURE not set")
	}
	name := newName(t)
	s := mustOpen(t, name, Options{Key: fixtureKey})
	apply(t, s, fixtureRecords())
	s.Close()
	defer Delete(context.Background(), name)
	out, err := json.Marshal(dumpRaw(t, name))
	if err != nil {
		t.Fatal(err)
	}
	println("FIXTURE " + string(out))
}

// TestUpgradeFromVersion1 adds a version 2 upgrade for the length of the test and opens the
// version 1 fixture: the upgrade runs from the stored version, the schema record follows,
// and every record still reads back.
func TestUpgradeFromVersion1(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	var dump rawDB
	if err := json.Unmarshal(fixtureV1, &dump); err != nil {
		t.Fatal(err)
	}
	ran := 0
	defer func(saved []func(db, tx js.Value)) { upgrades, schemaVersion = saved, len(saved) }(upgrades)
	upgrades = append(upgrades[:len(upgrades):len(upgrades)], func(db, _ js.Value) {
		ran++
		db.Call("createObjectStore", "added-by-v2")
	})
	schemaVersion = len(upgrades)

	name := newName(t)
	loadRaw(t, name, dump)
	s := mustOpen(t, name, Options{Key: fixtureKey})
	defer Delete(ctx, name)
	v, found, err := s.Get(ctx, "groups", []byte("group-1"))
	s.Close()
	if err != nil || !found || string(v) != "epoch 7 state" {
		t.Fatalf("after the upgrade get = %q, %v, %v", v, found, err)
	}
	if ran != 1 {
		t.Fatalf("the version 2 upgrade ran %d times", ran)
	}
	upgraded := dumpRaw(t, name)
	if upgraded.Version != 2 || upgraded.Stores["added-by-v2"] == nil {
		t.Fatalf("after the upgrade: version %d, stores %v", upgraded.Version, len(upgraded.Stores))
	}
	for _, r := range upgraded.Stores[metaStore] {
		if r.Key.String != nil && *r.Key.String == metaSchema && (r.Value.Number == nil || *r.Value.Number != 2) {
			t.Fatalf("schema record after the upgrade = %+v", r.Value)
		}
	}
}
