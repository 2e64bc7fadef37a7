package content

import mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"

// Markdown is a message in Markdown (xmtp.org/markdown:1.0); it is encoded like Text.
type Markdown string

func (Markdown) Type() TypeID { return TypeMarkdown }
func (m Markdown) encode() (*mlscontents.EncodedContent, error) {
	return encodeUTF8(TypeMarkdown, string(m))
}

func decodeMarkdown(ec *mlscontents.EncodedContent) (Content, error) {
	s, err := decodeUTF8(ec)
	return Markdown(s), err
}
