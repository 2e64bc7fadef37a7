//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"slices"
	"strings"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
)

// Listing messages the way browser-sdk 7.1 lists them (libxmtp's enriched messages):
// reactions and read receipts are not listed on their own; each listed message carries the
// reactions to it and how many replies it has, and a reply carries the message it answers.
// getMessageById enriches its message too; streams give messages without these
// (messageValue), as libxmtp's do.

// browser-sdk 7.1's ContentType enum (js/src/enums.js), by the type id libxmtp files each
// content type under; every other type is Custom.
var contentTypeKinds = map[string]int{
	"actions": 0, "attachment": 1, "group_membership_change": 3, "group_updated": 4, "intent": 5,
	"leave_request": 6, "markdown": 7, "multiRemoteStaticAttachment": 8, "reaction": 9,
	"readReceipt": 10, "remoteStaticAttachment": 11, "reply": 12, "text": 13,
	"transactionReference": 14, "walletSendCalls": 15,
}

const (
	jsContentCustom      = 2
	jsContentReaction    = 9
	jsContentReadReceipt = 10
	jsContentReply       = 12
)

func contentKind(t content.TypeID) int {
	if k, ok := contentTypeKinds[t.Type]; ok {
		return k
	}
	return jsContentCustom
}

// messageQuery is browser-sdk's ListMessagesOptions: core's filters, plus those applied here.
type messageQuery struct {
	core           core.MessagesOptions // Limit is applied here, after the filters below
	limit          int
	contentTypes   []int // ContentType values to keep; empty keeps all
	excludeTypes   []int
	excludeSenders []string
}

func (q messageQuery) keeps(m *core.Message) bool {
	kind := contentKind(m.ContentType)
	return (len(q.contentTypes) == 0 || slices.Contains(q.contentTypes, kind)) &&
		!slices.Contains(q.excludeTypes, kind) && !slices.Contains(q.excludeSenders, m.SenderInboxID)
}

// messageQueryArg reads ListMessagesOptions at args[i].
func messageQueryArg(args []js.Value, i int) (messageQuery, error) {
	var q messageQuery
	v, err := objectArg(args, i, "options")
	if err != nil {
		return q, err
	}
	o := &q.core
	if o.SentAfterNs, err = optionalInt64(v, "sentAfterNs"); err != nil {
		return q, err
	}
	if o.SentBeforeNs, err = optionalInt64(v, "sentBeforeNs"); err != nil {
		return q, err
	}
	limit, err := optionalInt64(v, "limit")
	if err != nil {
		return q, err
	}
	q.limit = int(limit)
	// The JS enums count from 0 where core's stored values count from 1 (§7.4).
	if d, err := optionalInt64(v, "direction"); err != nil {
		return q, err
	} else if d == 1 {
		o.Direction = core.SortDescending
	}
	if s, err := enumField(v, "deliveryStatus", "a DeliveryStatus", 2); err != nil {
		return q, err
	} else if s >= 0 {
		o.DeliveryStatus = core.DeliveryStatus(s + 1)
	}
	if k, err := enumField(v, "kind", "a GroupMessageKind", 1); err != nil {
		return q, err
	} else if k >= 0 {
		o.Kind = core.MessageKind(k + 1)
	}
	for field, dst := range map[string]*[]int{"contentTypes": &q.contentTypes, "excludeContentTypes": &q.excludeTypes} {
		if f := v.Get(field); typeOf(f) != js.TypeUndefined {
			read := func(e js.Value, name string) (int, error) { return enumValue(e, name, "a ContentType", 15) }
			if *dst, err = arrayArg([]js.Value{f}, 0, field, read); err != nil {
				return q, err
			}
		}
	}
	if f := v.Get("excludeSenderInboxIds"); typeOf(f) != js.TypeUndefined {
		if q.excludeSenders, err = arrayArg([]js.Value{f}, 0, "excludeSenderInboxIds", stringValue); err != nil {
			return q, err
		}
	}
	return q, nil
}

