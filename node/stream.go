package node

import (
	"context"
	"net/http"
)

// serveStream runs a server-streaming subscription (SubscribeGroupMessages and
// SubscribeWelcomeMessages): it registers every topic, sends the headers at once, then each
// topic's history from its cursor, then live messages until the client leaves, reads too
// slowly, or the node shuts down.
//
// Headers go out before any history because libxmtp (tonic) treats a subscription as open
// only once it has them, and connect-go holds them until the first message unless flushed
// with an empty Send. They follow registration, so whatever is stored after a client sees
// them reaches it.
func (n *Node) serveStream(ctx context.Context, header http.Header, flush func() error, topics []topic, cursors []uint64, send func(event) error) error {
	if err := checkBatch("filters", len(topics), n.cfg.Limits.MaxFilters); err != nil {
		return err
	}
	sub := n.newSubscription()
	defer sub.close()
	for i, t := range topics {
		if err := sub.register(t, cursors[i]); err != nil {
			return err
		}
	}
	header.Set("subscribed", "true")
	if err := flush(); err != nil {
		return err
	}
	deliver := func(evs []event) error {
		for _, ev := range evs {
			if err := send(ev); err != nil {
				return err
			}
		}
		return nil
	}
	for _, t := range topics {
		if err := sub.replay(ctx, t, deliver); err != nil {
			return err
		}
	}
	for {
		ev, err := sub.next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil // the client left
			}
			return err
		}
		if err := send(ev); err != nil {
			return err
		}
	}
}
