package core

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// A client holds at most one group-message and one welcome subscription, however many streams
// it runs (issue 8 item 2): a browser gets one WebSocket per kind instead of one per stream,
// and each delivered message is processed once, not once per stream watching its group.
// Streams attach to the shared subscription they need and detach when they end; the group
// subscription follows the union of their groups (every group for StreamAllMessages, one for
// Group.Stream), adding and removing topics as that set changes. api.Subscription resumes each
// topic from its own cursor when it reopens, and processing under the group lock skips what
// the group's stored cursor has passed, so changing the set neither loses nor repeats a message.

// subscriptions are a client's two shared subscriptions. Each opens with its first stream and
// closes with its last one, or with the client.
type subscriptions struct {
	cv *Conversations

	mu       sync.Mutex
	closed   bool
	groups   *feed[*mlsv1.GroupMessage]   // nil while no stream needs group messages
	welcomes *feed[*mlsv1.WelcomeMessage] // nil while no stream needs welcomes

	// What the streams attached to the current group feed follow.
	all    int                 // StreamAllMessages: every group the client holds or joins
	refs   map[string]int      // Group.Stream, per group id
	topics map[string]struct{} // the group ids the feed's subscription follows
}

func newSubscriptions(cv *Conversations) *subscriptions { return &subscriptions{cv: cv} }

// feed is one open subscription, the goroutine that processes what it delivers, and the
// streams attached to it. A feed that fails ends its streams with the error; the next stream
// to attach opens a fresh one.
type feed[T any] struct {
	sub     *api.Subscription[T]
	cancel  context.CancelFunc // ends the subscription and the processing of its messages
	done    chan struct{}      // closed once the goroutine has returned
	streams map[*attached]struct{}
}

// attached is one stream on a feed.
type attached struct {
	end   func(error) // ends the stream when the feed fails or the client closes
	group string      // on the group feed: the group a Group.Stream follows, "" for all
}

// openFeed starts a feed whose goroutine runs follow over the subscription newSub makes
// (api.GroupMessages or api.WelcomeMessages). The feed's context is its own, not a stream's:
// it outlives the stream that opened it. current is the field of ss that holds the feed,
// cleared when the feed fails.
func openFeed[T any](ss *subscriptions, current **feed[T], newSub func(context.Context, api.MLS, api.Options) *api.Subscription[T], follow func(context.Context, *api.Subscription[T]) error) *feed[T] {
	ctx, cancel := context.WithCancel(context.Background())
	f := &feed[T]{sub: newSub(ctx, ss.cv.c.opts.API, api.Options{}), cancel: cancel, done: make(chan struct{}), streams: map[*attached]struct{}{}}
	go func() {
		defer close(f.done)
		err := follow(ctx, f.sub)
		closing := ctx.Err() != nil
		cancel()
		f.sub.Close()
		if err == nil || closing {
			return // closed because no stream needs it any more
		}
		ss.mu.Lock()
		if *current == f {
			*current = nil
		}
		streams := f.takeStreamsLocked()
		ss.mu.Unlock()
		for a := range streams {
			a.end(err)
		}
	}()
	return f
}

// attachLocked adds a stream to f, which must be current.
func (f *feed[T]) attachLocked(a *attached) { f.streams[a] = struct{}{} }

// takeStreamsLocked returns f's streams, to end outside the lock, leaving f none.
func (f *feed[T]) takeStreamsLocked() map[*attached]struct{} {
	streams := f.streams
	f.streams = map[*attached]struct{}{}
	return streams
}

// stop ends streams with ErrClosed and closes f, waiting for its goroutine.
func (f *feed[T]) stop(streams map[*attached]struct{}) {
	for a := range streams {
		a.end(ErrClosed)
	}
	f.cancel()
	<-f.done
}

// detachFeed takes a off f and closes f when it was the last stream of the current feed,
// waiting until nothing f delivered is being processed. forget updates the bookkeeping of
// the current feed; it runs under ss.mu.
func detachFeed[T any](ss *subscriptions, current **feed[T], f *feed[T], a *attached, forget func()) {
	ss.mu.Lock()
	delete(f.streams, a)
	last := false
	if *current == f {
		forget()
		if len(f.streams) == 0 {
			*current, last = nil, true
		}
	}
	ss.mu.Unlock()
	if last {
		f.cancel()
		<-f.done
	}
}

// attachWelcomes attaches a stream, ended by end, to the welcome subscription, opening it from
// the stored welcome cursor if it is not open. The returned func detaches it.
func (ss *subscriptions) attachWelcomes(ctx context.Context, end func(error)) (func(), error) {
	cursor, err := ss.cv.welcomeCursor(ctx)
	if err != nil {
		return nil, err
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return nil, ErrClosed
	}
	if ss.welcomes == nil {
		ss.welcomes = openFeed(ss, &ss.welcomes, api.WelcomeMessages, ss.cv.followWelcomes)
		ss.welcomes.sub.Add(api.Filter{Key: ss.cv.c.InstallationID(), Cursor: cursor})
	}
	f, a := ss.welcomes, &attached{end: end}
	f.attachLocked(a)
	return func() { detachFeed(ss, &ss.welcomes, f, a, func() {}) }, nil
}

