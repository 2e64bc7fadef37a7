package node

import (
	"context"
	"errors"

	"connectrpc.com/connect"
)

// subscription is one client's live view of a set of topics. Each topic is registered with
// the broker before its history is read, and each topic's high-water mark drops what was
// already delivered, so history and live messages join with no gap and no duplicate. It is
// used by one goroutine at a time.
type subscription struct {
	n   *Node
	sub *subscriber
	hwm map[topic]uint64
}

func (n *Node) newSubscription() *subscription {
	n.subscriptions.Add(1)
	return &subscription{n: n, sub: n.broker.subscribe(), hwm: make(map[topic]uint64)}
}

// close ends live delivery. It is called once.
func (s *subscription) close() {
	s.sub.close()
	s.n.subscriptions.Add(-1)
}

// OpenSubscriptions counts the subscriptions open now: server streams (SubscribeGroupMessages,
// SubscribeWelcomeMessages) and multiplexed sessions (Subscribe, WebSocket). Tests use it to
// check how many a client holds.
func (n *Node) OpenSubscriptions() int { return int(n.subscriptions.Load()) }

// add starts t from cursor (exclusive): register, then replay.
func (s *subscription) add(ctx context.Context, t topic, cursor uint64, deliver func([]event) error) error {
	if err := s.register(t, cursor); err != nil {
		return err
	}
	return s.replay(ctx, t, deliver)
}

// register starts queueing t's live messages above cursor. Messages stored from now on reach
// the subscription, so a client told it is subscribed misses nothing it sends afterwards.
func (s *subscription) register(t topic, cursor uint64) error {
	h, ok := s.hwm[t]
	if !ok && len(s.hwm) >= s.n.cfg.Limits.MaxFilters {
		return connect.NewError(connect.CodeResourceExhausted, errors.New("too many topics in one subscription"))
	}
	s.sub.add(t)
	if !ok || cursor > h {
		s.hwm[t] = cursor
	}
	return nil
}

// replay hands t's stored messages after its high-water mark to deliver, page by page,
// ascending. Live messages queue meanwhile and come out of next.
func (s *subscription) replay(ctx context.Context, t topic, deliver func([]event) error) error {
	for {
		page, err := s.n.history(ctx, t, s.hwm[t])
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		if err := deliver(page); err != nil {
			return err
		}
		s.hwm[t] = page[len(page)-1].id
		if len(page) < maxPageSize {
			return nil
		}
	}
}

// remove stops t; messages of t still queued are dropped by next.
func (s *subscription) remove(t topic) {
	s.sub.remove(t)
	delete(s.hwm, t)
}

// next waits for the next live message not delivered yet. A subscriber cut off for reading
// too slowly gets Aborted.
func (s *subscription) next(ctx context.Context) (event, error) {
	for {
		select {
		case <-s.sub.done: // checked first: a cut-off subscriber stops even with events queued
			return event{}, s.cutOff()
		default:
		}
		select {
		case ev := <-s.sub.events:
			if s.fresh(ev) {
				return ev, nil
			}
		case <-s.sub.done:
			return event{}, s.cutOff()
		case <-ctx.Done():
			return event{}, ctx.Err()
		case <-s.n.closing:
			return event{}, errShuttingDown
		}
	}
}

// errShuttingDown ends subscriptions when the node stops; clients reconnect elsewhere or later.
var errShuttingDown = connect.NewError(connect.CodeUnavailable, errors.New("node is shutting down"))

// cutOff is the error of a subscriber the broker dropped.
func (s *subscription) cutOff() error { return connect.NewError(connect.CodeAborted, s.sub.err) }

// fresh reports whether ev is of a subscribed topic and newer than what was delivered, and
// if so records it as delivered.
func (s *subscription) fresh(ev event) bool {
	h, ok := s.hwm[ev.topic]
	if !ok || ev.id <= h {
		return false
	}
	s.hwm[ev.topic] = ev.id
	return true
}

// history reads one ascending page of t's stored messages after cursor.
func (n *Node) history(ctx context.Context, t topic, cursor uint64) ([]event, error) {
	page := Page{Ascending: true, Limit: maxPageSize, Cursor: cursor}
	var out []event
	switch t.kind() {
	case topicGroupMessages:
		msgs, err := n.store.QueryGroupMessages(ctx, t.id(), page)
		if err != nil {
			return nil, connect.NewError(connect.CodeInternal, err)
		}
		for i := range msgs {
			out = append(out, event{topic: t, id: msgs[i].ID, group: &msgs[i]})
		}
	case topicWelcomeMessages:
		msgs, err := n.store.QueryWelcomeMessages(ctx, t.id(), page)
		if err != nil {
			return nil, connect.NewError(connect.CodeInternal, err)
		}
		for i := range msgs {
			out = append(out, event{topic: t, id: msgs[i].ID, welcome: &msgs[i]})
		}
	}
	return out, nil
}
