package core

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/store"
)

// RetryMessage publishes a Failed message of this conversation again and waits, as Send does,
// until it is read back (Published) or fails once more. The new intent carries the envelope
// the message was first sent in, rebuilt from the stored message (its idempotency key is the
// sending time): the message keeps its id, so a receiver that got an earlier attempt, one the
// node took although its answer said otherwise, keeps a single copy. A message that is not
// Failed is left as it is: it is published, or still on its way.
func (g *Group) RetryMessage(ctx context.Context, id []byte) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	seq, msg, err := g.storedMessage(ctx, id)
	if err != nil {
		return err
	}
	if msg.Status != DeliveryFailed {
		return nil
	}
	if err := g.mls.Active(); err != nil {
		return ErrGroupInactive.Wrap(err)
	}
	env := content.NewEnvelope(msg.Content, time.Unix(0, int64(msg.SentAtNs)))
	if !bytes.Equal(content.MessageID(g.id, env.IdempotencyKey, msg.Content), msg.ID) {
		// Not a message this client sent with NewEnvelope: its id could not be kept.
		return fmt.Errorf("%w: message %x cannot be rebuilt with its id", ErrPublishFailed, id)
	}
	envBytes, err := content.EncodeEnvelope(env)
	if err != nil {
		return err
	}
	msg.Status = DeliveryUnpublished
	var ch store.Changes
	ch.PutSeq(tableMessages, g.id, seq, msg.encode())
	it := &intentRecord{Kind: intentSendMessage, State: intentToPublish, Change: envBytes, MessageSeq: seq}
	intentSeq, err := g.storeIntent(ctx, it, ch)
	if err != nil {
		return err
	}
	return g.awaitIntent(ctx, intentSeq)
}

// storedMessage finds a message of this group by id: its sequence number and record.
func (g *Group) storedMessage(ctx context.Context, id []byte) (uint64, *messageRecord, error) {
	b, found, err := g.c.opts.Store.Get(ctx, tableMessageIDs, id)
	if err != nil {
		return 0, nil, fmt.Errorf("message lookup: %w", err)
	}
	if !found {
		return 0, nil, ErrMessageNotFound
	}
	ref, err := decodeMessageRef(b)
	if err != nil {
		return 0, nil, err
	}
	if !bytes.Equal(ref.GroupID, g.id) {
		return 0, nil, ErrMessageNotFound
	}
	v, found, err := g.c.opts.Store.GetSeq(ctx, tableMessages, g.id, ref.Seq)
	if err != nil {
		return 0, nil, fmt.Errorf("message lookup: %w", err)
	}
	if !found {
		return 0, nil, ErrMessageNotFound // disappeared
	}
	m, err := decodeMessageRecord(v)
	if err != nil {
		return 0, nil, err
	}
	return ref.Seq, m, nil
}