// attachGroup attaches a Group.Stream of g, ended by end, to the group subscription, which
// follows g from its stored cursor while a stream needs it. The returned func detaches it.
func (ss *subscriptions) attachGroup(g *Group, end func(error)) (func(), error) {
	filter := g.filter()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	f, err := ss.groupFeedLocked()
	if err != nil {
		return nil, err
	}
	a := &attached{end: end, group: string(g.id)}
	f.attachLocked(a)
	ss.refs[a.group]++
	ss.followLocked(filter)
	return func() { ss.detachGroups(f, a) }, nil
}

// attachAll attaches a StreamAllMessages, ended by end, to the group subscription, which
// follows every group the client holds, and every group it joins or creates while a stream
// needs them. The returned func detaches it.
func (ss *subscriptions) attachAll(ctx context.Context, end func(error)) (func(), error) {
	ss.mu.Lock()
	f, err := ss.groupFeedLocked()
	if err != nil {
		ss.mu.Unlock()
		return nil, err
	}
	a := &attached{end: end}
	f.attachLocked(a)
	ss.all++ // from here on joined adds each new group, so none falls between it and the scan
	ss.mu.Unlock()
	undo := func() { ss.detachGroups(f, a) }

	filters, err := ss.cv.groupFilters(ctx)
	if err != nil {
		undo()
		return nil, fmt.Errorf("stream all messages: %w", err)
	}
	ss.mu.Lock()
	if ss.groups == f {
		ss.followLocked(filters...)
	}
	ss.mu.Unlock()
	return undo, nil
}

// groupFeedLocked returns the group feed, opening it (with no topics) if no stream has.
func (ss *subscriptions) groupFeedLocked() (*feed[*mlsv1.GroupMessage], error) {
	if ss.closed {
		return nil, ErrClosed
	}
	if ss.groups == nil {
		ss.groups = openFeed(ss, &ss.groups, api.GroupMessages, ss.cv.followGroups)
		ss.all, ss.refs, ss.topics = 0, map[string]int{}, map[string]struct{}{}
	}
	return ss.groups, nil
}

// detachGroups takes a stream off the group feed f, and its groups off the subscription
// when no other stream needs them.
func (ss *subscriptions) detachGroups(f *feed[*mlsv1.GroupMessage], a *attached) {
	detachFeed(ss, &ss.groups, f, a, func() {
		if a.group != "" {
			ss.refs[a.group]--
			if ss.refs[a.group] == 0 {
				delete(ss.refs, a.group)
			}
			ss.unfollowLocked(a.group)
			return
		}
		ss.all--
		ss.unfollowLocked(slices.Collect(maps.Keys(ss.topics))...)
	})
}

// followLocked adds to the group subscription, in one change, the groups of filters it does
// not follow yet; a group followed already keeps the cursor the subscription has reached.
func (ss *subscriptions) followLocked(filters ...api.Filter) {
	var added []api.Filter
	for _, f := range filters {
		if _, ok := ss.topics[string(f.Key)]; !ok {
			ss.topics[string(f.Key)] = struct{}{}
			added = append(added, f)
		}
	}
	if len(added) > 0 {
		ss.groups.sub.Add(added...)
	}
}

// unfollowLocked removes from the group subscription, in one change, the groups of ids that
// no stream needs.
func (ss *subscriptions) unfollowLocked(ids ...string) {
	var removed [][]byte
	for _, id := range ids {
		if _, ok := ss.topics[id]; ok && ss.all == 0 && ss.refs[id] == 0 {
			delete(ss.topics, id)
			removed = append(removed, []byte(id))
		}
	}
	if len(removed) > 0 {
		ss.groups.sub.Remove(removed...)
	}
}

// joined follows a group the client just joined or created, if a StreamAllMessages runs.
func (ss *subscriptions) joined(g *Group) {
	if !ss.followsAll(g.id) {
		return
	}
	filter := g.filter() // outside ss.mu: the group's lock may be held for a while
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.groups != nil && ss.all > 0 {
		ss.followLocked(filter)
	}
}

// followsAll reports whether a StreamAllMessages runs and the group subscription does not
// follow id yet.
func (ss *subscriptions) followsAll(id []byte) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	_, ok := ss.topics[string(id)]
	return ss.groups != nil && ss.all > 0 && !ok
}

// close ends every stream with ErrClosed and closes both subscriptions; later attaches fail.
func (ss *subscriptions) close() {
	ss.mu.Lock()
	ss.closed = true
	var stops []func()
	if f := ss.groups; f != nil {
		streams := f.takeStreamsLocked()
		stops = append(stops, func() { f.stop(streams) })
	}
	if f := ss.welcomes; f != nil {
		streams := f.takeStreamsLocked()
		stops = append(stops, func() { f.stop(streams) })
	}
	ss.groups, ss.welcomes = nil, nil
	ss.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
}
