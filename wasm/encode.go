//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/content"
)

// builtInKinds are the content types an app sends by name (group.sendText, encodeText, ...),
// each with its reader of browser-sdk's JS shape.
var builtInKinds = map[string]func(js.Value) (content.Content, error){
	"text": func(v js.Value) (content.Content, error) {
		s, err := stringValue(v, "text")
		return content.Text(s), err
	},
	"markdown": func(v js.Value) (content.Content, error) {
		s, err := stringValue(v, "markdown")
		return content.Markdown(s), err
	},
	"reaction":              func(v js.Value) (content.Content, error) { return reactionValue(v) },
	"reply":                 func(v js.Value) (content.Content, error) { return replyValue(v) },
	"readReceipt":           func(js.Value) (content.Content, error) { return content.ReadReceipt{}, nil },
	"attachment":            func(v js.Value) (content.Content, error) { return attachmentValue(v) },
	"remoteAttachment":      func(v js.Value) (content.Content, error) { return remoteAttachmentValue(v, "remoteAttachment") },
	"multiRemoteAttachment": func(v js.Value) (content.Content, error) { return multiRemoteAttachmentValue(v) },
	"transactionReference":  transactionReferenceValue,
	"walletSendCalls":       walletSendCallsValue,
	"actions":               actionsValue,
	"intent":                intentValue,
}

// builtIn reads value as the content type kind names.
func builtIn(kind string, value js.Value) (content.Content, error) {
	read, ok := builtInKinds[kind]
	if !ok {
		return nil, badArgument("no built-in content type %q", kind)
	}
	return read(value)
}

// encodeContent is the module's encodeContent(kind, value): browser-sdk's encodeText,
// encodeMarkdown, encodeReaction, encodeReply, encodeReadReceipt, encodeAttachment,
// encodeRemoteAttachment, encodeMultiRemoteAttachment, encodeTransactionReference,
// encodeWalletSendCalls, encodeActions and encodeIntent, by core's codecs, for apps that send an EncodedContent (a reply's
// content, group.send).
func encodeContent(_ context.Context, args []js.Value) (any, error) {
	kind, err := stringArg(args, 0, "kind")
	if err != nil {
		return nil, err
	}
	c, err := builtIn(kind, arg(args, 1))
	if err != nil {
		return nil, err
	}
	ec, err := content.Encode(c)
	if err != nil {
		return nil, badArgument("%s: %w", kind, err)
	}
	return encodedContentObject(ec), nil
}
