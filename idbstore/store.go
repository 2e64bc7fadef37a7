//go:build js && wasm

package idbstore

import (
	"context"
	"fmt"
	"math"
	"sync"
	"syscall/js"
	"time"

	"github.com/goxmtp/goxmtp/core/store"
)

// DefaultTakeOverWait is how long a taking-over Open waits for the owner to step down
// when Options.LockWait is zero.
const DefaultTakeOverWait = 5 * time.Second

// Options configure Open.
type Options struct {
	// Key is the app's 32-byte database key (dbEncryptionKey). Without one, the store key
	// is random and wrapped by a non-extractable WebCrypto key of the origin.
	Key []byte
	// TakeOver asks the tab or worker that owns the database to close it (see
	// [Store.OwnershipLost]) and waits up to LockWait for the lock.
	TakeOver bool
	// LockWait bounds a takeover's wait; zero means DefaultTakeOverWait.
	LockWait time.Duration
}

// Store is a [store.Store] on one IndexedDB database, owned by this tab or worker. Its
// methods block until IndexedDB answers, so, like every blocking call in js/wasm, they must
// not run on the goroutine of a JS callback (whose event loop turn would never end).
type Store struct {
	name string
	keys *keys
	db   js.Value
	lock *ownerLock
	lost chan struct{}
	// onGone gives the database up when other code needs it gone (watch).
	onGone js.Func

	mu  sync.Mutex
	err error // why the store no longer serves: store.ErrClosed or store.ErrLocked
	// reader is the readonly transaction of the latest point read, which the reads after it
	// share while IndexedDB still takes requests on it (read).
	reader js.Value
}

var _ store.Store = (*Store)(nil)

// Open opens the database name (for example "goxmtp-<env>-<inboxId>"), creating it if
// absent, and becomes its owner. Another owner makes it fail with [store.ErrLocked]
// at once, or after opts.LockWait when taking over; a key that does not open the data
// fails with [store.ErrWrongKey] and writes nothing.
func Open(ctx context.Context, name string, opts Options) (*Store, error) {
	if name == "" || name == keyDatabase {
		return nil, fmt.Errorf("idbstore: database name %q: %w", name, store.ErrInvalid)
	}
	if opts.Key != nil && len(opts.Key) != KeySize {
		return nil, fmt.Errorf("idbstore: database key of %d bytes: %w", len(opts.Key), store.ErrInvalid)
	}
	if opts.LockWait == 0 {
		opts.LockWait = DefaultTakeOverWait
	}
	lock, err := acquireLock(ctx, name, opts.TakeOver, opts.LockWait)
	if err != nil {
		return nil, fmt.Errorf("idbstore: open: %w", err)
	}
	s := &Store{name: name, lock: lock, lost: make(chan struct{})}
	if err := s.init(ctx, opts.Key); err != nil {
		if s.db.Truthy() {
			s.db.Call("close")
		}
		lock.unlock()
		return nil, fmt.Errorf("idbstore: open: %w", err)
	}
	lock.listen(func() { s.lose("taken over by another tab or worker") })
	s.watch()
	return s, nil
}

// init opens the database and settles its store key: derived from the app's key, or
// unwrapped, or (for a new database without one) generated. The key check of an existing
// database must match before anything is written.
func (s *Store) init(ctx context.Context, dbKey []byte) error {
	var err error
	if s.db, err = openDatabase(ctx, s.name); err != nil {
		return err
	}
	m, err := readMeta(ctx, s.db)
	if err != nil {
		return err
	}
	var storeKey []byte
	switch {
	case dbKey != nil:
		storeKey, err = storeKeyFrom(dbKey)
	case m.wrapped != nil:
		storeKey, err = unwrapKey(ctx, s.name, m.wrapped)
	case m.check != nil:
		err = fmt.Errorf("the database was created with a database key: %w", store.ErrWrongKey)
	default:
		storeKey, m.wrapped, err = newWrappedKey(ctx, s.name)
	}
	if err != nil {
		return err
	}
	if s.keys, err = newKeys(storeKey); err != nil {
		return err
	}
	if m.check == nil {
		m.check = s.keys.check
		return writeMeta(ctx, s.db, m)
	}
	if !s.keys.checkMatches(m.check) {
		return store.ErrWrongKey
	}
	return nil
}

