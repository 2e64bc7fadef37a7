package node

import (
	"errors"
	"sync"
)

// event is one stored message on its way to live subscribers. Exactly one of group and
// welcome is set.
type event struct {
	topic   topic
	id      uint64
	group   *GroupMessage
	welcome *WelcomeMessage
}

// errSlowSubscriber is the cause a subscriber is cut off with when its buffer fills up: a
// reader that cannot keep up is disconnected instead of letting the node's memory grow.
var errSlowSubscriber = errors.New("caller did not read all messages fast enough")

// broker fans stored messages out to live subscribers. Publishing never blocks: each
// subscriber has a bounded buffer and is cut off when it is full.
type broker struct {
	mu     sync.Mutex
	topics map[topic]map[*subscriber]struct{}
	buffer int
}

func newBroker(buffer int) *broker {
	return &broker{topics: make(map[topic]map[*subscriber]struct{}), buffer: buffer}
}

// subscriber receives the events of the topics it has added, in publish order.
type subscriber struct {
	b      *broker
	events chan event
	done   chan struct{} // closed when cut off
	topics map[topic]struct{}
	err    error // why it was cut off; set before done is closed
}

func (b *broker) subscribe() *subscriber {
	return &subscriber{b: b, events: make(chan event, b.buffer), done: make(chan struct{}), topics: make(map[topic]struct{})}
}

// add starts delivery of t's events, unless the subscriber has been cut off.
func (s *subscriber) add(t topic) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if s.err != nil {
		return
	}
	subs := s.b.topics[t]
	if subs == nil {
		subs = make(map[*subscriber]struct{})
		s.b.topics[t] = subs
	}
	subs[s] = struct{}{}
	s.topics[t] = struct{}{}
}

// remove stops delivery of t's events; some may still be buffered.
func (s *subscriber) remove(t topic) {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.removeLocked(s, t)
}

func (b *broker) removeLocked(s *subscriber, t topic) {
	delete(s.topics, t)
	if subs := b.topics[t]; subs != nil {
		delete(subs, s)
		if len(subs) == 0 {
			delete(b.topics, t)
		}
	}
}

// close unregisters the subscriber from every topic.
func (s *subscriber) close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	for t := range s.topics {
		s.b.removeLocked(s, t)
	}
}

// publish hands ev to every subscriber of its topic. Callers publish in id order per topic.
func (b *broker) publish(ev event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.topics[ev.topic] {
		if s.err != nil {
			continue
		}
		select {
		case s.events <- ev:
		default:
			s.err = errSlowSubscriber
			close(s.done)
			for t := range s.topics {
				b.removeLocked(s, t)
			}
		}
	}
}

// subscribers counts registered (subscriber, topic) pairs, for tests and metrics.
func (b *broker) subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, subs := range b.topics {
		n += len(subs)
	}
	return n
}
