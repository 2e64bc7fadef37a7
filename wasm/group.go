//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"strings"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// browser-sdk's PermissionLevel of a group member.
const (
	jsPermissionMember = iota
	jsPermissionAdmin
	jsPermissionSuperAdmin
)

// groupMethods are the methods of Group and Dm, on the client handle: the first argument is
// the conversation's id (hex), so JS holds no Go object per conversation.
func groupMethods(c *core.Client) map[string]method {
	// on wraps a method of one group: it finds the group, then runs fn with the remaining
	// arguments.
	on := func(fn func(ctx context.Context, g *core.Group, args []js.Value) (any, error)) method {
		return func(ctx context.Context, args []js.Value) (any, error) {
			g, err := groupArg(ctx, c, args)
			if err != nil {
				return nil, err
			}
			return fn(ctx, g, args[1:])
		}
	}
	members := func(change func(*core.Group, context.Context, []string) error, read func(js.Value, string) (string, error), name string) method {
		return on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, name, read)
			if err != nil {
				return nil, err
			}
			return nil, change(g, ctx, ids)
		})
	}
	// attribute is a method that changes one thing of the group, given as a string; it
	// resolves with the group's new description.
	attribute := func(change func(*core.Group, context.Context, string) error, name string) method {
		return on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			v, err := stringArg(args, 0, name)
			if err != nil {
				return nil, err
			}
			if err := change(g, ctx, v); err != nil {
				return nil, err
			}
			return conversationInfo(c, g), nil
		})
	}
	methods := map[string]method{
		"group.describe": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			return conversationInfo(c, g), nil
		}),
		"group.sync": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			if err := g.Sync(ctx); err != nil {
				return nil, err
			}
			return conversationInfo(c, g), nil
		}),
		"group.send": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			ec, err := encodedContentValue(arg(args, 0), "encodedContent")
			if err != nil {
				return nil, err
			}
			return send(ctx, g, ec, args, 1)
		}),
		// publishMessages publishes what is stored unpublished (optimistic sends, sends that
		// failed to reach the node): a sync, which publishes first, then reads.
		"group.publishMessages": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			return nil, g.Sync(ctx)
		}),
		"group.messages": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			q, err := messageQueryArg(args, 0)
			if err != nil {
				return nil, err
			}
			return listMessages(ctx, g, q)
		}),
		"group.countMessages": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			q, err := messageQueryArg(args, 0)
			if err != nil {
				return nil, err
			}
			return countMessages(ctx, g, q)
		}),
		"group.members": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			ms, err := g.Members(ctx)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(ms))
			for i, m := range ms {
				ids := make([]string, len(m.InstallationIDs))
				for j, id := range m.InstallationIDs {
					ids[j] = hex.EncodeToString(id)
				}
				level := jsPermissionMember
				switch {
				case m.IsSuperAdmin:
					level = jsPermissionSuperAdmin
				case m.IsAdmin:
					level = jsPermissionAdmin
				}
				accounts := make([]any, len(m.Addresses))
				for j, a := range m.Addresses {
					accounts[j] = object{"identifier": a, "identifierKind": identifierKindEthereum}
				}
				consent, err := c.InboxConsent(ctx, m.InboxID)
				if err != nil {
					return nil, err
				}
				out[i] = object{
					"inboxId": m.InboxID, "accountIdentifiers": accounts, "installationIds": ids,
					"permissionLevel": level, "consentState": int(consent),
				}
			}
			return out, nil
		}),
		"group.addMembers":                 members((*core.Group).AddMembers, stringValue, "inboxIds"),
		"group.removeMembers":              members((*core.Group).RemoveMembers, stringValue, "inboxIds"),
		"group.addMembersByIdentifiers":    members((*core.Group).AddMembersByIdentifiers, ethereumAddress, "identifiers"),
		"group.removeMembersByIdentifiers": members((*core.Group).RemoveMembersByIdentifiers, ethereumAddress, "identifiers"),
		"group.updateName":                 attribute((*core.Group).UpdateName, "name"),
		"group.updateDescription":          attribute((*core.Group).UpdateDescription, "description"),
		"group.updateImageUrl":             attribute((*core.Group).UpdateImageURL, "imageUrl"),
		"group.updateAppData": attribute(func(g *core.Group, ctx context.Context, v string) error {
			return g.UpdateAttribute(ctx, metadata.AttrAppData, v)
		}, "appData"),
		"group.addAdmin":         attribute((*core.Group).AddAdmin, "inboxId"),
		"group.removeAdmin":      attribute((*core.Group).RemoveAdmin, "inboxId"),
		"group.addSuperAdmin":    attribute((*core.Group).AddSuperAdmin, "inboxId"),
		"group.removeSuperAdmin": attribute((*core.Group).RemoveSuperAdmin, "inboxId"),
		"group.permissions": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			st, err := g.Metadata()
			if err != nil {
				return nil, err
			}
			return groupPermissions(st.Policies), nil
		}),
		"group.updatePermission": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			u, o, field := arg(args, 0), arg(args, 1), arg(args, 2)
			if typeOf(u) != js.TypeNumber || typeOf(o) != js.TypeNumber {
				return nil, badArgument("updatePermission takes a PermissionUpdateType and a PermissionPolicy")
			}
			var key string
			if typeOf(field) == js.TypeNumber {
				var err error
				if key, err = permissions.MetadataField(field.Int()).Key(); err != nil {
					return nil, badArgument("metadataField: %w", err)
				}
			} else if typeOf(field) != js.TypeUndefined {
				return nil, badArgument("metadataField must be a MetadataField")
			}
			return nil, g.UpdatePermission(ctx, permissions.UpdateType(u.Int()), permissions.Option(o.Int()), key)
		}),
		"group.stream": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			return openStream(ctx, args, 0, g.Stream, messageValue)
		}),
		"group.requestRemoval": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			return nil, g.Leave(ctx)
		}),
		"group.isPendingRemoval": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			return g.PendingLeave(), nil
		}),
		"group.messageDisappearingSettings": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			st, err := g.Metadata()
			if err != nil {
				return nil, err
			}
			d := st.Mutable.Disappearing()
			if !d.Enabled() {
				return nil, nil
			}
			return object{"fromNs": bigInt(d.FromNS), "inNs": bigInt(d.InNS)}, nil
		}),
		"group.updateMessageDisappearingSettings": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			d, err := disappearingValue(arg(args, 0))
			if err == nil && d == nil {
				err = badArgument("settings must be {fromNs, inNs}")
			}
			if err != nil {
				return nil, err
			}
			return nil, g.UpdateDisappearing(ctx, *d)
		}),
		"group.removeMessageDisappearingSettings": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			return nil, g.UpdateDisappearing(ctx, metadata.Disappearing{})
		}),
		// lastReadTimes: the newest read receipt of each inbox, by inbox id (nanoseconds).
		"group.lastReadTimes": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			receipts, err := g.Messages(ctx, core.MessagesOptions{ContentTypes: []content.TypeID{content.TypeReadReceipt}})
			if err != nil {
				return nil, err
			}
			out := object{}
			for _, m := range receipts {
				if at, ok := out[m.SenderInboxID].(bigInt); !ok || int64(at) < m.SentAtNs {
					out[m.SenderInboxID] = bigInt(m.SentAtNs)
				}
			}
			return out, nil
		}),
		// debugInfo: what goxmtp knows of browser-sdk's ConversationDebugInfo. It keeps no
		// commit log, so the logs are empty and no fork is reported.
		"group.debugInfo": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			return object{
				"epoch": bigInt(g.Epoch()), "maybeForked": false, "forkDetails": "",
				"localCommitLog": "", "remoteCommitLog": "", "cursor": []any{},
			}, nil
		}),
		"group.consentState": on(func(_ context.Context, g *core.Group, _ []js.Value) (any, error) {
			return int(g.ConsentState()), nil
		}),
		"group.updateConsentState": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			s, err := consentValue(arg(args, 0), "state")
			if err != nil {
				return nil, err
			}
			return nil, g.UpdateConsentState(ctx, s)
		}),
	}
	// sendText(text, opts), sendReaction(reaction, opts), ..., sendReadReceipt(opts).
	for kind := range builtInKinds {
		optsAt := 1
		if kind == "readReceipt" {
			optsAt = 0
		}
		methods["group.send"+strings.ToUpper(kind[:1])+kind[1:]] = on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			c, err := builtIn(kind, arg(args, 0))
			if err != nil {
				return nil, err
			}
			return sendContent(ctx, g, c, args, optsAt)
		})
	}
	return methods
}

