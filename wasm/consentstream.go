//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
)

// consentStreamMethods are client.preferences' streams: each consent change recorded through
// this client, as browser-sdk's Consent. The page wraps it as streamConsent's Consent[] and
// streamPreferences' [{type: "ConsentUpdate", consent}].
func consentStreamMethods(c *core.Client) map[string]method {
	return map[string]method{
		"preferences.streamConsent": func(ctx context.Context, args []js.Value) (any, error) {
			return openStream(ctx, args, 0, c.StreamConsent, func(ch core.ConsentChange) object {
				if ch.GroupID != nil {
					return object{"entityType": jsConsentGroup, "entity": hex.EncodeToString(ch.GroupID), "state": int(ch.State)}
				}
				return object{"entityType": jsConsentInbox, "entity": ch.InboxID, "state": int(ch.State)}
			})
		},
	}
}
