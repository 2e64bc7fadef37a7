//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"syscall/js"
	"testing"
)

// rawDB is an IndexedDB database read without idbstore: what anyone with the origin's data
// sees. Tests search it for plaintext, compare it before and after a failed open, and
// testdata/v1.json is one, written by schema version 1.
type rawDB struct {
	Version int                    `json:"version"`
	Stores  map[string][]rawRecord `json:"stores"`
}

type rawRecord struct {
	Key   rawValue `json:"key"`
	Value rawValue `json:"value"`
}

// rawValue is a key or value: bytes, a string, a number, or another kind of object
// (a CryptoKey) named by its constructor.
type rawValue struct {
	Bytes  []byte  `json:"bytes,omitempty"`
	String *string `json:"string,omitempty"`
	Number *int    `json:"number,omitempty"`
	Object string  `json:"object,omitempty"`
}

func readRaw(v js.Value) rawValue {
	switch {
	case v.Type() == js.TypeString:
		s := v.String()
		return rawValue{String: &s}
	case v.Type() == js.TypeNumber:
		n := v.Int()
		return rawValue{Number: &n}
	case v.InstanceOf(uint8Array) || v.InstanceOf(arrayBuffer):
		b, _ := goBytes(v)
		return rawValue{Bytes: b}
	}
	return rawValue{Object: v.Get("constructor").Get("name").String()}
}

func (r rawValue) js() js.Value {
	switch {
	case r.String != nil:
		return js.ValueOf(*r.String)
	case r.Number != nil:
		return js.ValueOf(*r.Number)
	}
	return jsBytes(r.Bytes)
}

// bytes is what a reader of the raw value finds in it.
func (r rawValue) bytes() []byte {
	switch {
	case r.String != nil:
		return []byte(*r.String)
	case r.Number != nil:
		return fmt.Appendf(nil, "%d", *r.Number)
	}
	return append(r.Bytes, r.Object...)
}

// dumpRaw reads every record of every object store of the database name.
func dumpRaw(t testing.TB, name string) rawDB {
	t.Helper()
	ctx := context.Background()
	db, err := awaitRequest(ctx, js.Global().Get("indexedDB").Call("open", name))
	if err != nil {
		t.Fatalf("open %s raw: %v", name, err)
	}
	defer db.Call("close")
	dump := rawDB{Version: db.Get("version").Int(), Stores: map[string][]rawRecord{}}
	names := db.Get("objectStoreNames")
	for i := range names.Length() {
		store := names.Index(i).String()
		tx := db.Call("transaction", store, "readonly")
		keys := tx.Call("objectStore", store).Call("getAllKeys")
		values := tx.Call("objectStore", store).Call("getAll")
		if err := awaitTransaction(ctx, tx); err != nil {
			t.Fatalf("read %s/%s raw: %v", name, store, err)
		}
		recs := []rawRecord{}
		for j := range keys.Get("result").Length() {
			recs = append(recs, rawRecord{readRaw(keys.Get("result").Index(j)), readRaw(values.Get("result").Index(j))})
		}
		dump.Stores[store] = recs
	}
	return dump
}

// loadRaw creates the database name from a dump, as the code that wrote it left it.
func loadRaw(t testing.TB, name string, dump rawDB) {
	t.Helper()
	ctx := context.Background()
	req := js.Global().Get("indexedDB").Call("open", name, dump.Version)
	create := js.FuncOf(func(js.Value, []js.Value) any {
		db := req.Get("result")
		for store, recs := range dump.Stores {
			os := db.Call("createObjectStore", store)
			for _, r := range recs {
				os.Call("put", r.Value.js(), r.Key.js())
			}
		}
		return nil
	})
	defer create.Release()
	req.Set("onupgradeneeded", create)
	db, err := awaitRequest(ctx, req)
	if err != nil {
		t.Fatalf("load %s raw: %v", name, err)
	}
	db.Call("close")
}
