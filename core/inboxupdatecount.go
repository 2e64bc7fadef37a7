package core

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/api"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
)

// InboxUpdateCounts asks the node how many identity updates each inbox has (browser-sdk's
// fetchLatestInboxUpdatesCount): an inbox is refused new updates once its log is full, so
// apps watch the count. Inboxes the node does not know count 0. It needs no client.
func InboxUpdateCounts(ctx context.Context, a api.API, inboxIDs []string) (map[string]int, error) {
	out := make(map[string]int, len(inboxIDs))
	if len(inboxIDs) == 0 {
		return out, nil
	}
	req := &identityv1.GetIdentityUpdatesRequest{}
	for _, id := range inboxIDs {
		out[id] = 0
		req.Requests = append(req.Requests, &identityv1.GetIdentityUpdatesRequest_Request{InboxId: id})
	}
	resp, err := a.GetIdentityUpdates(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("count identity updates of %d inboxes: %w", len(inboxIDs), err)
	}
	for _, r := range resp.GetResponses() {
		if _, ok := out[r.GetInboxId()]; ok {
			out[r.GetInboxId()] += len(r.GetUpdates())
		}
	}
	return out, nil
}

// InboxUpdateCounts is InboxUpdateCounts through this client's node.
func (c *Client) InboxUpdateCounts(ctx context.Context, inboxIDs []string) (map[string]int, error) {
	return InboxUpdateCounts(ctx, c.opts.API, inboxIDs)
}
