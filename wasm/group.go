//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
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
	return map[string]method{
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
		"group.sendText": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			text, err := stringArg(args, 0, "text")
			if err != nil {
				return nil, err
			}
			return sendContent(ctx, g, content.Text(text), args, 1)
		}),
		"group.sendMarkdown": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			md, err := stringArg(args, 0, "markdown")
			if err != nil {
				return nil, err
			}
			return sendContent(ctx, g, content.Markdown(md), args, 1)
		}),
		"group.sendReadReceipt": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			return sendContent(ctx, g, content.ReadReceipt{}, args, 0)
		}),
		"group.sendReaction": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			r, err := reactionValue(arg(args, 0))
			if err != nil {
				return nil, err
			}
			return sendContent(ctx, g, r, args, 1)
		}),
		"group.sendReply": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			r, err := replyValue(arg(args, 0))
			if err != nil {
				return nil, err
			}
			return sendContent(ctx, g, r, args, 1)
		}),
		// publishMessages publishes what is stored unpublished (optimistic sends, sends that
		// failed to reach the node): a sync, which publishes first, then reads.
		"group.publishMessages": on(func(ctx context.Context, g *core.Group, _ []js.Value) (any, error) {
			return nil, g.Sync(ctx)
		}),
		"group.messages": on(func(ctx context.Context, g *core.Group, args []js.Value) (any, error) {
			opts, err := messagesOptions(args, 0)
			if err != nil {
				return nil, err
			}
			msgs, err := g.Messages(ctx, opts)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(msgs))
			for i, m := range msgs {
				out[i] = messageValue(m)
			}
			return out, nil
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
				out[i] = object{"inboxId": m.InboxID, "accountIdentifiers": accounts, "installationIds": ids, "permissionLevel": level}
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

// send sends ec with browser-sdk's SendOpts {optimistic} and resolves with the message id.
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
	id, err := g.Send(ctx, ec, so)
	if err != nil {
		return nil, err
	}
	return hex.EncodeToString(id), nil
}

// messagesOptions reads browser-sdk's ListMessagesOptions.
func messagesOptions(args []js.Value, i int) (core.MessagesOptions, error) {
	var o core.MessagesOptions
	v, err := objectArg(args, i, "options")
	if err != nil {
		return o, err
	}
	if o.SentAfterNs, err = optionalInt64(v, "sentAfterNs"); err != nil {
		return o, err
	}
	if o.SentBeforeNs, err = optionalInt64(v, "sentBeforeNs"); err != nil {
		return o, err
	}
	limit, err := optionalInt64(v, "limit")
	if err != nil {
		return o, err
	}
	o.Limit = int(limit)
	// The JS enums count from 0 where core's stored values count from 1 (§7.4).
	if d, err := optionalInt64(v, "direction"); err != nil {
		return o, err
	} else if d == 1 {
		o.Direction = core.SortDescending
	}
	if s := v.Get("deliveryStatus"); typeOf(s) != js.TypeUndefined {
		if typeOf(s) != js.TypeNumber || s.Int() < 0 || s.Int() > 2 {
			return o, badArgument("deliveryStatus must be a DeliveryStatus")
		}
		o.DeliveryStatus = core.DeliveryStatus(s.Int() + 1)
	}
	if k := v.Get("kind"); typeOf(k) != js.TypeUndefined {
		if typeOf(k) != js.TypeNumber || k.Int() < 0 || k.Int() > 1 {
			return o, badArgument("kind must be a GroupMessageKind")
		}
		o.Kind = core.MessageKind(k.Int() + 1)
	}
	return o, nil
}
