package core

import (
	"context"
	"errors"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
)

// The node limits requests per client address and answers RESOURCE_EXHAUSTED with a
// retry-after hint when one sends too fast (a burst of sends, a large sync). Such a refusal
// says nothing about the request, so it is retried after the hinted wait, a few times, before
// the error reaches the caller.
const (
	maxRateLimitRetries = 5
	maxRateLimitWait    = 2 * time.Second
)

// retryRateLimited runs call, again after the node's hinted wait while it is rate limited.
func retryRateLimited(ctx context.Context, call func() error) error {
	for attempt := 0; ; attempt++ {
		err := call()
		wait := api.RetryAfter(err)
		if err == nil || !errors.Is(err, api.ErrResourceExhausted) || wait <= 0 || attempt == maxRateLimitRetries {
			return err
		}
		t := time.NewTimer(min(wait, maxRateLimitWait))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return err
		}
	}
}
