//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
)

// browser-sdk's ConsentEntityType.
const (
	jsConsentGroup = 0
	jsConsentInbox = 1
)

// consentMethods are client.preferences' consent methods: consent to a conversation (by id)
// or to an inbox (its DMs and the groups it adds this user to). ConsentState has core's
// numbers.
func consentMethods(c *core.Client) map[string]method {
	return map[string]method{
		"preferences.setConsentStates": func(ctx context.Context, args []js.Value) (any, error) {
			records, err := arrayArg(args, 0, "records", consentRecordValue)
			if err != nil {
				return nil, err
			}
			for _, r := range records {
				if err := r.set(ctx, c); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
		"preferences.getConsentState": func(ctx context.Context, args []js.Value) (any, error) {
			r, err := consentEntity(arg(args, 0), arg(args, 1))
			if err != nil {
				return nil, err
			}
			s, err := r.get(ctx, c)
			return int(s), err
		},
	}
}

// consentRecord is browser-sdk's Consent {entityType, entity, state}.
type consentRecord struct {
	inbox  bool
	entity string
	state  core.ConsentState
}

func consentRecordValue(v js.Value, name string) (consentRecord, error) {
	if typeOf(v) != js.TypeObject {
		return consentRecord{}, badArgument("%s must be a Consent {entityType, entity, state}", name)
	}
	r, err := consentEntity(v.Get("entityType"), v.Get("entity"))
	if err != nil {
		return r, err
	}
	r.state, err = consentValue(v.Get("state"), name+".state")
	return r, err
}

func consentEntity(kind, entity js.Value) (consentRecord, error) {
	var r consentRecord
	switch {
	case typeOf(kind) == js.TypeNumber && kind.Int() == jsConsentGroup:
	case typeOf(kind) == js.TypeNumber && kind.Int() == jsConsentInbox:
		r.inbox = true
	default:
		return r, badArgument("entityType must be a ConsentEntityType")
	}
	var err error
	r.entity, err = stringValue(entity, "entity")
	return r, err
}

func (r consentRecord) group(ctx context.Context, c *core.Client) (*core.Group, error) {
	id, err := hex.DecodeString(r.entity)
	if err != nil || len(id) == 0 {
		return nil, badArgument("a conversation's entity is its hex id")
	}
	return c.Conversations().GetConversationByID(ctx, id)
}

func (r consentRecord) set(ctx context.Context, c *core.Client) error {
	if r.inbox {
		return c.SetInboxConsent(ctx, r.entity, r.state)
	}
	g, err := r.group(ctx, c)
	if err != nil {
		return err
	}
	return g.UpdateConsentState(ctx, r.state)
}

func (r consentRecord) get(ctx context.Context, c *core.Client) (core.ConsentState, error) {
	if r.inbox {
		return c.InboxConsent(ctx, r.entity)
	}
	g, err := r.group(ctx, c)
	if err != nil {
		return 0, err
	}
	return g.ConsentState(), nil
}
