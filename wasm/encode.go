//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/content"
)

// encodeContent is the module's encodeContent(kind, value): browser-sdk's encodeText,
// encodeMarkdown, encodeReaction, encodeReply and encodeReadReceipt, by core's codecs, for
// apps that send an EncodedContent (a reply's content, group.send).
func encodeContent(_ context.Context, args []js.Value) (any, error) {
	kind, err := stringArg(args, 0, "kind")
	if err != nil {
		return nil, err
	}
	v := arg(args, 1)
	var c content.Content
	switch kind {
	case "text":
		s, err := stringValue(v, "text")
		c = content.Text(s)
		if err != nil {
			return nil, err
		}
	case "markdown":
		s, err := stringValue(v, "markdown")
		c = content.Markdown(s)
		if err != nil {
			return nil, err
		}
	case "reaction":
		if c, err = reactionValue(v); err != nil {
			return nil, err
		}
	case "reply":
		if c, err = replyValue(v); err != nil {
			return nil, err
		}
	case "readReceipt":
		c = content.ReadReceipt{}
	default:
		return nil, badArgument("no built-in content type %q", kind)
	}
	ec, err := content.Encode(c)
	if err != nil {
		return nil, badArgument("%s: %w", kind, err)
	}
	return encodedContentObject(ec), nil
}
