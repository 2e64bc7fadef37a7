//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/metadata"
)

// browser-sdk's ConversationType (Dm 0, Group 1), not core's metadata values.
const (
	jsConversationDm    = 0
	jsConversationGroup = 1
)

// conversationsMethods are client.conversations' methods on the client handle. Conversations
// cross to JS as descriptions (conversationInfo); JS addresses a conversation by its id.
func conversationsMethods(c *core.Client) map[string]method {
	cv := c.Conversations()
	list := func(kind metadata.ConversationType) method {
		return func(ctx context.Context, args []js.Value) (any, error) {
			opts, err := listOptions(args, 0)
			if err != nil {
				return nil, err
			}
			if kind != 0 {
				opts.ConversationType = kind
			}
			groups, err := cv.List(ctx, opts)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(groups))
			for i, g := range groups {
				out[i] = conversationInfo(c, g)
			}
			return out, nil
		}
	}
	return map[string]method{
		"conversations.sync": func(ctx context.Context, _ []js.Value) (any, error) {
			return nil, cv.Sync(ctx)
		},
		"conversations.syncAll": func(ctx context.Context, _ []js.Value) (any, error) {
			n, err := cv.SyncAll(ctx)
			if err != nil {
				return nil, err
			}
			return object{"numSynced": n}, nil
		},
		"conversations.list":       list(0),
		"conversations.listGroups": list(metadata.ConversationGroup),
		"conversations.listDms":    list(metadata.ConversationDM),
		"conversations.getConversationById": func(ctx context.Context, args []js.Value) (any, error) {
			g, err := groupArg(ctx, c, args)
			if err != nil {
				return notFoundAsUndefined(err)
			}
			return conversationInfo(c, g), nil
		},
		"conversations.getDmByInboxId": func(ctx context.Context, args []js.Value) (any, error) {
			peer, err := stringArg(args, 0, "inboxId")
			if err != nil {
				return nil, err
			}
			g, err := cv.FindDm(ctx, peer)
			if err != nil {
				return notFoundAsUndefined(err)
			}
			return conversationInfo(c, g), nil
		},
		"conversations.fetchDmByIdentifier": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			peer, ok, err := c.InboxIDFor(ctx, address)
			if err != nil || !ok {
				return nil, err
			}
			g, err := cv.FindDm(ctx, peer)
			if err != nil {
				return notFoundAsUndefined(err)
			}
			return conversationInfo(c, g), nil
		},
		"conversations.getMessageById": func(ctx context.Context, args []js.Value) (any, error) {
			s, err := stringArg(args, 0, "message id")
			if err != nil {
				return nil, err
			}
			id, err := hex.DecodeString(s)
			if err != nil || len(id) == 0 {
				return nil, badArgument("message id must be hex")
			}
			m, err := cv.MessageByID(ctx, id)
			if errors.Is(err, core.ErrMessageNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return enrichedMessage(ctx, c, m)
		},
		"conversations.hmacKeys": func(ctx context.Context, _ []js.Value) (any, error) {
			byGroup, err := cv.HMACKeys(ctx)
			if err != nil {
				return nil, err
			}
			out := object{}
			for id, keys := range byGroup {
				list := make([]any, len(keys))
				for i, k := range keys {
					list[i] = object{"key": k.Key, "epoch": bigInt(k.Epoch)}
				}
				out[id] = list
			}
			return out, nil
		},
		"conversations.createGroup": func(ctx context.Context, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, "inboxIds", stringValue)
			if err != nil {
				return nil, err
			}
			opts, err := createGroupOptions(args, 1)
			if err != nil {
				return nil, err
			}
			return described(c)(cv.CreateGroup(ctx, ids, opts))
		},
		"conversations.createGroupWithIdentifiers": func(ctx context.Context, args []js.Value) (any, error) {
			addresses, err := arrayArg(args, 0, "identifiers", ethereumAddress)
			if err != nil {
				return nil, err
			}
			opts, err := createGroupOptions(args, 1)
			if err != nil {
				return nil, err
			}
			return described(c)(cv.CreateGroupWithIdentifiers(ctx, addresses, opts))
		},
		"conversations.createDm": func(ctx context.Context, args []js.Value) (any, error) {
			peer, err := stringArg(args, 0, "inboxId")
			if err != nil {
				return nil, err
			}
			d, err := disappearingOption(args, 1)
			if err != nil {
				return nil, err
			}
			return described(c)(cv.CreateDm(ctx, peer, d))
		},
		"conversations.createDmWithIdentifier": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			d, err := disappearingOption(args, 1)
			if err != nil {
				return nil, err
			}
			return described(c)(cv.CreateDmWithIdentifier(ctx, address, d))
		},
	}
}

// described turns a (group, error) result into the group's description.
func described(c *core.Client) func(*core.Group, error) (any, error) {
	return func(g *core.Group, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return conversationInfo(c, g), nil
	}
}

// notFoundAsUndefined is how browser-sdk's lookups answer a conversation that is not there.
func notFoundAsUndefined(err error) (any, error) {
	if errors.Is(err, core.ErrGroupNotFound) {
		return nil, nil
	}
	return nil, err
}

