package core

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/store"
)

// What an app registers with a push server (xmtp-protocol.md §3.4, §3.5): the topics to watch,
// and per conversation the keys its sender HMACs are made with, so the server can skip a
// device's own messages without learning who sent what.

// Topics returns this installation's welcome topic and the topic of every listed conversation.
func (cv *Conversations) Topics(ctx context.Context) ([]string, error) {
	out := []string{content.WelcomeTopic(cv.c.InstallationID())}
	err := cv.eachListed(ctx, func(g *Group) {
		out = append(out, content.GroupTopic(g.id))
	})
	return out, err
}

// HMACKeys returns, by hex group id, the sender-HMAC keys of every listed conversation for the
// previous, current and next 30-day epochs.
func (cv *Conversations) HMACKeys(ctx context.Context) (map[string][]content.HMACKey, error) {
	out := map[string][]content.HMACKey{}
	key, now := cv.c.hmacKey(), cv.c.opts.Now()
	err := cv.eachListed(ctx, func(g *Group) {
		out[hex.EncodeToString(g.id)] = content.HMACKeys(key, g.id, now, -1, 1)
	})
	return out, err
}

func (cv *Conversations) eachListed(ctx context.Context, f func(*Group)) error {
	recs, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{})
	if err != nil {
		return fmt.Errorf("conversations: %w", err)
	}
	for _, r := range recs {
		g, err := cv.load(ctx, r.Value)
		if err != nil {
			return err
		}
		if g.ConversationType().Listed() {
			f(g)
		}
	}
	return nil
}
