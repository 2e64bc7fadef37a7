package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/store"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Streams have two halves. The client's two shared subscriptions (subscriptions.go: one per
// kind, whatever the number of streams, reconnecting with backoff and resuming from per-topic
// cursors) drive processing: every delivered message goes through the same code as Sync,
// under the same locks, once however many streams watch its group. What streams show comes from the store side:
// each group announces the messages it stored and the conversations it joined, whichever path
// (a stream, Sync, Send) stored them. So a stream never shows what sync would not store, and
// never misses what a concurrent Sync processed first.

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

// forward hands what q collects to the reader until the stream ends.
func (s *Stream[T]) forward(ctx context.Context, q *queue[T]) {
	s.run(func() error {
		for {
			v, ok := q.pop(ctx)
			if !ok {
				return nil
			}
			select {
			case s.out <- v:
			case <-s.done:
				return nil
			}
		}
	})
}

// queue collects items for one stream; pushing never blocks, so storing a message or joining
// a group never waits for a stream's reader.
type queue[T any] struct {
	mu    sync.Mutex
	items []T
	ready chan struct{} // holds a token while items is not empty
}

func newQueue[T any]() *queue[T] { return &queue[T]{ready: make(chan struct{}, 1)} }

func (q *queue[T]) push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pop returns the next item; false once ctx is done.
func (q *queue[T]) pop(ctx context.Context) (T, bool) {
	for {
		q.mu.Lock()
		if len(q.items) > 0 {
			v := q.items[0]
			q.items = q.items[1:]
			q.mu.Unlock()
			return v, true
		}
		q.mu.Unlock()
		select {
		case <-q.ready:
		case <-ctx.Done():
			var zero T
			return zero, false
		}
	}
}

// watchers are the queues of the running streams.
type watchers struct {
	followJoined func(*Group) // puts a group just joined on the shared subscription

	mu       sync.Mutex
	joins    map[*queue[*Group]]struct{}
	messages map[*queue[*Message]][]byte // group id, or nil for every listed conversation
}

func newWatchers(followJoined func(*Group)) *watchers {
	return &watchers{followJoined: followJoined, joins: map[*queue[*Group]]struct{}{}, messages: map[*queue[*Message]][]byte{}}
}

func (w *watchers) watchJoins() (*queue[*Group], func()) {
	q := newQueue[*Group]()
	w.mu.Lock()
	w.joins[q] = struct{}{}
	w.mu.Unlock()
	return q, func() {
		w.mu.Lock()
		delete(w.joins, q)
		w.mu.Unlock()
	}
}

func (w *watchers) watchMessages(groupID []byte) (*queue[*Message], func()) {
	q := newQueue[*Message]()
	w.mu.Lock()
	w.messages[q] = groupID
	w.mu.Unlock()
	return q, func() {
		w.mu.Lock()
		delete(w.messages, q)
		w.mu.Unlock()
	}
}

// joined tells the streams of a conversation just joined (or created), first following it
// on the shared group subscription if a StreamAllMessages runs.
func (w *watchers) joined(g *Group) {
	w.followJoined(g)
	w.mu.Lock()
	defer w.mu.Unlock()
	for q := range w.joins {
		q.push(g)
	}
}

// stored tells the streams of messages a listed conversation just stored.
func (w *watchers) stored(g *Group, recs []*messageRecord) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.messages) == 0 {
		return
	}
	for _, r := range recs {
		m, err := g.message(r)
		if err != nil {
			continue // stored content that does not parse is not shown anywhere
		}
		for q, id := range w.messages {
			if id == nil || bytes.Equal(id, g.id) {
				q.push(m)
			}
		}
	}
}

// StreamConversations delivers each group or DM this installation joins from now on, whether
// the client's welcome subscription or a Sync brought its welcome.
func (cv *Conversations) StreamConversations(ctx context.Context) (*Stream[*Group], error) {
	s, ctx := newStream[*Group](ctx)
	joined, stop := cv.watch.watchJoins()
	leave, err := cv.subs.attachWelcomes(ctx, s.end)
	if err != nil {
		stop()
		s.end(err)
		return nil, err
	}
	listed := newQueue[*Group]()
	s.run(func() error {
		defer leave()
		defer stop()
		for {
			g, ok := joined.pop(ctx)
			if !ok {
				return nil
			}
			if g.ConversationType().Listed() {
				listed.push(g)
			}
		}
	})
	s.forward(ctx, listed)
	return s, nil
}

// StreamAllMessages delivers every message stored from now on in a listed conversation,
// including this installation's own sends and the conversations joined while it runs (hidden
// ones are followed too, so their commits keep flowing, but not shown).
func (cv *Conversations) StreamAllMessages(ctx context.Context) (*Stream[*Message], error) {
	s, ctx := newStream[*Message](ctx)
	messages, stop := cv.watch.watchMessages(nil)
	leaveWelcomes, err := cv.subs.attachWelcomes(ctx, s.end)
	if err != nil {
		stop()
		s.end(err)
		return nil, err
	}
	leaveGroups, err := cv.subs.attachAll(ctx, s.end)
	if err != nil {
		leaveWelcomes()
		stop()
		s.end(err)
		return nil, err
	}
	s.run(func() error {
		<-ctx.Done()
		leaveGroups()
		leaveWelcomes()
		stop()
		return nil
	})
	s.forward(ctx, messages)
	return s, nil
}

// Stream delivers the messages the group stores from now on, own sends included.
func (g *Group) Stream(ctx context.Context) (*Stream[*Message], error) {
	s, ctx := newStream[*Message](ctx)
	messages, stop := g.c.conversations.watch.watchMessages(clone(g.id))
	leave, err := g.c.conversations.subs.attachGroup(g, s.end)
	if err != nil {
		stop()
		s.end(err)
		return nil, err
	}
	s.run(func() error {
		<-ctx.Done()
		leave()
		stop()
		return nil
	})
	s.forward(ctx, messages)
	return s, nil
}

func (g *Group) filter() api.Filter {
	g.mu.Lock()
	defer g.mu.Unlock()
	return api.Filter{Key: clone(g.id), Cursor: g.rec.Cursor}
}

// groupFilters lists every group the client holds, each from its stored cursor.
func (cv *Conversations) groupFilters(ctx context.Context) ([]api.Filter, error) {
	recs, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{})
	if err != nil {
		return nil, err
	}
	filters := make([]api.Filter, 0, len(recs))
	for _, r := range recs {
		g, err := cv.load(ctx, r.Value)
		if err != nil {
			return nil, err
		}
		filters = append(filters, g.filter())
	}
	return filters, nil
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

// followGroups processes each streamed group message as sync does.
func (cv *Conversations) followGroups(ctx context.Context, sub *api.Subscription[*mlsv1.GroupMessage]) error {
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
		if err := g.processStreamed(ctx, m); err != nil {
			return err
		}
	}
}

// processStreamed processes one message as sync does, publishing again a commit of ours that
// the message made lose its epoch.
func (g *Group) processStreamed(ctx context.Context, m *mlsv1.GroupMessage) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	requeued, err := g.process(ctx, m)
	if err != nil || !requeued {
		return err
	}
	return g.publishIntents(ctx)
}

// streamEnd turns the subscription's final error into the stream's: nil when the stream's
// own context ended it (Close), the error otherwise.
func streamEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil && (errors.Is(err, api.ErrCanceled) || errors.Is(err, context.Canceled)) {
		return nil
	}
	return fmt.Errorf("stream: %w", err)
}
