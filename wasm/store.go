//go:build js && wasm

package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/idbstore"
)

// storeOptions are the storage options of Client.create, browser-sdk's names.
type storeOptions struct {
	// inMemory is dbPath: null, no persistence.
	inMemory bool
	// path is dbPath as a string: the IndexedDB database name.
	path string
	// key is dbEncryptionKey (32 bytes), or nil for a key wrapped by the browser.
	key      []byte
	takeOver bool
}

func readStoreOptions(opts js.Value) (storeOptions, error) {
	var o storeOptions
	switch p := opts.Get("dbPath"); typeOf(p) {
	case js.TypeNull:
		o.inMemory = true
	case js.TypeString:
		if o.path = p.String(); o.path == "" {
			return o, badArgument("dbPath must not be empty")
		}
	case js.TypeUndefined:
	default:
		return o, badArgument("dbPath must be a string, null or undefined")
	}
	if k := opts.Get("dbEncryptionKey"); typeOf(k) != js.TypeUndefined {
		key, err := bytesValue(k, "dbEncryptionKey")
		if err != nil {
			return o, err
		}
		if len(key) != idbstore.KeySize {
			return o, badArgument("dbEncryptionKey must be %d bytes, not %d", idbstore.KeySize, len(key))
		}
		o.key = key
	}
	switch t := opts.Get("takeOver"); typeOf(t) {
	case js.TypeBoolean:
		o.takeOver = t.Bool()
	case js.TypeUndefined:
	default:
		return o, badArgument("takeOver must be a boolean")
	}
	return o, nil
}

// openStore opens the client's store: in memory, or the IndexedDB database named by dbPath,
// or by default one database per env and inbox, as browser-sdk names its SQLite files, but
// named "goxmtp-<env>-<digest of the inbox id>": database names are readable by anyone who
// looks at the origin's storage, and must not say whose it is.
func openStore(ctx context.Context, a api.API, env string, owner identity.MemberID, o storeOptions) (store.Store, error) {
	if o.inMemory {
		return memstore.New(), nil
	}
	name := o.path
	if name == "" {
		var err error
		if name, err = databaseName(ctx, a, env, owner); err != nil {
			return nil, err
		}
	}
	return idbstore.Open(ctx, name, idbstore.Options{Key: o.key, TakeOver: o.takeOver})
}

// databaseName finds the inbox of owner and names its database. A wallet's first inbox has
// an id derived from its address, so when that database exists already the name is known
// without asking the network: a returning client starts with no round trip at all.
// Otherwise the node says which inbox the wallet belongs to, and a wallet without one gets
// the derived id, which registration will create.
func databaseName(ctx context.Context, a api.API, env string, owner identity.MemberID) (string, error) {
	derived, err := identity.InboxID(owner, identity.DefaultNonce)
	if err != nil {
		return "", badArgument("identifier: %w", err)
	}
	nameOf := func(inboxID string) string { return databaseNameOf(env, inboxID) }
	if databaseExists(ctx, nameOf(derived)) {
		return nameOf(derived), nil
	}
	found, err := inboxIDsOf(ctx, a, []string{owner.Address()})
	if err != nil {
		return "", err
	}
	if id, ok := found[owner.Address()]; ok {
		return nameOf(id), nil
	}
	return nameOf(derived), nil
}

// databaseExists asks IndexedDB whether a database of that name exists in this origin. A
// browser that cannot tell answers no, which only costs the network lookup.
func databaseExists(ctx context.Context, name string) bool {
	idb := js.Global().Get("indexedDB")
	if typeOf(idb) != js.TypeObject || typeOf(idb.Get("databases")) != js.TypeFunction {
		return false
	}
	list, err := await(ctx, idb.Call("databases"))
	if err != nil {
		return false
	}
	for i := 0; i < list.Length(); i++ {
		if list.Index(i).Get("name").String() == name {
			return true
		}
	}
	return false
}

// databaseNameOf is the default database name of an inbox: stable, so a reload finds it, and
// keyed by a digest rather than the inbox id itself.
func databaseNameOf(env, inboxID string) string {
	sum := sha256.Sum256([]byte("goxmtp database name\x00" + env + "\x00" + inboxID))
	return "goxmtp-" + env + "-" + hex.EncodeToString(sum[:16])
}
