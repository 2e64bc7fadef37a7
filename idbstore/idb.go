//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/wasm/jsutil"
)

// This file is the whole boundary to IndexedDB's and the browser's asynchronous APIs: JS
// exceptions become errors, and requests, transactions and promises become blocking calls.
// The blocking calls must not run on the goroutine of a JS callback, whose event could then
// never be delivered.

// call runs fn, which calls into JS, and returns a thrown exception as an error instead
// of letting syscall/js panic.
func call(fn func() js.Value) (js.Value, error) {
	v, err := jsutil.Try(fn)
	return v, storeError(err)
}

// jsError turns a DOMException (or any thrown value) into an error.
func jsError(v js.Value) error { return storeError(jsutil.Thrown(v)) }

// storeError maps the JS error names a caller branches on to the store's sentinels.
func storeError(err error) error {
	var jerr *jsutil.Error
	if !errors.As(err, &jerr) {
		return err
	}
	switch jerr.Name() {
	case "VersionError":
		return fmt.Errorf("%w: %w", store.ErrVersion, err)
	case "InvalidStateError": // a transaction on a connection being closed
		return fmt.Errorf("%w: %w", store.ErrClosed, err)
	}
	return err
}

// begin starts a transaction on one object store of db. Writes ask for strict
// durability, which browsers may otherwise relax to "written to the OS": an Apply that
// returned must survive a power cut, as SQLite's synchronous=FULL does natively, since the
// client records an intent before it publishes a commit and losing it could fork a group.
func begin(db js.Value, objectStore, mode string) js.Value {
	if mode == "readwrite" {
		return db.Call("transaction", objectStore, mode, map[string]any{"durability": "strict"})
	}
	return db.Call("transaction", objectStore, mode)
}

// awaitRequest waits for an IDBRequest's success or error event and returns its result.
// Cancelling ctx stops the wait, not the request.
func awaitRequest(ctx context.Context, req js.Value) (js.Value, error) {
	done := make(chan error, 1)
	success := js.FuncOf(func(js.Value, []js.Value) any {
		done <- nil
		return nil
	})
	failure := js.FuncOf(func(js.Value, []js.Value) any {
		done <- jsError(req.Get("error"))
		return nil
	})
	req.Set("onsuccess", success)
	req.Set("onerror", failure)
	defer func() {
		req.Set("onsuccess", js.Null())
		req.Set("onerror", js.Null())
		success.Release()
		failure.Release()
	}()
	select {
	case err := <-done:
		if err != nil {
			return js.Value{}, err
		}
		return req.Get("result"), nil
	case <-ctx.Done():
		return js.Value{}, ctx.Err()
	}
}

// awaitTransaction waits until tx commits or aborts. Cancelling ctx aborts tx unless it has
// already committed, in which case the commit is reported: an Apply that returned an error
// wrote nothing.
func awaitTransaction(ctx context.Context, tx js.Value) error {
	done := make(chan error, 1)
	complete := js.FuncOf(func(js.Value, []js.Value) any {
		done <- nil
		return nil
	})
	abort := js.FuncOf(func(js.Value, []js.Value) any {
		if e := tx.Get("error"); e.Truthy() {
			done <- jsError(e)
		} else {
			done <- errors.New("transaction aborted")
		}
		return nil
	})
	tx.Set("oncomplete", complete)
	tx.Set("onabort", abort)
	defer func() {
		complete.Release()
		abort.Release()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		if _, err := call(func() js.Value { return tx.Call("abort") }); err != nil {
			return <-done // it finished before the abort: report how
		}
		<-done
		return ctx.Err()
	}
}

// awaitPromise waits for a promise to settle.
func awaitPromise(ctx context.Context, p js.Value) (js.Value, error) {
	v, err := jsutil.Await(ctx, p)
	return v, storeError(err)
}

var (
	uint8Array  = js.Global().Get("Uint8Array")
	arrayBuffer = js.Global().Get("ArrayBuffer")
)

// jsBytes copies b into a new Uint8Array.
func jsBytes(b []byte) js.Value {
	u := uint8Array.New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}

// goBytes copies a stored Uint8Array or ArrayBuffer (IndexedDB returns binary keys as
// ArrayBuffers) into Go memory. Anything else was not written by this store.
func goBytes(v js.Value) ([]byte, error) {
	switch {
	case v.InstanceOf(uint8Array):
	case v.InstanceOf(arrayBuffer):
		v = uint8Array.New(v)
	default:
		return nil, fmt.Errorf("stored %s where bytes belong: %w", v.Type(), store.ErrCorrupt)
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b, nil
}