// groupArg finds the conversation whose hex id is args[0].
func groupArg(ctx context.Context, c *core.Client, args []js.Value) (*core.Group, error) {
	s, err := stringArg(args, 0, "conversation id")
	if err != nil {
		return nil, err
	}
	id, err := hex.DecodeString(s)
	if err != nil || len(id) == 0 {
		return nil, badArgument("conversation id must be hex")
	}
	return c.Conversations().GetConversationByID(ctx, id)
}

// sendContent encodes one of the built-in content types and sends it.
func sendContent(ctx context.Context, g *core.Group, c content.Content, args []js.Value, optsAt int) (any, error) {
	ec, err := content.Encode(c)
	if err != nil {
		return nil, badArgument("content: %w", err)
	}
	return send(ctx, g, ec, args, optsAt)
}

// send sends ec with browser-sdk's SendOpts {optimistic, idempotencyKey} and resolves with
// the message id.
func send(ctx context.Context, g *core.Group, ec *mlscontents.EncodedContent, args []js.Value, optsAt int) (any, error) {
	opts, err := objectArg(args, optsAt, "options")
	if err != nil {
		return nil, err
	}
	var so core.SendOptions
	switch o := opts.Get("optimistic"); typeOf(o) {
	case js.TypeBoolean:
		so.Optimistic = o.Bool()
	case js.TypeUndefined:
	default:
		return nil, badArgument("optimistic must be a boolean")
	}
	if so.IdempotencyKey, err = optionalString(opts, "idempotencyKey"); err != nil {
		return nil, err
	}
	id, err := g.Send(ctx, ec, so)
	if err != nil {
		return nil, err
	}
	return hex.EncodeToString(id), nil
}
