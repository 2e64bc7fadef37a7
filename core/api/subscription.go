package api

import (
	"context"
	"sync"
	"time"

	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Filter is one topic of a subscription: a group id (group messages) or an installation key
// (welcomes), and the id of the last message already seen on it, 0 for its whole history.
type Filter struct {
	Key    []byte
	Cursor uint64
}

// Opener opens one server stream over a set of filters.
type Opener[T any] func(ctx context.Context, filters []Filter) (Stream[T], error)

// Options tune a Subscription.
type Options struct {
	// Backoff spaces reconnection attempts.
	Backoff Backoff
	// OnRetry, when set, hears of each failure the subscription recovers from and how long
	// it waits before reopening, so streams never die or stall silently.
	OnRetry func(err error, wait time.Duration)
}

// Subscription multiplexes every topic a client follows of one kind (all its groups, or
// its installations' welcomes) on a single server stream, and keeps it alive: it is a Stream
// that reconnects with backoff after retryable failures, reopens with per-topic cursors when
// topics are added, and drops what it already delivered, so the caller sees each message of
// each topic once, in id order, without gaps.
//
// One stream per kind is what keeps a browser under its six-connections-per-origin limit
// however many conversations the client has (issue 8 item 2); core shares one Subscription
// per kind among all of a client's streams.
type Subscription[T any] struct {
	ctx    context.Context
	cancel context.CancelFunc
	open   Opener[T]
	ident  func(T) (key []byte, id uint64)
	opts   Options

	mu      sync.Mutex
	cursors map[string]uint64 // per topic, the id of the last message delivered
	gen     uint64            // bumped on every change of the topic set
	removed map[string]bool   // topics removed in place from the open stream
	changed chan struct{}     // closed and replaced on every change; wakes an idle Recv
	attempt int               // failures since the last delivered message

	// The open stream (only Recv's goroutine sets it), the gen it was opened for, and
	// the cancel of its context, which Add, Remove and Close use to interrupt it.
	stream     Stream[T]
	streamGen  uint64
	stopStream context.CancelFunc
}

// NewSubscription returns a subscription with no topics; it opens its stream on the first
// Recv after topics are added, and ends when ctx is done or Close is called. ident names a
// message's topic key and id.
func NewSubscription[T any](ctx context.Context, open Opener[T], ident func(T) (key []byte, id uint64), opts Options) *Subscription[T] {
	ctx, cancel := context.WithCancel(ctx)
	return &Subscription[T]{
		ctx: ctx, cancel: cancel, open: open, ident: ident, opts: opts,
		cursors: make(map[string]uint64),
		changed: make(chan struct{}),
	}
}

// GroupMessages subscribes to the group messages of the groups added to it.
func GroupMessages(ctx context.Context, a MLS, opts Options) *Subscription[*mlsv1.GroupMessage] {
	open := func(ctx context.Context, filters []Filter) (Stream[*mlsv1.GroupMessage], error) {
		req := &mlsv1.SubscribeGroupMessagesRequest{}
		for _, f := range filters {
			req.Filters = append(req.Filters, &mlsv1.SubscribeGroupMessagesRequest_Filter{GroupId: f.Key, IdCursor: f.Cursor})
		}
		return a.SubscribeGroupMessages(ctx, req)
	}
	return NewSubscription(ctx, open, GroupMessageTopic, opts)
}

// WelcomeMessages subscribes to the welcomes of the installation keys added to it.
func WelcomeMessages(ctx context.Context, a MLS, opts Options) *Subscription[*mlsv1.WelcomeMessage] {
	open := func(ctx context.Context, filters []Filter) (Stream[*mlsv1.WelcomeMessage], error) {
		req := &mlsv1.SubscribeWelcomeMessagesRequest{}
		for _, f := range filters {
			req.Filters = append(req.Filters, &mlsv1.SubscribeWelcomeMessagesRequest_Filter{InstallationKey: f.Key, IdCursor: f.Cursor})
		}
		return a.SubscribeWelcomeMessages(ctx, req)
	}
	return NewSubscription(ctx, open, WelcomeMessageTopic, opts)
}

// GroupMessageTopic returns a group message's group id and id.
func GroupMessageTopic(m *mlsv1.GroupMessage) ([]byte, uint64) {
	v := m.GetV1()
	return v.GetGroupId(), v.GetId()
}

// WelcomeMessageTopic returns a welcome's installation key and id, for both versions.
func WelcomeMessageTopic(m *mlsv1.WelcomeMessage) ([]byte, uint64) {
	if p := m.GetWelcomePointer(); p != nil {
		return p.GetInstallationKey(), p.GetId()
	}
	v := m.GetV1()
	return v.GetInstallationKey(), v.GetId()
}

// Add follows more topics, each from its cursor. A topic already followed keeps the larger
// of its cursors. When the set grows, the open stream takes the new topics in place if it
// is Mutable, and is otherwise replaced by one over the new set (the node replays each
// topic from its cursor, so nothing is lost in the switch).
func (s *Subscription[T]) Add(filters ...Filter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var added []Filter
	readded := false
	for _, f := range filters {
		k := string(f.Key)
		cur, ok := s.cursors[k]
		c := max(cur, f.Cursor)
		s.cursors[k] = c
		if !ok {
			added = append(added, Filter{Key: f.Key, Cursor: c})
			readded = readded || s.removed[k]
		}
	}
	// A topic removed in place may still have messages in flight on the open stream, newer
	// than the cursor it comes back with: taken in place, they would pass the cursor and hide
	// the replay before them. It comes back on a new stream instead.
	if len(added) > 0 && (readded || !s.mutateLocked(func(m Mutable) error { return m.Add(added) })) {
		s.changedLocked()
	}
}

// Remove stops following topics; their messages still in flight are dropped.
func (s *Subscription[T]) Remove(keys ...[]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var removed [][]byte
	for _, k := range keys {
		if _, ok := s.cursors[string(k)]; ok {
			delete(s.cursors, string(k))
			removed = append(removed, k)
		}
	}
	if len(removed) == 0 {
		return
	}
	if !s.mutateLocked(func(m Mutable) error { return m.Remove(removed) }) {
		s.changedLocked()
		return
	}
	for _, k := range removed {
		s.removed[string(k)] = true
	}
}

// mutateLocked applies a change of topics to the open stream in place, and reports whether
// it could: the stream must be Mutable, current, and accept the change.
func (s *Subscription[T]) mutateLocked(change func(Mutable) error) bool {
	m, ok := s.stream.(Mutable)
	return ok && s.streamGen == s.gen && change(m) == nil
}

// changedLocked marks the topic set changed: the open stream is interrupted so Recv reopens
// it over the new set, and a Recv waiting for topics wakes up.
func (s *Subscription[T]) changedLocked() {
	s.gen++
	if s.stopStream != nil {
		s.stopStream()
	}
	close(s.changed)
	s.changed = make(chan struct{})
}

// Recv returns the next message not delivered before, reconnecting as needed. It blocks
// while no topic is followed. It fails only with a final error (see Retryable), or with
// ErrCanceled or ErrDeadlineExceeded once the subscription's context is done.
func (s *Subscription[T]) Recv() (T, error) {
	var zero T
	for {
		st, gen, err := s.connect()
		if err != nil {
			return zero, err
		}
		msg, err := st.Recv()
		if err == nil {
			if s.accept(msg, gen) {
				return msg, nil
			}
			continue
		}
		if s.ctx.Err() != nil {
			return zero, FromContext(s.ctx.Err())
		}
		s.mu.Lock()
		stale := s.gen != gen
		s.mu.Unlock()
		if stale {
			continue // interrupted by a change of topics: connect reopens at once
		}
		s.drop()
		if !Retryable(err) {
			return zero, err
		}
		if err := s.wait(err); err != nil {
			return zero, err
		}
	}
}

// connect returns the stream for the current topic set, opening it (with backoff after
// failures) when there is none or the set changed since it was opened.
func (s *Subscription[T]) connect() (Stream[T], uint64, error) {
	for {
		s.mu.Lock()
		if s.stream != nil && s.streamGen == s.gen {
			st, gen := s.stream, s.streamGen
			s.mu.Unlock()
			return st, gen, nil
		}
		if s.stream != nil {
			s.mu.Unlock()
			s.drop()
			continue
		}
		if len(s.cursors) == 0 {
			changed := s.changed
			s.mu.Unlock()
			select {
			case <-changed:
				continue
			case <-s.ctx.Done():
				return nil, 0, FromContext(s.ctx.Err())
			}
		}
		filters := make([]Filter, 0, len(s.cursors))
		for k, c := range s.cursors {
			filters = append(filters, Filter{Key: []byte(k), Cursor: c})
		}
		gen := s.gen
		sctx, stop := context.WithCancel(s.ctx)
		s.mu.Unlock()

		st, err := s.open(sctx, filters)
		if err != nil {
			stop()
			if s.ctx.Err() != nil {
				return nil, 0, FromContext(s.ctx.Err())
			}
			if !Retryable(err) {
				return nil, 0, err
			}
			if err := s.wait(err); err != nil {
				return nil, 0, err
			}
			continue
		}
		s.mu.Lock()
		if s.gen != gen || s.ctx.Err() != nil {
			s.mu.Unlock() // the set changed or Close ran while opening: start over
			stop()
			st.Close()
			continue
		}
		s.stream, s.streamGen, s.stopStream = st, gen, stop
		s.removed = map[string]bool{}
		s.mu.Unlock()
		return st, gen, nil
	}
}

// accept records msg, read from the stream opened for gen, as delivered unless the topic set
// has changed since (the stream is replaced, and the new one replays each topic from its
// cursor), its topic is no longer followed, or its id is not past the topic's cursor (history
// replayed after a reconnect, or a node's duplicate).
func (s *Subscription[T]) accept(msg T, gen uint64) bool {
	key, id := s.ident(msg)
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.cursors[string(key)]
	if gen != s.gen || !ok || id <= cur {
		return false
	}
	s.cursors[string(key)] = id
	s.attempt = 0
	return true
}

// drop closes the open stream.
func (s *Subscription[T]) drop() {
	s.mu.Lock()
	st, stop := s.stream, s.stopStream
	s.stream, s.stopStream = nil, nil
	s.mu.Unlock()
	if st != nil {
		stop()
		st.Close()
	}
}

// wait sleeps before the next attempt after err, or until the subscription ends.
func (s *Subscription[T]) wait(err error) error {
	s.mu.Lock()
	attempt := s.attempt
	s.attempt++
	s.mu.Unlock()
	d := s.opts.Backoff.Delay(attempt, RetryAfter(err))
	if s.opts.OnRetry != nil {
		s.opts.OnRetry(err, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-s.ctx.Done():
		return FromContext(s.ctx.Err())
	}
}

// Close ends the subscription; a pending Recv returns ErrCanceled. It is safe to call more
// than once.
func (s *Subscription[T]) Close() error {
	s.cancel()
	s.drop()
	return nil
}
