//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/store"
)

// The database's object stores: meta holds the schema version record, the key check and
// the wrapped store key under fixed string keys; records holds every Store record under its
// HMACed binary key.
const (
	metaStore    = "meta"
	recordsStore = "records"

	metaSchema  = "schema"
	metaCheck   = "check"
	metaWrapped = "wrapped"
)

// upgrades[v] moves a database from schema version v to v+1 inside IndexedDB's
// versionchange transaction. Add a function to change the schema, never edit one: a
// browser may hold a database at any earlier version.
var upgrades = []func(db, tx js.Value){
	upgradeV1,
}

// schemaVersion is the version this code writes and the IndexedDB version it opens with.
var schemaVersion = len(upgrades)

// upgradeV1 creates the two object stores, both with out-of-line keys.
func upgradeV1(db, _ js.Value) {
	db.Call("createObjectStore", metaStore)
	db.Call("createObjectStore", recordsStore)
}

// openDatabase opens (creating or upgrading) the database name at schemaVersion. A
// database of a newer version is refused by IndexedDB itself: store.ErrVersion.
func openDatabase(ctx context.Context, name string) (js.Value, error) {
	req, err := call(func() js.Value {
		return js.Global().Get("indexedDB").Call("open", name, schemaVersion)
	})
	if err != nil {
		return js.Value{}, err
	}
	upgrade := js.FuncOf(func(_ js.Value, args []js.Value) any {
		db, tx := req.Get("result"), req.Get("transaction")
		_, err := call(func() js.Value {
			for v := args[0].Get("oldVersion").Int(); v < schemaVersion; v++ {
				upgrades[v](db, tx)
			}
			return tx.Call("objectStore", metaStore).Call("put", schemaVersion, metaSchema)
		})
		if err != nil {
			js.Global().Get("console").Call("error", "idbstore: upgrade failed: "+err.Error())
			call(func() js.Value { return tx.Call("abort") }) // the open then fails with an AbortError
		}
		return nil
	})
	defer upgrade.Release()
	req.Set("onupgradeneeded", upgrade)
	db, err := awaitRequest(ctx, req)
	if err != nil {
		return js.Value{}, err
	}
	return db, nil
}

// meta is the contents of the meta store; absent records are nil.
type meta struct {
	check, wrapped []byte
}

// readMeta reads the meta store in one transaction and checks its schema record.
func readMeta(ctx context.Context, db js.Value) (meta, error) {
	var schemaReq, checkReq, wrappedReq js.Value
	tx, err := call(func() js.Value {
		tx := begin(db, metaStore, "readonly")
		os := tx.Call("objectStore", metaStore)
		schemaReq, checkReq, wrappedReq = os.Call("get", metaSchema), os.Call("get", metaCheck), os.Call("get", metaWrapped)
		return tx
	})
	if err != nil {
		return meta{}, err
	}
	if err := awaitTransaction(ctx, tx); err != nil {
		return meta{}, err
	}
	if v := schemaReq.Get("result"); v.Type() != js.TypeNumber || v.Int() != schemaVersion {
		return meta{}, fmt.Errorf("schema record %v in a version %d database: %w", v, schemaVersion, store.ErrCorrupt)
	}
	var m meta
	for _, f := range []struct {
		dst *[]byte
		req js.Value
	}{{&m.check, checkReq}, {&m.wrapped, wrappedReq}} {
		if v := f.req.Get("result"); !v.IsUndefined() {
			if *f.dst, err = goBytes(v); err != nil {
				return meta{}, err
			}
		}
	}
	return m, nil
}

// writeMeta records the key check of a new store, and its wrapped key when it has one.
func writeMeta(ctx context.Context, db js.Value, m meta) error {
	check, wrapped := jsBytes(m.check), js.Undefined()
	if m.wrapped != nil {
		wrapped = jsBytes(m.wrapped)
	}
	tx, err := call(func() js.Value {
		tx := begin(db, metaStore, "readwrite")
		os := tx.Call("objectStore", metaStore)
		os.Call("put", check, metaCheck)
		if !wrapped.IsUndefined() {
			os.Call("put", wrapped, metaWrapped)
		}
		return tx
	})
	if err != nil {
		return err
	}
	return awaitTransaction(ctx, tx)
}
