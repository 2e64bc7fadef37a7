package content

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Reply answers an earlier message (xmtp.org/reply:1.0). Its body is the serialized
// EncodedContent of the answer, which may be of any type; the reference travels in the
// parameters (libxmtp 1.11 reply.rs and the JS reply codec agree on this protobuf form).
type Reply struct {
	// Reference is the hex id of the message answered.
	Reference string
	// ReferenceInboxID is the inbox that sent the message answered; "" when unknown.
	ReferenceInboxID string
	// Content is the answer itself.
	Content Content
}

const (
	paramReference        = "reference"
	paramReferenceInboxID = "referenceInboxId"
	paramContentType      = "contentType"
)

// maxReplyDepth bounds replies nested inside replies; deeper ones decode as Unknown, so a
// crafted message cannot make the decoder recurse once per few bytes of input.
const maxReplyDepth = 4

func (Reply) Type() TypeID { return TypeReply }

func (r Reply) encode() (*mlscontents.EncodedContent, error) {
	if r.Content == nil {
		return nil, fmt.Errorf("reply without content: %w", ErrInvalidContent)
	}
	inner, err := Encode(r.Content)
	if err != nil {
		return nil, err
	}
	body, err := Marshal(inner)
	if err != nil {
		return nil, err
	}
	params := map[string]string{paramReference: r.Reference, paramContentType: r.Content.Type().String()}
	if r.ReferenceInboxID != "" {
		params[paramReferenceInboxID] = r.ReferenceInboxID
	}
	fallback := "Reply to an earlier message"
	if t, ok := r.Content.(Text); ok {
		fallback = fmt.Sprintf("Reply to an earlier message: %q", string(t))
	}
	return newEncoded(TypeReply, params, fallback, body), nil
}

func decodeReply(ec *mlscontents.EncodedContent, depth int) (Content, error) {
	inner := new(mlscontents.EncodedContent)
	if err := proto.Unmarshal(ec.Content, inner); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("reply body: %w", err))
	}
	var c Content = Unknown{Encoded: inner}
	if depth < maxReplyDepth {
		var err error
		if c, err = decodeAt(inner, depth+1); err != nil {
			return nil, fmt.Errorf("reply body: %w", err)
		}
	}
	return Reply{
		Reference:        ec.Parameters[paramReference],
		ReferenceInboxID: ec.Parameters[paramReferenceInboxID],
		Content:          c,
	}, nil
}
