package core

import (
	"context"
	"sync"
)

// ConsentChange is one consent decision the user recorded through this client: to a
// conversation (GroupID set) or to an inbox (InboxID set).
type ConsentChange struct {
	GroupID []byte
	InboxID string
	State   ConsentState
}

// consentWatchers hands each consent change to the open consent streams. Its zero value is
// ready to use.
type consentWatchers struct {
	mu   sync.Mutex
	subs map[*ConsentStream]struct{}
}

func (w *consentWatchers) publish(ch ConsentChange) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for s := range w.subs {
		s.push(ch)
	}
}

// ConsentStream delivers the consent changes recorded after it opened, in order
// (browser-sdk's preferences.streamConsent). Changes wait in it until read; apps record
// consent at human speed, so the queue stays small.
type ConsentStream struct {
	owner *consentWatchers

	mu     sync.Mutex
	queue  []ConsentChange
	ready  chan struct{} // closed and replaced when the queue gains a change or the stream closes
	closed bool
}

// StreamConsent opens a stream of the consent changes recorded from now on. Close it when done.
func (c *Client) StreamConsent(context.Context) (*ConsentStream, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	s := &ConsentStream{owner: &c.consent, ready: make(chan struct{})}
	c.consent.mu.Lock()
	if c.consent.subs == nil {
		c.consent.subs = map[*ConsentStream]struct{}{}
	}
	c.consent.subs[s] = struct{}{}
	c.consent.mu.Unlock()
	return s, nil
}

func (s *ConsentStream) push(ch ConsentChange) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.queue = append(s.queue, ch)
	close(s.ready)
	s.ready = make(chan struct{})
}

// Next waits for the next change; it fails with ctx's error, or ErrClosed once the stream
// is closed.
func (s *ConsentStream) Next(ctx context.Context) (ConsentChange, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return ConsentChange{}, ErrClosed
		}
		if len(s.queue) > 0 {
			ch := s.queue[0]
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return ch, nil
		}
		ready := s.ready
		s.mu.Unlock()
		select {
		case <-ready:
		case <-ctx.Done():
			return ConsentChange{}, ctx.Err()
		}
	}
}

// Close ends the stream; a Next in progress returns ErrClosed. Closing twice is harmless.
func (s *ConsentStream) Close() error {
	s.owner.mu.Lock()
	delete(s.owner.subs, s)
	s.owner.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.ready)
	}
	return nil
}