// enumField reads an optional numeric enum field of opts, 0..max; absent gives -1.
func enumField(opts js.Value, field, what string, max int) (int, error) {
	v := opts.Get(field)
	if typeOf(v) == js.TypeUndefined {
		return -1, nil
	}
	return enumValue(v, field, what, max)
}

func enumValue(v js.Value, name, what string, max int) (int, error) {
	if typeOf(v) != js.TypeNumber || v.Int() < 0 || v.Int() > max || float64(v.Int()) != v.Float() {
		return 0, badArgument("%s must be %s", name, what)
	}
	return v.Int(), nil
}

// selected returns the group's messages q keeps, before the limit.
func (q messageQuery) selected(ctx context.Context, g *core.Group) ([]*core.Message, error) {
	msgs, err := g.Messages(ctx, q.core)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(msgs, func(m *core.Message) bool { return !q.keeps(m) }), nil
}

// enricher reads the group's messages once and returns what makes a message of the group
// 7.1's enriched message: its reactions, its reply count, and for a reply the message it
// answers.
func enricher(ctx context.Context, g *core.Group) (func(*core.Message) object, error) {
	all, err := g.Messages(ctx, core.MessagesOptions{})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*core.Message, len(all))
	reactions := map[string][]any{}
	replies := map[string]int{}
	for _, m := range all {
		byID[hex.EncodeToString(m.ID)] = m
		if kind := contentKind(m.ContentType); kind != jsContentReaction && kind != jsContentReply {
			continue // only reactions and replies point at other messages
		}
		switch c, _ := m.Decoded(); c := c.(type) {
		case content.Reaction:
			ref := strings.ToLower(c.Reference)
			reactions[ref] = append(reactions[ref], messageValue(m))
		case content.Reply:
			replies[strings.ToLower(c.Reference)]++
		}
	}
	return func(m *core.Message) object {
		v := messageValue(m)
		id := hex.EncodeToString(m.ID)
		if r := reactions[id]; r != nil {
			v["reactions"] = r
		}
		v["numReplies"] = bigInt(replies[id])
		if reply, ok := v["content"].(object); ok && contentKind(m.ContentType) == jsContentReply {
			if answered, ok := byID[strings.ToLower(reply["referenceId"].(string))]; ok {
				reply["inReplyTo"] = messageValue(answered)
			}
		}
		return v
	}, nil
}

// listMessages is Conversation.messages(options).
func listMessages(ctx context.Context, g *core.Group, q messageQuery) ([]any, error) {
	enrich, err := enricher(ctx, g)
	if err != nil {
		return nil, err
	}
	msgs, err := q.selected(ctx, g)
	if err != nil {
		return nil, err
	}
	msgs = slices.DeleteFunc(msgs, func(m *core.Message) bool {
		kind := contentKind(m.ContentType)
		return kind == jsContentReaction || kind == jsContentReadReceipt
	})
	if q.limit > 0 && len(msgs) > q.limit {
		msgs = msgs[:q.limit]
	}
	out := make([]any, len(msgs))
	for i, m := range msgs {
		out[i] = enrich(m)
	}
	return out, nil
}

// enrichedMessage is Conversations.getMessageById's message: enriched, as 7.1's is.
func enrichedMessage(ctx context.Context, c *core.Client, m *core.Message) (any, error) {
	g, err := c.Conversations().GetConversationByID(ctx, m.GroupID)
	if err != nil {
		return nil, err
	}
	enrich, err := enricher(ctx, g)
	if err != nil {
		return nil, err
	}
	return enrich(m), nil
}

// countMessages is Conversation.countMessages(options): every stored message the filters
// keep, reactions and read receipts included, as libxmtp counts them; a BigInt.
func countMessages(ctx context.Context, g *core.Group, q messageQuery) (any, error) {
	msgs, err := q.selected(ctx, g)
	if err != nil {
		return nil, err
	}
	return bigInt(len(msgs)), nil
}
