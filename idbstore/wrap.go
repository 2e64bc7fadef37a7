//go:build js && wasm

package idbstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/store"
)

// Without an app key, a store's key is random and kept wrapped in its own database, under a
// non-extractable WebCrypto AES-GCM key that lives in a separate database of the origin.
// Copies of the data database alone do not open; code running in the origin can still ask
// WebCrypto to unwrap (README.md, "Without a dbEncryptionKey").
const (
	keyDatabase = "goxmtp-idbstore-keys"
	keyStore    = "wrapping"
)

// openKeyDatabase opens the origin's wrapping-key database, whose records are CryptoKeys
// keyed by the name of the data database they protect.
func openKeyDatabase(ctx context.Context) (js.Value, error) {
	req, err := call(func() js.Value { return js.Global().Get("indexedDB").Call("open", keyDatabase, 1) })
	if err != nil {
		return js.Value{}, err
	}
	create := js.FuncOf(func(js.Value, []js.Value) any {
		req.Get("result").Call("createObjectStore", keyStore)
		return nil
	})
	defer create.Release()
	req.Set("onupgradeneeded", create)
	return awaitRequest(ctx, req)
}

// keyRecord runs one request on the wrapping key of name and returns its result once its
// transaction has committed.
func keyRecord(ctx context.Context, name, mode string, op func(os js.Value) js.Value) (js.Value, error) {
	db, err := openKeyDatabase(ctx)
	if err != nil {
		return js.Value{}, fmt.Errorf("open %s: %w", keyDatabase, err)
	}
	defer db.Call("close")
	var req js.Value
	tx, err := call(func() js.Value {
		tx := begin(db, keyStore, mode)
		req = op(tx.Call("objectStore", keyStore))
		return tx
	})
	if err != nil {
		return js.Value{}, err
	}
	if err := awaitTransaction(ctx, tx); err != nil {
		return js.Value{}, err
	}
	return req.Get("result"), nil
}

// subtleCall calls a method of WebCrypto's SubtleCrypto and waits for its promise.
func subtleCall(ctx context.Context, method string, args ...any) (js.Value, error) {
	subtle := js.Global().Get("crypto").Get("subtle")
	if subtle.IsUndefined() {
		return js.Value{}, errors.New("WebCrypto is unavailable (an insecure context?)")
	}
	p, err := call(func() js.Value { return subtle.Call(method, args...) })
	if err != nil {
		return js.Value{}, err
	}
	return awaitPromise(ctx, p)
}

func gcmParams(iv []byte) map[string]any {
	return map[string]any{"name": "AES-GCM", "iv": jsBytes(iv), "additionalData": jsBytes([]byte(wrapAAD))}
}

// newWrappedKey generates a random store key and a new wrapping key for the database name,
// saves the wrapping key and returns the store key with its wrapped form.
func newWrappedKey(ctx context.Context, name string) (storeKey, wrapped []byte, err error) {
	wrapping, err := subtleCall(ctx, "generateKey",
		map[string]any{"name": "AES-GCM", "length": 256}, false, []any{"encrypt", "decrypt"})
	if err != nil {
		return nil, nil, fmt.Errorf("generate wrapping key: %w", err)
	}
	storeKey, iv := make([]byte, KeySize), make([]byte, wrapIVSize)
	rand.Read(storeKey)
	rand.Read(iv)
	ct, err := subtleCall(ctx, "encrypt", gcmParams(iv), wrapping, jsBytes(storeKey))
	if err != nil {
		return nil, nil, fmt.Errorf("wrap store key: %w", err)
	}
	ctBytes, err := goBytes(ct)
	if err != nil {
		return nil, nil, err
	}
	if _, err := keyRecord(ctx, name, "readwrite", func(os js.Value) js.Value {
		return os.Call("put", wrapping, name)
	}); err != nil {
		return nil, nil, fmt.Errorf("save wrapping key: %w", err)
	}
	return storeKey, encodeWrapped(iv, ctBytes), nil
}

// unwrapKey recovers the store key of the database name. A missing wrapping key or one
// that does not decrypt means the data cannot be opened here: store.ErrWrongKey.
func unwrapKey(ctx context.Context, name string, wrapped []byte) ([]byte, error) {
	iv, ct, err := decodeWrapped(wrapped)
	if err != nil {
		return nil, err
	}
	wrapping, err := keyRecord(ctx, name, "readonly", func(os js.Value) js.Value { return os.Call("get", name) })
	if err != nil {
		return nil, fmt.Errorf("read wrapping key: %w", err)
	}
	if wrapping.IsUndefined() {
		return nil, fmt.Errorf("no wrapping key in this origin for the database: %w", store.ErrWrongKey)
	}
	key, err := subtleCall(ctx, "decrypt", gcmParams(iv), wrapping, jsBytes(ct))
	if err != nil {
		return nil, fmt.Errorf("unwrap store key: %w", store.ErrWrongKey)
	}
	return goBytes(key)
}

// deleteWrappingKey forgets the wrapping key of the database name.
func deleteWrappingKey(ctx context.Context, name string) error {
	_, err := keyRecord(ctx, name, "readwrite", func(os js.Value) js.Value { return os.Call("delete", name) })
	return err
}
