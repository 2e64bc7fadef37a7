package content

import (
	"fmt"
	"unicode/utf8"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Text is a plain text message (xmtp.org/text:1.0).
type Text string

func (Text) Type() TypeID                                   { return TypeText }
func (t Text) encode() (*mlscontents.EncodedContent, error) { return encodeUTF8(TypeText, string(t)) }

func decodeText(ec *mlscontents.EncodedContent) (Content, error) {
	s, err := decodeUTF8(ec)
	return Text(s), err
}

// The text codecs name their character set in a parameter; only UTF-8 exists in practice.
const (
	paramEncoding = "encoding"
	encodingUTF8  = "UTF-8"
)

func encodeUTF8(t TypeID, s string) (*mlscontents.EncodedContent, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("text is not valid UTF-8: %w", ErrInvalidContent)
	}
	return newEncoded(t, map[string]string{paramEncoding: encodingUTF8}, "", []byte(s)), nil
}

// decodeUTF8 accepts a missing encoding parameter as UTF-8, as libxmtp does.
func decodeUTF8(ec *mlscontents.EncodedContent) (string, error) {
	if enc, ok := ec.Parameters[paramEncoding]; ok && enc != encodingUTF8 {
		return "", fmt.Errorf("encoding %q: %w", enc, ErrUnsupportedEncoding)
	}
	if !utf8.Valid(ec.Content) {
		return "", fmt.Errorf("text is not valid UTF-8: %w", ErrMalformed)
	}
	return string(ec.Content), nil
}
