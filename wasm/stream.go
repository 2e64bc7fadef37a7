//go:build js && wasm

package main

import (
	"context"
	"slices"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
)

// A stream crosses to JS as a handle of its own, a child of its client's, and a sink: a JS
// function called with {value}, or {error: {name, code, message}} when the stream fails;
// closing the handle (or the client) stops it. Each value waits for the sink's promise
// before the next is read, so values arrive in order and the worker's round trip to the
// page holds the stream back instead of queueing without bound. However many streams a page
// opens, they share their client's two subscriptions (core/subscriptions.go), so a client
// holds at most two WebSockets to the node.

// stream is what core's streams have in common.
type stream[T any] interface {
	Next(ctx context.Context) (T, error)
	Close() error
}

// openStream starts a stream with start, under the client handle of the calling method
// (ctx is that handle's context), delivering each item converted by value to the sink at
// args[sinkAt]; items value converts to nil are skipped. It resolves with the stream's
// handle.
func openStream[T any, S stream[T]](ctx context.Context, args []js.Value, sinkAt int, start func(context.Context) (S, error), value func(T) object) (any, error) {
	sink, err := funcArg(args, sinkAt, "sink")
	if err != nil {
		return nil, err
	}
	parent := handleOf(ctx)
	s, err := start(parent.ctx)
	if err != nil {
		return nil, err
	}
	h, err := open(parent, nil, func() { s.Close() })
	if err != nil {
		return nil, err
	}
	go func() {
		defer h.close()
		err := recovered(func() error { return pump(h.ctx, s, sink, value) })
		if err != nil && h.ctx.Err() == nil {
			invoke(sink, toJS(object{"error": errorFields(err)}))
		}
	}()
	return h.ref(nil), nil
}

// pump hands each item of s to sink until s fails (its error is returned) or the sink
// does (the page let go of the stream; nil is returned).
func pump[T any](ctx context.Context, s stream[T], sink js.Value, value func(T) object) error {
	for {
		v, err := s.Next(ctx)
		if err != nil {
			return err
		}
		o := value(v)
		if o == nil {
			continue
		}
		p, err := invoke(sink, toJS(object{"value": o}))
		if err != nil {
			return nil
		}
		if _, err := await(ctx, p); err != nil {
			return nil
		}
	}
}

// streamMethods are the client's conversation streams.
func streamMethods(c *core.Client) map[string]method {
	cv := c.Conversations()
	return map[string]method{
		// streamAllMessages(options, sink): options filter by conversationType and
		// consentStates, as browser-sdk's do.
		"conversations.streamAllMessages": func(ctx context.Context, args []js.Value) (any, error) {
			opts, err := listOptions(args, 0)
			if err != nil {
				return nil, err
			}
			keep := func(m *core.Message) bool {
				if opts.ConversationType == 0 && len(opts.ConsentStates) == 0 {
					return true
				}
				g, err := cv.GetConversationByID(ctx, m.GroupID)
				return err == nil &&
					(opts.ConversationType == 0 || g.ConversationType() == opts.ConversationType) &&
					(len(opts.ConsentStates) == 0 || slices.Contains(opts.ConsentStates, g.ConsentState()))
			}
			return openStream(ctx, args, 1, cv.StreamAllMessages, func(m *core.Message) object {
				if !keep(m) {
					return nil
				}
				return messageValue(m)
			})
		},
		"conversations.stream": func(ctx context.Context, args []js.Value) (any, error) {
			return openStream(ctx, args, 0, cv.StreamConversations, func(g *core.Group) object {
				return conversationInfo(c, g)
			})
		},
	}
}