// OwnershipLost is closed when the store stopped serving for a reason other than Close:
// another tab or worker took the database over, other code deleted or upgraded it, or the
// browser closed it (site data cleared). The store has closed itself and its methods fail
// with [store.ErrLocked]. The client layer turns it into its ownership-lost event.
func (s *Store) OwnershipLost() <-chan struct{} { return s.lost }

// lose closes the store for reason and reports it on OwnershipLost.
func (s *Store) lose(reason string) {
	if s.shut(fmt.Errorf("%w: %s", store.ErrLocked, reason)) {
		close(s.lost)
	}
}

// watch gives the database up when another connection deletes or upgrades it (code not
// going through Open, which the Web Lock would stop), instead of blocking that forever, and
// notices when the browser closes the connection itself.
func (s *Store) watch() {
	s.onGone = js.FuncOf(func(_ js.Value, args []js.Value) any {
		reason := "closed by the browser"
		if args[0].Get("type").String() == "versionchange" {
			reason = "deleted or upgraded by another connection"
		}
		go s.lose(reason) // lose waits for the lock to be released: not on this callback
		return nil
	})
	s.db.Set("onversionchange", s.onGone)
	s.db.Set("onclose", s.onGone)
}

// shut closes the database and releases the lock once, recording why; it reports whether
// this call did it. IndexedDB lets transactions already started finish.
func (s *Store) shut(reason error) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false
	}
	s.err = reason
	s.db.Set("onversionchange", js.Null())
	s.db.Set("onclose", js.Null())
	s.onGone.Release()
	s.db.Call("close")
	s.lock.unlock()
	return true
}

// Close implements [store.Store]. It returns once the Web Lock is released, so the next
// Open, here or in another tab, finds the database free.
func (s *Store) Close() error {
	s.shut(store.ErrClosed)
	return nil
}

// transaction starts a transaction on the records store, unless the store no longer serves.
func (s *Store) transaction(mode string) (js.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return js.Value{}, s.err
	}
	return call(func() js.Value { return begin(s.db, recordsStore, mode) })
}

// read makes one request on the records store in a readonly transaction. Point reads made
// before control returns to the event loop (the loads of a list, run concurrently) share one
// transaction, which costs more to begin than a get: IndexedDB takes new requests on a
// transaction until the turn that began it ends, and again while it delivers one of its
// results. A read that finds the shared transaction no longer taking requests begins the
// next one. Sharing keeps reads consistent with writes: Apply's transaction begins after the
// shared one, so it waits for it to finish, and a read made after Apply returned finds it
// finished.
func (s *Store) read(op func(os js.Value) js.Value) (js.Value, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return js.Value{}, s.err
	}
	if s.reader.Truthy() {
		if req, err := call(func() js.Value { return op(s.reader.Call("objectStore", recordsStore)) }); err == nil {
			return req, nil
		}
	}
	return call(func() js.Value {
		s.reader = begin(s.db, recordsStore, "readonly")
		return op(s.reader.Call("objectStore", recordsStore))
	})
}

// Get implements [store.Store].
func (s *Store) Get(ctx context.Context, table string, id []byte) ([]byte, bool, error) {
	if err := store.ValidTable(table); err != nil {
		return nil, false, fmt.Errorf("idbstore: get: %w", err)
	}
	v, found, err := s.get(ctx, s.keys.pointKey(table, id))
	if err != nil {
		return nil, false, fmt.Errorf("idbstore: get: %w", err)
	}
	return v, found, nil
}

// GetSeq implements [store.Store].
func (s *Store) GetSeq(ctx context.Context, table string, partition []byte, seq uint64) ([]byte, bool, error) {
	if err := store.ValidTable(table); err != nil {
		return nil, false, fmt.Errorf("idbstore: get seq: %w", err)
	}
	v, found, err := s.get(ctx, seqKey(s.keys.partitionKey(table, partition), seq))
	if err != nil {
		return nil, false, fmt.Errorf("idbstore: get seq: %w", err)
	}
	return v, found, nil
}

