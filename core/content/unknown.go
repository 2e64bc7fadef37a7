package content

import mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"

// Unknown is content of a type this package does not decode. It keeps the EncodedContent
// (decompressed) so it can be stored, forwarded or handed to an app-level codec.
type Unknown struct {
	Encoded *mlscontents.EncodedContent
}

func (u Unknown) Type() TypeID                                 { return TypeOf(u.Encoded) }
func (u Unknown) encode() (*mlscontents.EncodedContent, error) { return u.Encoded, nil }

// Fallback is the sender's text for clients that cannot render the type.
func (u Unknown) Fallback() string { return Fallback(u.Encoded) }