// conversationInfo is what JS shows of a conversation without asking again: its id, type,
// creation, and the metadata it had when described.
func conversationInfo(c *core.Client, g *core.Group) object {
	info := object{
		"id":             hex.EncodeToString(g.ID()),
		"createdAtNs":    bigInt(g.CreatedAtNs()),
		"addedByInboxId": g.AddedByInboxID(),
		"isActive":       g.IsActive(),
		"consentState":   int(g.ConsentState()),
	}
	if g.ConversationType() == metadata.ConversationDM {
		info["conversationType"] = jsConversationDm
		info["peerInboxId"] = dmPeer(g.DMID(), c.InboxID())
	} else {
		info["conversationType"] = jsConversationGroup
	}
	// One decode of the group's metadata serves every field drawn from it (g.Name() and the
	// like decode it each): listing a hundred conversations costs a hundred decodes, not 400.
	info["name"], info["description"], info["imageUrl"] = "", "", ""
	if st, err := g.Metadata(); err == nil {
		info["name"] = st.Mutable.Attributes[metadata.AttrGroupName]
		info["description"] = st.Mutable.Attributes[metadata.AttrDescription]
		info["imageUrl"] = st.Mutable.Attributes[metadata.AttrGroupImageURLSquare]
		info["creatorInboxId"] = st.Immutable.CreatorInboxID
		info["admins"] = st.Mutable.Admins
		info["superAdmins"] = st.Mutable.SuperAdmins
		info["appData"] = st.Mutable.Attributes[metadata.AttrAppData]
	}
	return info
}

// dmPeer reads the other inbox of a DM from its dm_id, "dm:" + both inbox ids sorted.
func dmPeer(dmID, self string) string {
	for _, id := range strings.Split(strings.TrimPrefix(dmID, "dm:"), ":") {
		if id != self {
			return id
		}
	}
	return self
}

// listOptions reads browser-sdk's ListConversationsOptions.
func listOptions(args []js.Value, i int) (core.ListOptions, error) {
	var o core.ListOptions
	v, err := objectArg(args, i, "options")
	if err != nil {
		return o, err
	}
	if o.CreatedAfterNs, err = optionalInt64(v, "createdAfterNs"); err != nil {
		return o, err
	}
	if o.CreatedBeforeNs, err = optionalInt64(v, "createdBeforeNs"); err != nil {
		return o, err
	}
	limit, err := optionalInt64(v, "limit")
	if err != nil {
		return o, err
	}
	o.Limit = int(limit)
	if o.ConsentStates, err = consentStates(v.Get("consentStates")); err != nil {
		return o, err
	}
	by, err := enumField(v, "orderBy", "a ListConversationsOrderBy", 1)
	if err != nil {
		return o, err
	}
	o.ByLastActivity = by == 1
	switch d := v.Get("includeDuplicateDms"); typeOf(d) {
	case js.TypeBoolean:
		o.IncludeDuplicateDMs = d.Bool()
	case js.TypeUndefined:
	default:
		return o, badArgument("includeDuplicateDms must be a boolean")
	}
	switch t := v.Get("conversationType"); {
	case typeOf(t) == js.TypeUndefined:
	case typeOf(t) == js.TypeNumber && t.Int() == jsConversationDm:
		o.ConversationType = metadata.ConversationDM
	case typeOf(t) == js.TypeNumber && t.Int() == jsConversationGroup:
		o.ConversationType = metadata.ConversationGroup
	default:
		return o, badArgument("conversationType must be ConversationType.Dm or ConversationType.Group")
	}
	return o, nil
}

// consentStates reads a list of browser-sdk ConsentState values (Unknown 0, Allowed 1,
// Denied 2, the same numbers as core's).
func consentStates(v js.Value) ([]core.ConsentState, error) {
	if typeOf(v) == js.TypeUndefined {
		return nil, nil
	}
	return arrayArg([]js.Value{v}, 0, "consentStates", consentValue)
}

func consentValue(v js.Value, name string) (core.ConsentState, error) {
	if typeOf(v) != js.TypeNumber || v.Int() < 0 || v.Int() > int(core.ConsentDenied) {
		return 0, badArgument("%s must be a ConsentState", name)
	}
	return core.ConsentState(v.Int()), nil
}

// createGroupOptions reads browser-sdk's CreateGroupOptions.
func createGroupOptions(args []js.Value, i int) (core.CreateGroupOptions, error) {
	var o core.CreateGroupOptions
	v, err := objectArg(args, i, "options")
	if err != nil {
		return o, err
	}
	for field, dst := range map[string]*string{
		"groupName": &o.Name, "groupDescription": &o.Description, "groupImageUrlSquare": &o.ImageURL, "appData": &o.AppData,
	} {
		if *dst, err = optionalString(v, field); err != nil {
			return o, err
		}
	}
	if o.Disappearing, err = disappearingValue(v.Get("messageDisappearingSettings")); err != nil {
		return o, err
	}
	o.Policies, err = policySetOption(v)
	return o, err
}

// disappearingOption reads the messageDisappearingSettings of a DM's options at args[i].
func disappearingOption(args []js.Value, i int) (*metadata.Disappearing, error) {
	v, err := objectArg(args, i, "options")
	if err != nil {
		return nil, err
	}
	return disappearingValue(v.Get("messageDisappearingSettings"))
}

// disappearingValue reads browser-sdk's MessageDisappearingSettings {fromNs, inNs}; absent
// is nil.
func disappearingValue(v js.Value) (*metadata.Disappearing, error) {
	if typeOf(v) == js.TypeUndefined {
		return nil, nil
	}
	if typeOf(v) != js.TypeObject {
		return nil, badArgument("messageDisappearingSettings must be {fromNs, inNs}")
	}
	from, err := optionalInt64(v, "fromNs")
	if err != nil {
		return nil, err
	}
	in, err := optionalInt64(v, "inNs")
	if err != nil {
		return nil, err
	}
	return &metadata.Disappearing{FromNS: from, InNS: in}, nil
}
