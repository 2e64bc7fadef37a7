//go:build js && wasm

package idbstore

import (
	"context"
	"errors"
	"fmt"
	"syscall/js"
	"time"

	"github.com/goxmtp/goxmtp/core/store"
)

// One tab (or worker) owns a database at a time: the owner holds an exclusive Web Lock
// named after the database, in every tab and worker of the origin. A new opener that wants
// the database asks the owner over a BroadcastChannel of the same name to step down.

// lockName is the Web Lock and BroadcastChannel name of the database name.
func lockName(name string) string { return "goxmtp-idbstore:" + name }

// takeoverMessage is what a new opener posts to ask the owner to close.
const takeoverMessage = "takeover"

// lockRetry is how often a taking-over opener tries the lock again.
const lockRetry = 50 * time.Millisecond

// ownerLock is a held lock, and the channel its holder listens on for takeover requests.
type ownerLock struct {
	release   js.Value // resolves the promise that keeps the lock held
	released  js.Value // the request's promise, settled once the lock is free again
	channel   js.Value
	onMessage js.Func
}

// acquireLock takes the lock of the database name without queueing behind its owner.
// With takeOver it posts a takeover request and retries until wait has passed; without, a
// held lock fails at once. Either way a lock still held fails with store.ErrLocked.
func acquireLock(ctx context.Context, name string, takeOver bool, wait time.Duration) (*ownerLock, error) {
	locks := js.Global().Get("navigator").Get("locks")
	if locks.IsUndefined() {
		return nil, errors.New("Web Locks are unavailable (an insecure context?)")
	}
	channel, err := call(func() js.Value { return js.Global().Get("BroadcastChannel").New(lockName(name)) })
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(wait)
	for {
		if takeOver {
			channel.Call("postMessage", takeoverMessage)
		}
		release, released, err := tryLock(ctx, locks, name)
		if err == nil {
			return &ownerLock{release: release, released: released, channel: channel}, nil
		}
		if !errors.Is(err, store.ErrLocked) || !takeOver || time.Now().After(deadline) {
			channel.Call("close")
			return nil, err
		}
		select {
		case <-time.After(lockRetry):
		case <-ctx.Done():
			channel.Call("close")
			return nil, ctx.Err()
		}
	}
}

// tryLock requests the lock if it is available and returns the function that releases it
// and the promise that settles once it is released.
func tryLock(ctx context.Context, locks js.Value, name string) (release, released js.Value, err error) {
	var resolve js.Value
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve = args[0]
		return nil
	})
	held := js.Global().Get("Promise").New(executor) // runs the executor synchronously
	executor.Release()

	// outcome receives whether the lock was granted, or the request's error.
	type outcome struct {
		granted bool
		err     error
	}
	done := make(chan outcome, 2)
	callback := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if args[0].IsNull() {
			done <- outcome{}
			return nil
		}
		done <- outcome{granted: true}
		return held // the lock stays held until this promise resolves
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- outcome{err: jsError(args[0])}
		return nil
	})
	request, err := call(func() js.Value {
		return locks.Call("request", lockName(name), map[string]any{"mode": "exclusive", "ifAvailable": true}, callback)
	})
	if err != nil {
		callback.Release()
		catch.Release()
		return js.Value{}, js.Value{}, err
	}
	// The request's promise rejects only when the callback never ran (once it ran, the
	// promise follows held, which only resolves), so both Funcs go once it has.
	request.Call("then", nil, catch)
	settle := func(o outcome) (js.Value, js.Value, error) {
		callback.Release()
		catch.Release()
		switch {
		case o.err != nil:
			return js.Value{}, js.Value{}, fmt.Errorf("lock request: %w", o.err)
		case !o.granted:
			return js.Value{}, js.Value{}, fmt.Errorf("%w: database %q is open in another tab or worker", store.ErrLocked, name)
		}
		return resolve, request, nil
	}
	select {
	case o := <-done:
		return settle(o)
	case <-ctx.Done():
		go func() { // a lock granted after all is released at once
			if o := <-done; o.granted {
				resolve.Invoke()
			}
			settle(outcome{})
		}()
		return js.Value{}, js.Value{}, ctx.Err()
	}
}

// listen calls onTakeover (once, on its own goroutine) when another opener asks for the
// database.
func (l *ownerLock) listen(onTakeover func()) {
	fired := false
	l.onMessage = js.FuncOf(func(_ js.Value, args []js.Value) any {
		if !fired && args[0].Get("data").String() == takeoverMessage {
			fired = true
			go onTakeover()
		}
		return nil
	})
	l.channel.Set("onmessage", l.onMessage)
}

// unlock releases the lock, stops listening, and returns once the lock is free, so that
// an Open right after a Close finds it so.
func (l *ownerLock) unlock() {
	l.release.Invoke()
	l.channel.Call("close")
	if l.onMessage.Truthy() {
		l.onMessage.Release()
	}
	awaitPromise(context.Background(), l.released)
}
