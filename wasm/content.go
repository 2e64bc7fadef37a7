//go:build js && wasm

package main

import (
	"encoding/hex"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// messageValue is browser-sdk 7.1's DecodedMessage as a stream or a lookup gives it: the
// built-in content types decoded, no reactions attached and no replies counted (listing
// adds those, see messagelist.go). DeliveryStatus and GroupMessageKind are the JS enums, one
// less than core's stored values. A content type goxmtp does not decode leaves content
// undefined and carries encodedContent, which the page decodes with the app's codecs.
func messageValue(m *core.Message) object {
	out := object{
		"id":             hex.EncodeToString(m.ID),
		"conversationId": hex.EncodeToString(m.GroupID),
		"senderInboxId":  m.SenderInboxID,
		"sentAtNs":       bigInt(m.SentAtNs),
		"kind":           int(m.Kind) - 1,
		"deliveryStatus": int(m.DeliveryStatus) - 1,
		"contentType":    contentTypeValue(m.ContentType),
		"numReplies":     bigInt(0),
		"reactions":      []any{},
	}
	if m.Content.Fallback != nil {
		out["fallback"] = m.Content.GetFallback()
	}
	if m.ExpiresAtNs != 0 {
		out["expiresAtNs"] = bigInt(m.ExpiresAtNs)
	}
	if c, err := m.Decoded(); err == nil {
		out["content"] = contentValue(c)
	}
	if out["content"] == nil {
		out["encodedContent"] = encodedContentObject(m.Content)
	}
	return out
}

// encodedContentObject is browser-sdk's EncodedContent of a message goxmtp does not decode,
// for the app's codecs.
func encodedContentObject(ec *mlscontents.EncodedContent) object {
	params := object{}
	for k, v := range ec.GetParameters() {
		params[k] = v
	}
	out := object{"type": contentTypeValue(content.TypeOf(ec)), "parameters": params, "content": ec.GetContent()}
	if ec.Fallback != nil {
		out["fallback"] = ec.GetFallback()
	}
	if ec.Compression != nil {
		out["compression"] = int(ec.GetCompression())
	}
	return out
}

func contentTypeValue(t content.TypeID) object {
	return object{"authorityId": t.Authority, "typeId": t.Type, "versionMajor": int(t.Major), "versionMinor": int(t.Minor)}
}

// contentValue is a decoded content in browser-sdk 7.1's shape (the wasm-bindings types of the
// same names); nil for a type goxmtp does not decode.
func contentValue(c content.Content) any {
	switch c := c.(type) {
	case content.Text:
		return string(c)
	case content.Markdown:
		return string(c)
	case content.Reaction:
		return object{
			"reference": c.Reference, "referenceInboxId": c.ReferenceInboxID,
			"action": int(c.Action), "content": c.Content, "schema": int(c.Schema),
		}
	case content.Reply:
		return replyObject(c)
	case content.ReadReceipt:
		return object{}
	case content.Attachment:
		return withOptional(object{"mimeType": c.MimeType, "content": c.Data}, "filename", c.Filename)
	case content.RemoteAttachment:
		return remoteAttachmentObject(c)
	case content.MultiRemoteAttachment:
		list := make([]any, len(c.Attachments))
		for i, a := range c.Attachments {
			list[i] = remoteAttachmentObject(a)
		}
		return object{"attachments": list}
	case content.LeaveRequest:
		if c.AuthenticatedNote == nil {
			return object{}
		}
		return object{"authenticatedNote": c.AuthenticatedNote}
	case content.GroupUpdated:
		return groupUpdatedObject(c)
	case content.TransactionReference, content.WalletSendCalls:
		return jsonObject(c)
	case content.Actions:
		return actionsObject(c)
	case content.Intent:
		return intentObject(c)
	}
	return nil
}

// replyObject is the reply as the module hands it to the page, which turns it into
// browser-sdk 7.1's EnrichedReply {referenceId, content, contentType(), inReplyTo}:
// contentType crosses as data (a function cannot) and inReplyTo is null until a listing
// finds the message answered. An answer of a type goxmtp does not decode crosses as its
// EncodedContent with encoded set, for the app's codecs.
func replyObject(r content.Reply) object {
	out := object{
		"referenceId": r.Reference,
		"contentType": contentTypeValue(r.Content.Type()),
		"inReplyTo":   js.Null(),
	}
	if inner := contentValue(r.Content); inner != nil {
		out["content"] = inner
	} else if u, ok := r.Content.(content.Unknown); ok {
		out["content"] = encodedContentObject(u.Encoded)
		out["encoded"] = true
	}
	return out
}

// remoteAttachmentObject is browser-sdk's RemoteAttachment.
func remoteAttachmentObject(r content.RemoteAttachment) object {
	out := object{
		"url": r.URL, "contentDigest": r.ContentDigest, "secret": r.Secret, "salt": r.Salt,
		"nonce": r.Nonce, "scheme": r.Scheme,
	}
	if r.ContentLength != 0 {
		out["contentLength"] = int(r.ContentLength)
	}
	return withOptional(out, "filename", r.Filename)
}

// groupUpdatedObject is browser-sdk's GroupUpdated, the transcript entry of a commit.
func groupUpdatedObject(c content.GroupUpdated) object {
	inboxes := func(ids []string) []any {
		out := make([]any, len(ids))
		for i, id := range ids {
			out[i] = object{"inboxId": id}
		}
		return out
	}
	changes := make([]any, len(c.MetadataChanges))
	for i, ch := range c.MetadataChanges {
		change := object{"fieldName": ch.Field}
		if ch.OldValue != nil {
			change["oldValue"] = *ch.OldValue
		}
		if ch.NewValue != nil {
			change["newValue"] = *ch.NewValue
		}
		changes[i] = change
	}
	return object{
		"initiatedByInboxId":       c.InitiatedBy,
		"addedInboxes":             inboxes(c.Added),
		"removedInboxes":           inboxes(c.Removed),
		"leftInboxes":              inboxes(c.Left),
		"addedAdminInboxes":        inboxes(c.AddedAdmins),
		"removedAdminInboxes":      inboxes(c.RemovedAdmins),
		"addedSuperAdminInboxes":   inboxes(c.AddedSuperAdmins),
		"removedSuperAdminInboxes": inboxes(c.RemovedSuperAdmins),
		"metadataFieldChanges":     changes,
	}
}

// withOptional sets o[field] to v unless v is empty: browser-sdk leaves optional strings out.
func withOptional(o object, field, v string) object {
	if v != "" {
		o[field] = v
	}
	return o
}

// encodedContentValue reads browser-sdk's EncodedContent {type, parameters, fallback,
// compression, content}.
func encodedContentValue(v js.Value, name string) (*mlscontents.EncodedContent, error) {
	if typeOf(v) != js.TypeObject {
		return nil, badArgument("%s must be an EncodedContent object", name)
	}
	t := v.Get("type")
	if typeOf(t) != js.TypeObject {
		return nil, badArgument("%s.type must be a ContentTypeId", name)
	}
	authority, err := stringValue(t.Get("authorityId"), name+".type.authorityId")
	if err != nil {
		return nil, err
	}
	typeID, err := stringValue(t.Get("typeId"), name+".type.typeId")
	if err != nil {
		return nil, err
	}
	body, err := bytesValue(v.Get("content"), name+".content")
	if err != nil {
		return nil, err
	}
	ec := &mlscontents.EncodedContent{
		Type: &mlscontents.ContentTypeId{
			AuthorityId: authority, TypeId: typeID,
			VersionMajor: uint32(t.Get("versionMajor").Int()), VersionMinor: uint32(t.Get("versionMinor").Int()),
		},
		Parameters: map[string]string{},
		Content:    body,
	}
	if p := v.Get("parameters"); typeOf(p) == js.TypeObject {
		keys := js.Global().Get("Object").Call("keys", p)
		for i := 0; i < keys.Length(); i++ {
			k := keys.Index(i).String()
			if ec.Parameters[k], err = stringValue(p.Get(k), name+".parameters."+k); err != nil {
				return nil, err
			}
		}
	}
	if f := v.Get("fallback"); typeOf(f) == js.TypeString {
		s := f.String()
		ec.Fallback = &s
	}
	if c := v.Get("compression"); typeOf(c) == js.TypeNumber {
		comp := mlscontents.Compression(c.Int())
		ec.Compression = &comp
	}
	return ec, nil
}

// reactionValue reads browser-sdk's Reaction {reference, referenceInboxId, action, content,
// schema}; ReactionAction and ReactionSchema have core's numbers.
func reactionValue(v js.Value) (content.Reaction, error) {
	var r content.Reaction
	if typeOf(v) != js.TypeObject {
		return r, badArgument("reaction must be a Reaction object")
	}
	var err error
	if r.Reference, err = stringValue(v.Get("reference"), "reaction.reference"); err != nil {
		return r, err
	}
	if r.Content, err = stringValue(v.Get("content"), "reaction.content"); err != nil {
		return r, err
	}
	if r.ReferenceInboxID, err = optionalString(v, "referenceInboxId"); err != nil {
		return r, err
	}
	action, schema := v.Get("action"), v.Get("schema")
	if typeOf(action) != js.TypeNumber || typeOf(schema) != js.TypeNumber {
		return r, badArgument("reaction.action and reaction.schema must be ReactionAction and ReactionSchema")
	}
	r.Action, r.Schema = content.ReactionAction(action.Int()), content.ReactionSchema(schema.Int())
	return r, nil
}

// replyValue reads browser-sdk's Reply {reference, referenceInboxId, content}; the content
// is an EncodedContent, or a string for a text answer.
func replyValue(v js.Value) (content.Reply, error) {
	var r content.Reply
	if typeOf(v) != js.TypeObject {
		return r, badArgument("reply must be a Reply object")
	}
	var err error
	if r.Reference, err = stringValue(v.Get("reference"), "reply.reference"); err != nil {
		return r, err
	}
	if r.ReferenceInboxID, err = optionalString(v, "referenceInboxId"); err != nil {
		return r, err
	}
	if c := v.Get("content"); typeOf(c) == js.TypeString {
		r.Content = content.Text(c.String())
		return r, nil
	}
	ec, err := encodedContentValue(v.Get("content"), "reply.content")
	if err != nil {
		return r, err
	}
	r.Content = content.Unknown{Encoded: ec}
	return r, nil
}
