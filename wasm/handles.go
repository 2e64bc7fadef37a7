//go:build js && wasm

package main

import (
	"context"
	"errors"
	"sync"
	"syscall/js"
)

// The bridge hands JS numbered handles instead of Go objects, and JS calls a method of a
// handle by number through one dispatcher (call). That keeps the Go side free of per-object
// js.Funcs to release, and it is what the worker RPC forwards unchanged. Conversations
// and groups are not handles: they are addressed through their client by id, so listing a
// thousand of them leaves nothing to close.

// method is one method of a handle. It runs on its own goroutine with the handle's context,
// which ends when the handle closes.
type method func(ctx context.Context, args []js.Value) (any, error)

// handle is an open Go object: a client or a stream.
type handle struct {
	id      int
	ctx     context.Context
	cancel  context.CancelFunc
	methods map[string]method
	// onClose releases what the handle holds, after its calls have returned.
	onClose func()

	mu       sync.Mutex
	closed   bool
	inflight sync.WaitGroup
	children map[*handle]struct{}
	parent   *handle
}

// handles holds every open handle by number; 0 is the module itself.
var handles = struct {
	sync.Mutex
	next int
	m    map[int]*handle
}{m: map[int]*handle{}}

// open registers a handle of methods under parent (nil for the module's root). Closing the
// parent closes it too; its context is a child of the parent's. A parent that closed
// already fails with errClosed and onClose runs at once.
func open(parent *handle, methods map[string]method, onClose func()) (*handle, error) {
	base := context.Background()
	if parent != nil {
		base = parent.ctx
	}
	h := &handle{methods: methods, onClose: onClose, parent: parent, children: map[*handle]struct{}{}}
	h.ctx, h.cancel = context.WithCancel(context.WithValue(base, handleKey{}, h))
	if parent != nil {
		parent.mu.Lock()
		if parent.closed {
			parent.mu.Unlock()
			h.cancel()
			if onClose != nil {
				onClose()
			}
			return nil, errClosed
		}
		parent.children[h] = struct{}{}
		parent.mu.Unlock()
	}
	handles.Lock()
	h.id = handles.next
	handles.next++
	handles.m[h.id] = h
	handles.Unlock()
	return h, nil
}

type handleKey struct{}

// handleOf returns the handle whose method runs with ctx, so that a method can open a
// child handle (a client's stream).
func handleOf(ctx context.Context) *handle { return ctx.Value(handleKey{}).(*handle) }

// ref is how a new handle crosses to JS: its number plus the properties JS shows at once.
func (h *handle) ref(props object) object {
	out := object{"handle": h.id}
	for k, v := range props {
		out[k] = v
	}
	return out
}

// run calls one method, unless the handle is closed; close waits for it to return.
func (h *handle) run(name string, args []js.Value) (any, error) {
	m, ok := h.methods[name]
	if !ok {
		return nil, errUnknownMethod.Wrap(errors.New(name))
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, errClosed
	}
	h.inflight.Add(1)
	h.mu.Unlock()
	defer h.inflight.Done()
	return m(h.ctx, args)
}

// close cancels the handle's work, closes its children, waits for its calls to return and
// releases what it holds. Only the first call does anything.
func (h *handle) close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	children := h.children
	h.children = nil
	h.mu.Unlock()

	h.cancel()
	for c := range children {
		c.close()
	}
	h.inflight.Wait()
	if h.onClose != nil {
		h.onClose()
	}
	handles.Lock()
	delete(handles.m, h.id)
	handles.Unlock()
	if p := h.parent; p != nil {
		p.mu.Lock()
		delete(p.children, h)
		p.mu.Unlock()
	}
}

func lookup(id js.Value) (*handle, error) {
	if typeOf(id) != js.TypeNumber {
		return nil, badArgument("handle must be a number")
	}
	handles.Lock()
	defer handles.Unlock()
	h, ok := handles.m[id.Int()]
	if !ok {
		return nil, errClosed
	}
	return h, nil
}

// dispatcher is the module's call(handle, method, ...args): a promise of the method's result.
func dispatcher(_ js.Value, args []js.Value) any {
	return newPromise(func() (any, error) {
		h, err := lookup(arg(args, 0))
		if err != nil {
			return nil, err
		}
		name, err := stringArg(args, 1, "method")
		if err != nil {
			return nil, err
		}
		return h.run(name, args[2:])
	})
}

// closer is the module's close(handle): it resolves once the handle is closed. Closing a
// closed handle, or the module's root, resolves at once.
func closer(_ js.Value, args []js.Value) any {
	return newPromise(func() (any, error) {
		h, err := lookup(arg(args, 0))
		if err != nil || h.id == 0 {
			return nil, nil
		}
		h.close()
		return nil, nil
	})
}
