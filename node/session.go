package node

import (
	"context"
	"errors"
	"fmt"
	"io"

	"connectrpc.com/connect"

	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// keepaliveInterval is how often the node pings an idle multiplexed subscription, announced to
// clients in Started.
const keepaliveInterval = 30_000 // ms

// maxLiveBatch is the most live messages put in one Messages frame.
const maxLiveBatch = 100

// runSession serves one multiplexed subscription: the XIP-83 protocol of
// SubscribeRequest/SubscribeResponse frames, used by the bidirectional Subscribe RPC and the
// WebSocket endpoint alike. The client adds and removes topics at any time; each added topic
// replays from its cursor, then goes live, with no gap and no duplicate.
func (n *Node) runSession(ctx context.Context, recv func() (*mlsv1.SubscribeRequest, error), send func(*mlsv1.SubscribeResponse) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sub := n.newSubscription()
	defer sub.close()
	if err := send(response(&mlsv1.SubscribeResponse_V1{Response: &mlsv1.SubscribeResponse_V1_Started_{Started: &mlsv1.SubscribeResponse_V1_Started{
		KeepaliveIntervalMs: keepaliveInterval,
	}}})); err != nil {
		return err
	}

	reqs := make(chan *mlsv1.SubscribeRequest)
	recvErr := make(chan error, 1)
	go func() {
		for {
			r, err := recv()
			if err != nil {
				recvErr <- err
				return
			}
			select {
			case reqs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()

	for {
		select {
		case r := <-reqs:
			if err := n.handleSessionRequest(ctx, sub, r, send); err != nil {
				return err
			}
		case err := <-recvErr:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case ev := <-sub.sub.events:
			if !sub.fresh(ev) {
				continue
			}
			if err := send(messagesFrame(sub.drain(ev), 0)); err != nil {
				return err
			}
		case <-sub.sub.done:
			return sub.cutOff()
		case <-ctx.Done():
			return nil
		case <-n.closing:
			return errShuttingDown
		}
	}
}

// drain returns first plus the fresh live events already queued, up to maxLiveBatch.
func (s *subscription) drain(first event) []event {
	evs := []event{first}
	for len(evs) < maxLiveBatch {
		select {
		case ev := <-s.sub.events:
			if s.fresh(ev) {
				evs = append(evs, ev)
			}
		default:
			return evs
		}
	}
	return evs
}

func (n *Node) handleSessionRequest(ctx context.Context, sub *subscription, r *mlsv1.SubscribeRequest, send func(*mlsv1.SubscribeResponse) error) error {
	v1 := r.GetV1()
	switch {
	case v1.GetMutate() != nil:
		return n.mutate(ctx, sub, v1.GetMutate(), send)
	case v1.GetPing() != nil:
		return send(response(&mlsv1.SubscribeResponse_V1{Response: &mlsv1.SubscribeResponse_V1_Pong{Pong: &mlsv1.Pong{Nonce: v1.GetPing().GetNonce()}}}))
	case v1.GetPong() != nil:
		return nil
	}
	return connect.NewError(connect.CodeInvalidArgument, errors.New("subscribe request has no mutate, ping or pong"))
}

// mutate applies removes, then replays each added topic (live unless history_only), then
// reports the live topics and the end of catch-up.
func (n *Node) mutate(ctx context.Context, sub *subscription, m *mlsv1.SubscribeRequest_V1_Mutate, send func(*mlsv1.SubscribeResponse) error) error {
	for _, raw := range m.GetRemoves() {
		sub.remove(topic(raw))
	}
	var live [][]byte
	for i, a := range m.GetAdds() {
		if !validTopic(a.GetTopic()) {
			return connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("add %d: topic must be a kind byte (0 group, 1 welcome) and an id", i))
		}
		t := topic(a.GetTopic())
		err := sub.add(ctx, t, a.GetIdCursor(), func(evs []event) error { return send(messagesFrame(evs, m.GetMutateId())) })
		if err != nil {
			return err
		}
		if m.GetHistoryOnly() {
			sub.remove(t)
		} else {
			live = append(live, a.GetTopic())
		}
	}
	if len(live) > 0 {
		if err := send(response(&mlsv1.SubscribeResponse_V1{Response: &mlsv1.SubscribeResponse_V1_TopicsLive_{TopicsLive: &mlsv1.SubscribeResponse_V1_TopicsLive{Topics: live}}})); err != nil {
			return err
		}
	}
	return send(response(&mlsv1.SubscribeResponse_V1{Response: &mlsv1.SubscribeResponse_V1_CatchupComplete_{CatchupComplete: &mlsv1.SubscribeResponse_V1_CatchupComplete{MutateId: m.GetMutateId()}}}))
}

func response(v1 *mlsv1.SubscribeResponse_V1) *mlsv1.SubscribeResponse {
	return &mlsv1.SubscribeResponse{Version: &mlsv1.SubscribeResponse_V1_{V1: v1}}
}

// messagesFrame carries events, group messages and welcomes apart; mutateID is the Mutate
// whose replay they belong to, 0 for live messages.
func messagesFrame(evs []event, mutateID uint64) *mlsv1.SubscribeResponse {
	m := &mlsv1.SubscribeResponse_V1_Messages{MutateId: mutateID}
	for _, ev := range evs {
		if ev.group != nil {
			m.GroupMessages = append(m.GroupMessages, ev.group.proto())
		} else {
			m.WelcomeMessages = append(m.WelcomeMessages, ev.welcome.proto())
		}
	}
	return response(&mlsv1.SubscribeResponse_V1{Response: &mlsv1.SubscribeResponse_V1_Messages_{Messages: m}})
}