// get reads and opens the record at key.
func (s *Store) get(ctx context.Context, key []byte) ([]byte, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	k := jsBytes(key)
	req, err := s.read(func(os js.Value) js.Value { return os.Call("get", k) })
	if err != nil {
		return nil, false, err
	}
	v, err := awaitRequest(ctx, req)
	if err != nil || v.IsUndefined() {
		return nil, false, err
	}
	sealed, err := goBytes(v)
	if err != nil {
		return nil, false, err
	}
	value, err := s.keys.open(key, sealed)
	return value, err == nil, err
}

// Apply implements [store.Store]: every key is derived and every value sealed and copied
// into JS first, then one readwrite transaction issues all writes without yielding to the
// event loop, which would let IndexedDB commit it half done.
func (s *Store) Apply(ctx context.Context, changes store.Changes) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	if err := changes.Validate(); err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	writes := s.prepare(changes)
	tx, err := s.transaction("readwrite")
	if err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	if _, err := call(func() js.Value {
		os := tx.Call("objectStore", recordsStore)
		for _, w := range writes {
			if w.value.IsUndefined() {
				os.Call("delete", w.key)
			} else {
				os.Call("put", w.value, w.key)
			}
		}
		return js.Undefined()
	}); err != nil {
		call(func() js.Value { return tx.Call("abort") })
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	if err := awaitTransaction(ctx, tx); err != nil {
		return fmt.Errorf("idbstore: apply: %w", err)
	}
	return nil
}

// write is one prepared request: a put of value at key, or (value undefined) a delete of
// key, which may be a key range.
type write struct {
	key, value js.Value
}

func (s *Store) prepare(changes store.Changes) []write {
	puts := 0
	for _, c := range changes {
		if c.Op == store.OpPut || c.Op == store.OpPutSeq {
			puts++
		}
	}
	pool := nonces(puts)
	// A sync writes many messages to one partition: derive its prefix once.
	type partition struct{ table, id string }
	prefixes := map[partition][]byte{}
	prefix := func(c store.Change) []byte {
		p := partition{c.Table, string(c.Key)}
		if prefixes[p] == nil {
			prefixes[p] = s.keys.partitionKey(c.Table, c.Key)
		}
		return prefixes[p]
	}
	writes := make([]write, len(changes))
	for i, c := range changes {
		nonce := pool[:0]
		if c.Op == store.OpPut || c.Op == store.OpPutSeq {
			nonce, pool = pool[:nonceSize], pool[nonceSize:]
		}
		switch c.Op {
		case store.OpPut:
			key := s.keys.pointKey(c.Table, c.Key)
			writes[i] = write{key: jsBytes(key), value: jsBytes(s.keys.seal(nonce, key, c.Value))}
		case store.OpDelete:
			writes[i] = write{key: jsBytes(s.keys.pointKey(c.Table, c.Key)), value: js.Undefined()}
		case store.OpPutSeq:
			p := prefix(c)
			writes[i] = write{key: jsBytes(seqKey(p, c.Seq)), value: jsBytes(s.keys.sealSeq(nonce, p, c.Seq, c.Value))}
		case store.OpDeleteSeq:
			writes[i] = write{key: jsBytes(seqKey(prefix(c), c.Seq)), value: js.Undefined()}
		case store.OpDeletePartition:
			writes[i] = write{key: partitionRange(prefix(c), 0, math.MaxUint64), value: js.Undefined()}
		}
	}
	return writes
}

// Delete removes the database name and its wrapping key, unless it is open somewhere:
// then store.ErrLocked.
func Delete(ctx context.Context, name string) error {
	lock, err := acquireLock(ctx, name, false, 0)
	if err != nil {
		return fmt.Errorf("idbstore: delete: %w", err)
	}
	defer lock.unlock()
	req, err := call(func() js.Value { return js.Global().Get("indexedDB").Call("deleteDatabase", name) })
	if err == nil {
		_, err = awaitRequest(ctx, req)
	}
	if err == nil {
		err = deleteWrappingKey(ctx, name)
	}
	if err != nil {
		return fmt.Errorf("idbstore: delete: %w", err)
	}
	return nil
}
