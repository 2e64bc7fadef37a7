package core

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/store"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Streams run on core/api Subscriptions, one per kind (group messages, welcomes), which
// reconnect with backoff and resume from per-topic cursors. Every delivered message goes
// through the same processing as Sync, under the same locks, so a stream never shows what
// sync would not store, and a message both stream and sync see is processed once.

// Stream is a live sequence of conversations or messages. Next blocks for the next one; Close
// (idempotent) ends it.
type Stream[T any] struct {
	out    chan T
	done   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup

	once sync.Once
	err  error // why the stream ended, set before done is closed
}

func newStream[T any](ctx context.Context) (*Stream[T], context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Stream[T]{out: make(chan T), done: make(chan struct{}), cancel: cancel}, ctx
}

// Next returns the next item, or the error that ended the stream (ErrClosed after Close).
func (s *Stream[T]) Next(ctx context.Context) (T, error) {
	var zero T
	select {
	case v := <-s.out:
		return v, nil
	case <-s.done:
		return zero, s.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// Close ends the stream and waits for its goroutines.
func (s *Stream[T]) Close() error {
	s.end(ErrClosed)
	s.wg.Wait()
	return nil
}

func (s *Stream[T]) end(err error) {
	s.once.Do(func() {
		s.err = err
		s.cancel()
		close(s.done)
	})
}

// emit hands v to the reader; false once the stream has ended.
func (s *Stream[T]) emit(v T) bool {
	select {
	case s.out <- v:
		return true
	case <-s.done:
		return false
	}
}

// run starts a goroutine of the stream; its error, unless the stream was closed, ends it.
func (s *Stream[T]) run(f func() error) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := f(); err != nil {
			s.end(err)
		}
	}()
}

// StreamConversations delivers each group or DM this installation joins from now on, whether
// the stream's own welcome subscription or a Sync brought its welcome.
func (cv *Conversations) StreamConversations(ctx context.Context) (*Stream[*Group], error) {
	s, ctx := newStream[*Group](ctx)
	joined, stop := cv.watchJoins()
	welcomes, err := cv.welcomeSubscription(ctx)
	if err != nil {
		stop()
		s.end(err)
		return nil, err
	}
	s.run(func() error {
		defer welcomes.Close()
		return cv.followWelcomes(ctx, welcomes)
	})
	s.run(func() error {
		defer stop()
		for {
			g, ok := joined.pop(ctx)
			if !ok {
				return nil
			}
			if g.ConversationType().Listed() && !s.emit(g) {
				return nil
			}
		}
	})
	return s, nil
}

// StreamAllMessages delivers every new message of every listed conversation, including the
// conversations joined while it runs (hidden ones are followed too, so their commits keep
// flowing, but not shown). Own messages are not repeated.
func (cv *Conversations) StreamAllMessages(ctx context.Context) (*Stream[*Message], error) {
	s, ctx := newStream[*Message](ctx)
	joined, stop := cv.watchJoins()
	fail := func(err error) (*Stream[*Message], error) {
		stop()
		s.end(err)
		return nil, err
	}
	welcomes, err := cv.welcomeSubscription(ctx)
	if err != nil {
		return fail(err)
	}
	groups := api.GroupMessages(ctx, cv.c.opts.API, api.Options{})
	recs, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{})
	if err != nil {
		welcomes.Close()
		groups.Close()
		return fail(fmt.Errorf("stream all messages: %w", err))
	}
	for _, r := range recs {
		g, err := cv.load(ctx, r.Value)
		if err != nil {
			welcomes.Close()
			groups.Close()
			return fail(err)
		}
		groups.Add(g.filter())
	}
	s.run(func() error {
		defer welcomes.Close()
		return cv.followWelcomes(ctx, welcomes)
	})
	s.run(func() error {
		defer stop()
		for {
			g, ok := joined.pop(ctx)
			if !ok {
				return nil
			}
			groups.Add(g.filter())
		}
	})
	s.run(func() error {
		defer groups.Close()
		return cv.followGroups(ctx, groups, s.emit)
	})
	return s, nil
}

// Stream delivers the group's new messages.
func (g *Group) Stream(ctx context.Context) (*Stream[*Message], error) {
	s, ctx := newStream[*Message](ctx)
	sub := api.GroupMessages(ctx, g.c.opts.API, api.Options{})
	sub.Add(g.filter())
	s.run(func() error {
		defer sub.Close()
		return g.c.conversations.followGroups(ctx, sub, s.emit)
	})
	return s, nil
}

func (g *Group) filter() api.Filter {
	g.mu.Lock()
	defer g.mu.Unlock()
	return api.Filter{Key: clone(g.id), Cursor: g.rec.Cursor}
}

