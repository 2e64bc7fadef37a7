package content

import mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"

// ReadReceipt says the sender has read the conversation up to this message
// (xmtp.org/readReceipt:1.0). It has no body.
type ReadReceipt struct{}

func (ReadReceipt) Type() TypeID { return TypeReadReceipt }
func (ReadReceipt) encode() (*mlscontents.EncodedContent, error) {
	return newEncoded(TypeReadReceipt, nil, "", nil), nil
}

func decodeReadReceipt(*mlscontents.EncodedContent) (Content, error) { return ReadReceipt{}, nil }
