//go:build js && wasm

package idbstore

import (
	"context"
	"syscall/js"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/store"
)

// TestSecondOpenerLocked: within one page too, a database has one owner; Delete
// respects it; closing hands it on.
func TestSecondOpenerLocked(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	name := newName(t)
	first := mustOpen(t, name, Options{})
	start := time.Now()
	_, err := Open(ctx, name, Options{})
	wantCode(t, "a second open", err, store.ErrLocked)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the second open took %v to fail", d)
	}
	wantCode(t, "delete of an open database", Delete(ctx, name), store.ErrLocked)
	first.Close()
	second := mustOpen(t, name, Options{})
	second.Close()
	if err := Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// TestTakeOver: a taking-over open makes the owner close; the owner learns of it through
// OwnershipLost and answers store.locked from then on.
func TestTakeOver(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	name := newName(t)
	key := randomKey()
	owner := mustOpen(t, name, Options{Key: key})
	var c store.Changes
	c.Put("t", []byte("a"), []byte("written by the owner"))
	apply(t, owner, c)
	taker := mustOpen(t, name, Options{Key: key, TakeOver: true})
	select {
	case <-owner.OwnershipLost():
	case <-time.After(time.Second):
		t.Fatal("the owner was not told it lost the database")
	}
	_, _, err := owner.Get(ctx, "t", []byte("a"))
	wantCode(t, "get after a takeover", err, store.ErrLocked)
	wantCode(t, "apply after a takeover", owner.Apply(ctx, c), store.ErrLocked)
	if v, _, err := taker.Get(ctx, "t", []byte("a")); err != nil || string(v) != "written by the owner" {
		t.Fatalf("the new owner reads %q, %v", v, err)
	}
	owner.Close() // closing a store that was taken over is a no-op
	taker.Close()
	if err := Delete(ctx, name); err != nil {
		t.Fatal(err)
	}
}

// TestTakeOverUnanswered: an owner that does not step down (here a bare Web Lock of the
// database's name, held by no store) keeps the database; the taking-over open gives up
// with store.locked after LockWait.
func TestTakeOverUnanswered(t *testing.T) {
	needBrowser(t)
	ctx := context.Background()
	name := newName(t)
	held, err := acquireLock(ctx, name, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.unlock()
	start := time.Now()
	_, err = Open(ctx, name, Options{TakeOver: true, LockWait: 300 * time.Millisecond})
	wantCode(t, "a takeover nobody answers", err, store.ErrLocked)
	if d := time.Since(start); d < 300*time.Millisecond || d > 2*time.Second {
		t.Fatalf("the takeover gave up after %v, want about 300ms", d)
	}
}

// TestDeletedElsewhere: code that deletes the database without Open's lock (a raw
// deleteDatabase) is not blocked by the open store; the store gives the database up and
// reports it as lost.
func TestDeletedElsewhere(t *testing.T) {
	needBrowser(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	name := newName(t)
	s := mustOpen(t, name, Options{Key: randomKey()})
	defer s.Close()
	if _, err := awaitRequest(ctx, js.Global().Get("indexedDB").Call("deleteDatabase", name)); err != nil {
		t.Fatalf("a raw delete of the open database: %v", err)
	}
	select {
	case <-s.OwnershipLost():
	case <-time.After(time.Second):
		t.Fatal("the store was not told its database went away")
	}
	_, _, err := s.Get(ctx, "t", []byte("a"))
	wantCode(t, "get after the database was deleted", err, store.ErrLocked)
}
