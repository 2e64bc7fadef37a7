//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
)

// retryMethods publish a Failed message again (a conversation's retryMessage): the one way
// out of Failed, since sync() publishes only what is still Unpublished.
func retryMethods(c *core.Client) map[string]method {
	return map[string]method{
		"group.retryMessage": func(ctx context.Context, args []js.Value) (any, error) {
			g, err := groupArg(ctx, c, args)
			if err != nil {
				return nil, err
			}
			s, err := stringArg(args, 1, "message id")
			if err != nil {
				return nil, err
			}
			id, err := hex.DecodeString(s)
			if err != nil || len(id) == 0 {
				return nil, badArgument("message id must be hex")
			}
			return nil, g.RetryMessage(ctx, id)
		},
	}
}
