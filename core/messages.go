package core

import (
	"context"
	"fmt"
	"slices"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/store"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// DeliveryStatus is where a message is on its way: libxmtp's DB values (§3.6), which the JS
// boundary maps to its own enum.
type DeliveryStatus uint8

const (
	DeliveryUnpublished DeliveryStatus = 1
	DeliveryPublished   DeliveryStatus = 2
	DeliveryFailed      DeliveryStatus = 3
)

// MessageKind separates what members sent from the transcript of group changes.
type MessageKind uint8

const (
	KindApplication      MessageKind = 1
	KindMembershipChange MessageKind = 2 // group_updated, made locally from a commit or welcome
)

// Message is one stored message of a conversation.
type Message struct {
	ID                   []byte
	GroupID              []byte
	SenderInboxID        string
	SenderInstallationID []byte
	SentAtNs             int64
	Kind                 MessageKind
	DeliveryStatus       DeliveryStatus
	ContentType          content.TypeID
	// ExpiresAtNs is when a disappearing message is deleted; 0 when it does not disappear.
	ExpiresAtNs int64
	// Content is the message as sent; Decode it with core/content.
	Content *mlscontents.EncodedContent
}

// Decoded returns the message's content decoded by the built-in codecs (Unknown for others).
func (m *Message) Decoded() (content.Content, error) { return content.Decode(m.Content) }

// SendOptions tune Send.
type SendOptions struct {
	// Optimistic stores the message as Unpublished and returns at once; the next Sync
	// publishes it.
	Optimistic bool
	// IdempotencyKey, when set, replaces the send time in the message id, so sending the
	// same content again with the same key (a retry after a crash) gives the same id and
	// is not sent twice.
	IdempotencyKey string
}

// Send stores a message as Unpublished together with its intent, in one Apply, then
// publishes it and reads it back, so that it returns with the message Published (or an error,
// the message still Unpublished and published by a later Sync). It returns the message id.
// Sending marks the conversation Allowed, as libxmtp does.
func (g *Group) Send(ctx context.Context, ec *mlscontents.EncodedContent, opts SendOptions) ([]byte, error) {
	body, err := content.Marshal(ec)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.mls.Active(); err != nil {
		return nil, ErrGroupInactive.Wrap(err)
	}
	now := g.c.opts.Now()
	env := content.NewEnvelope(body, now)
	if opts.IdempotencyKey != "" {
		env.IdempotencyKey = opts.IdempotencyKey
		id := content.MessageID(g.id, env.IdempotencyKey, body)
		if seen, err := g.seenMessage(ctx, id); err != nil || seen {
			return id, err
		}
	}
	envBytes, err := content.EncodeEnvelope(env)
	if err != nil {
		return nil, err
	}
	msg := &messageRecord{
		ID:                 content.MessageID(g.id, env.IdempotencyKey, body),
		SenderInbox:        g.c.InboxID(),
		SenderInstallation: g.c.InstallationID(),
		SentAtNs:           uint64(now.UnixNano()),
		Kind:               KindApplication,
		Status:             DeliveryUnpublished,
		ContentType:        content.TypeOf(ec).String(),
		Content:            body,
		ExpiresAtNs:        g.expiryAt(now.UnixNano()),
	}
	rec := *g.rec
	rec.Consent, rec.LastActivityNs = ConsentAllowed, msg.SentAtNs
	var ch store.Changes
	msgSeq := g.addMessage(&rec, &ch, msg)
	seq := rec.NextIntentSeq
	rec.NextIntentSeq++
	it := &intentRecord{Kind: intentSendMessage, State: intentToPublish, Change: envBytes, MessageSeq: msgSeq}
	ch.PutSeq(tableIntents, g.id, seq, it.encode())
	if err := g.save(ctx, g.mls, &rec, ch); err != nil {
		return nil, err
	}
	if opts.Optimistic {
		return msg.ID, nil
	}
	if err := g.awaitIntent(ctx, seq); err != nil {
		return msg.ID, err
	}
	return msg.ID, nil
}

// MessageByID returns a stored message of any conversation by its id (the target of a reply
// or reaction), or ErrMessageNotFound.
func (cv *Conversations) MessageByID(ctx context.Context, id []byte) (*Message, error) {
	b, found, err := cv.c.opts.Store.Get(ctx, tableMessageIDs, id)
	if err != nil {
		return nil, fmt.Errorf("message lookup: %w", err)
	}
	if !found {
		return nil, ErrMessageNotFound
	}
	ref, err := decodeMessageRef(b)
	if err != nil {
		return nil, err
	}
	g, err := cv.load(ctx, ref.GroupID)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	v, found, err := cv.c.opts.Store.GetSeq(ctx, tableMessages, ref.GroupID, ref.Seq)
	if err != nil {
		return nil, fmt.Errorf("message lookup: %w", err)
	}
	if !found {
		return nil, ErrMessageNotFound // deleted: it disappeared
	}
	m, err := decodeMessageRecord(v)
	if err != nil {
		return nil, err
	}
	return g.message(m)
}

// SendText sends a text message.
func (g *Group) SendText(ctx context.Context, text string) ([]byte, error) {
	ec, err := content.Encode(content.Text(text))
	if err != nil {
		return nil, err
	}
	return g.Send(ctx, ec, SendOptions{})
}

// addMessage appends msg to the group's messages and id index in ch, advancing rec's
// sequence, and returns the message's sequence number. The next save announces it to streams.
func (g *Group) addMessage(rec *groupRecord, ch *store.Changes, msg *messageRecord) uint64 {
	seq := rec.NextMessageSeq
	rec.NextMessageSeq++
	ch.PutSeq(tableMessages, g.id, seq, msg.encode())
	ch.Put(tableMessageIDs, msg.ID, (&messageRef{GroupID: g.id, Seq: seq}).encode())
	g.fresh = append(g.fresh, msg)
	return seq
}

// setMessageStatus records a message's new delivery status in ch.
func (g *Group) setMessageStatus(ctx context.Context, ch *store.Changes, seq uint64, s DeliveryStatus) error {
	b, found, err := g.c.opts.Store.GetSeq(ctx, tableMessages, g.id, seq)
	if err != nil {
		return fmt.Errorf("group %x: message %d: %w", g.id, seq, err)
	}
	if !found {
		return nil // deleted meanwhile (disappearing messages)
	}
	m, err := decodeMessageRecord(b)
	if err != nil {
		return err
	}
	m.Status = s
	ch.PutSeq(tableMessages, g.id, seq, m.encode())
	return nil
}

// seenMessage reports whether a message id is already stored (a replay, or a message that
// the node holds twice because a publish was retried after a lost answer).
func (g *Group) seenMessage(ctx context.Context, id []byte) (bool, error) {
	_, found, err := g.c.opts.Store.Get(ctx, tableMessageIDs, id)
	if err != nil {
		return false, fmt.Errorf("message id lookup: %w", err)
	}
	return found, nil
}

// expiryAt returns when a message sent at sentNs disappears under the group's
// disappearing-messages setting (set by any member with the permission), or 0 for never.
func (g *Group) expiryAt(sentNs int64) uint64 {
	st, err := g.stateLocked()
	if err != nil {
		return 0
	}
	d := st.Mutable.Disappearing()
	if !d.Enabled() || sentNs < d.FromNS {
		return 0
	}
	return uint64(sentNs + d.InNS)
}

// SortDirection orders Messages.
type SortDirection uint8

const (
	SortAscending SortDirection = iota
	SortDescending
)

// MessagesOptions filter Messages. Zero values select everything.
type MessagesOptions struct {
	// SentAfterNs and SentBeforeNs bound the sending time (exclusive); zero is open.
	SentAfterNs, SentBeforeNs int64
	Limit                     int
	Direction                 SortDirection
	// DeliveryStatus, when set, keeps only messages in that state.
	DeliveryStatus DeliveryStatus
	// Kind, when set, keeps only application messages or only the transcript.
	Kind MessageKind
	// ContentTypes, when set, keeps only messages of these types ("authority/type:major.minor";
	// the minor version is ignored).
	ContentTypes []content.TypeID
}

// Messages returns the conversation's stored messages in sending order (ties in the order
// they were stored). Messages past their disappearing time are deleted rather than returned.
func (g *Group) Messages(ctx context.Context, opts MessagesOptions) ([]*Message, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	recs, err := g.c.opts.Store.Scan(ctx, tableMessages, g.id, store.Range{})
	if err != nil {
		return nil, fmt.Errorf("group %x: messages: %w", g.id, err)
	}
	now := uint64(g.c.opts.Now().UnixNano())
	var (
		out     []*Message
		expired store.Changes
	)
	for _, r := range recs {
		m, err := decodeMessageRecord(r.Value)
		if err != nil {
			return nil, err
		}
		if m.ExpiresAtNs != 0 && m.ExpiresAtNs <= now {
			expired.DeleteSeq(tableMessages, g.id, r.Seq)
			expired.Delete(tableMessageIDs, m.ID)
			continue
		}
		if !opts.keeps(m) {
			continue
		}
		msg, err := g.message(m)
		if err != nil {
			return nil, err
		}
		if len(opts.ContentTypes) > 0 && !slices.ContainsFunc(opts.ContentTypes, func(t content.TypeID) bool { return sameMajorType(t, msg.ContentType) }) {
			continue
		}
		out = append(out, msg)
	}
	if len(expired) > 0 {
		if err := g.c.opts.Store.Apply(ctx, expired); err != nil {
			return nil, fmt.Errorf("group %x: delete expired messages: %w", g.id, err)
		}
	}
	slices.SortStableFunc(out, func(a, b *Message) int {
		if opts.Direction == SortDescending {
			a, b = b, a
		}
		switch {
		case a.SentAtNs < b.SentAtNs:
			return -1
		case a.SentAtNs > b.SentAtNs:
			return 1
		}
		return 0
	})
	if opts.Limit > 0 && len(out) > opts.Limit {
		out = out[:opts.Limit]
	}
	return out, nil
}

// message returns a stored message as the app sees it.
func (g *Group) message(m *messageRecord) (*Message, error) {
	ec, err := content.Unmarshal(m.Content)
	if err != nil {
		return nil, err
	}
	return &Message{
		ID: m.ID, GroupID: clone(g.id), SenderInboxID: m.SenderInbox, SenderInstallationID: m.SenderInstallation,
		SentAtNs: int64(m.SentAtNs), Kind: m.Kind, DeliveryStatus: m.Status, ContentType: content.TypeOf(ec), Content: ec,
		ExpiresAtNs: int64(m.ExpiresAtNs),
	}, nil
}

func (o MessagesOptions) keeps(m *messageRecord) bool {
	return (o.SentAfterNs == 0 || int64(m.SentAtNs) > o.SentAfterNs) &&
		(o.SentBeforeNs == 0 || int64(m.SentAtNs) < o.SentBeforeNs) &&
		(o.DeliveryStatus == 0 || m.Status == o.DeliveryStatus) &&
		(o.Kind == 0 || m.Kind == o.Kind)
}

// sameMajorType reports whether two content types are the same type at the same major
// version: a minor version only adds fields, so filters and checks ignore it.
func sameMajorType(a, b content.TypeID) bool {
	return a.Authority == b.Authority && a.Type == b.Type && a.Major == b.Major
}