func (cv *Conversations) welcomeSubscription(ctx context.Context) (*api.Subscription[*mlsv1.WelcomeMessage], error) {
	cursor, err := cv.welcomeCursor(ctx)
	if err != nil {
		return nil, err
	}
	sub := api.WelcomeMessages(ctx, cv.c.opts.API, api.Options{})
	sub.Add(api.Filter{Key: cv.c.InstallationID(), Cursor: cursor})
	return sub, nil
}

// followWelcomes joins the group of each streamed welcome; watchers hear of it.
func (cv *Conversations) followWelcomes(ctx context.Context, sub *api.Subscription[*mlsv1.WelcomeMessage]) error {
	for {
		w, err := sub.Recv()
		if err != nil {
			return streamEnd(ctx, err)
		}
		if err := cv.processStreamedWelcome(ctx, w); err != nil {
			return err
		}
	}
}

// processStreamedWelcome is one step of Sync for a welcome the stream delivered, skipped
// when a concurrent Sync has already processed it.
func (cv *Conversations) processStreamedWelcome(ctx context.Context, w *mlsv1.WelcomeMessage) error {
	cv.joinMu.Lock()
	defer cv.joinMu.Unlock()
	cursor, err := cv.welcomeCursor(ctx)
	if err != nil {
		return err
	}
	if _, id := api.WelcomeMessageTopic(w); id <= cursor {
		return nil
	}
	g, _, err := cv.processWelcome(ctx, w)
	if err != nil || g == nil {
		return err
	}
	return cv.c.maintainKeyPackages(ctx)
}

// joinQueue collects the groups joined while a stream runs; pushing never blocks, so welcome
// processing never waits for a stream's reader.
type joinQueue struct {
	mu     sync.Mutex
	groups []*Group
	ready  chan struct{} // holds a token while groups is not empty
}

func (q *joinQueue) push(g *Group) {
	q.mu.Lock()
	q.groups = append(q.groups, g)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the next joined group; false once ctx is done.
func (q *joinQueue) pop(ctx context.Context) (*Group, bool) {
	for {
		q.mu.Lock()
		if len(q.groups) > 0 {
			g := q.groups[0]
			q.groups = q.groups[1:]
			q.mu.Unlock()
			return g, true
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// watchJoins returns a queue of every group joined from now on, by Sync or by any stream,
// and the function that stops filling it.
func (cv *Conversations) watchJoins() (*joinQueue, func()) {
	q := &joinQueue{ready: make(chan struct{}, 1)}
	cv.mu.Lock()
	cv.watchers[q] = struct{}{}
	cv.mu.Unlock()
	return q, func() {
		cv.mu.Lock()
		delete(cv.watchers, q)
		cv.mu.Unlock()
	}
}

// joined tells the watchers of a group just joined.
func (cv *Conversations) joined(g *Group) {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	for q := range cv.watchers {
		q.push(g)
	}
}

// followGroups processes each streamed group message and hands the messages it stored in
// listed conversations to emit until it returns false.
func (cv *Conversations) followGroups(ctx context.Context, sub *api.Subscription[*mlsv1.GroupMessage], emit func(*Message) bool) error {
	for {
		m, err := sub.Recv()
		if err != nil {
			return streamEnd(ctx, err)
		}
		groupID, _ := api.GroupMessageTopic(m)
		g, err := cv.load(ctx, groupID)
		if err != nil {
			return err
		}
		msgs, err := g.processStreamed(ctx, m)
		if err != nil {
			return err
		}
		for _, msg := range msgs {
			if !emit(msg) {
				return nil
			}
		}
	}
}

// processStreamed processes one message as sync does and returns what it stored.
func (g *Group) processStreamed(ctx context.Context, m *mlsv1.GroupMessage) ([]*Message, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	first := g.rec.NextMessageSeq
	requeued, err := g.process(ctx, m)
	if err != nil {
		return nil, err
	}
	if requeued {
		if err := g.publishIntents(ctx); err != nil {
			return nil, err
		}
	}
	if !g.rec.Type.Listed() || g.rec.NextMessageSeq == first {
		return nil, nil
	}
	recs, err := g.c.opts.Store.Scan(ctx, tableMessages, g.id, store.Range{From: first, To: g.rec.NextMessageSeq})
	if err != nil {
		return nil, fmt.Errorf("group %x: streamed messages: %w", g.id, err)
	}
	out := make([]*Message, 0, len(recs))
	for _, r := range recs {
		rec, err := decodeMessageRecord(r.Value)
		if err != nil {
			return nil, err
		}
		msg, err := g.message(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, msg)
	}
	return out, nil
}

// streamEnd turns the subscription's final error into the stream's: nil when the stream's
// own context ended it (Close), the error otherwise.
func streamEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil && (errors.Is(err, api.ErrCanceled) || errors.Is(err, context.Canceled)) {
		return nil
	}
	return fmt.Errorf("stream: %w", err)
}
