package content

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Content is a decoded message body: one of Text, Markdown, Reply, Reaction, ReadReceipt,
// Attachment, RemoteAttachment, MultiRemoteAttachment, GroupUpdated, LeaveRequest,
// TransactionReference, WalletSendCalls, Actions, Intent or Unknown. The interface is
// sealed; other content types travel as Unknown.
type Content interface {
	// Type is the content type the value encodes to.
	Type() TypeID
	encode() (*mlscontents.EncodedContent, error)
}

// decoders maps a type (authority, type, major; the minor version is ignored) to the function
// that reads its uncompressed EncodedContent. Replies are decoded apart because they nest.
var decoders = map[TypeID]func(*mlscontents.EncodedContent) (Content, error){
	major(TypeText):                  decodeText,
	major(TypeMarkdown):              decodeMarkdown,
	major(TypeReaction):              decodeReaction,
	major(TypeReactionLegacy):        decodeLegacyReaction,
	major(TypeReadReceipt):           decodeReadReceipt,
	major(TypeAttachment):            decodeAttachment,
	major(TypeRemoteAttachment):      decodeRemoteAttachment,
	major(TypeMultiRemoteAttachment): decodeMultiRemoteAttachment,
	major(TypeGroupUpdated):          decodeGroupUpdated,
	major(TypeLeaveRequest):          decodeLeaveRequest,
	major(TypeTransactionReference):  decodeTransactionReference,
	major(TypeWalletSendCalls):       decodeWalletSendCalls,
	major(TypeActions):               decodeActions,
	major(TypeIntent):                decodeIntent,
}

func major(t TypeID) TypeID { return TypeID{Authority: t.Authority, Type: t.Type, Major: t.Major} }

// Encode returns c as EncodedContent, uncompressed. Compress it afterwards if wanted.
func Encode(c Content) (*mlscontents.EncodedContent, error) {
	ec, err := c.encode()
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", c.Type(), err)
	}
	return ec, nil
}

// Decode decompresses ec if needed and returns its Go value, or Unknown for a content type
// this package does not know. Known types whose body is malformed fail with ErrMalformed
// (or ErrUnsupportedEncoding); a client may still show such a message through Fallback.
func Decode(ec *mlscontents.EncodedContent) (Content, error) { return decodeAt(ec, 0) }

func decodeAt(ec *mlscontents.EncodedContent, depth int) (Content, error) {
	plain, err := Decompress(ec)
	if err != nil {
		return nil, err
	}
	t := TypeOf(plain)
	var c Content
	if major(t) == major(TypeReply) {
		c, err = decodeReply(plain, depth)
	} else if dec, ok := decoders[major(t)]; ok {
		c, err = dec(plain)
	} else {
		return Unknown{Encoded: plain}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", t, err)
	}
	return c, nil
}

// Marshal serializes ec deterministically (sorted parameters), so equal content gives equal
// bytes. Message ids hash the bytes as sent; receivers must hash what they received.
func Marshal(ec *mlscontents.EncodedContent) ([]byte, error) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(ec)
	if err != nil {
		return nil, fmt.Errorf("marshal encoded content: %w", err)
	}
	return b, nil
}

// Unmarshal parses serialized EncodedContent from untrusted bytes.
func Unmarshal(b []byte) (*mlscontents.EncodedContent, error) {
	ec := new(mlscontents.EncodedContent)
	if err := proto.Unmarshal(b, ec); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("encoded content: %w", err))
	}
	return ec, nil
}

// Fallback returns the human-readable text a client should show for ec when it cannot render
// its type, or "" when the sender gave none.
func Fallback(ec *mlscontents.EncodedContent) string { return ec.GetFallback() }

// newEncoded builds EncodedContent of type t; fallback "" means none.
func newEncoded(t TypeID, params map[string]string, fallback string, body []byte) *mlscontents.EncodedContent {
	ec := &mlscontents.EncodedContent{Type: t.Proto(), Parameters: params, Content: body}
	if fallback != "" {
		ec.Fallback = &fallback
	}
	return ec
}
