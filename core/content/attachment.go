package content

import (
	"fmt"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Attachment is a file sent inline (xmtp.org/attachment:1.0): the body is the file's bytes,
// name and MIME type are parameters. Files above a few hundred kilobytes should go as a
// RemoteAttachment instead, since every message is capped by the node.
type Attachment struct {
	Filename string // "" when not given
	MimeType string
	Data     []byte
}

const (
	paramFilename = "filename"
	paramMimeType = "mimeType"
)

func (Attachment) Type() TypeID { return TypeAttachment }

func (a Attachment) encode() (*mlscontents.EncodedContent, error) {
	params := map[string]string{paramMimeType: a.MimeType}
	if a.Filename != "" {
		params[paramFilename] = a.Filename
	}
	return newEncoded(TypeAttachment, params, attachmentFallback(a.Filename), a.Data), nil
}

func decodeAttachment(ec *mlscontents.EncodedContent) (Content, error) {
	return Attachment{
		Filename: ec.Parameters[paramFilename],
		MimeType: ec.Parameters[paramMimeType],
		Data:     ec.Content,
	}, nil
}

func attachmentFallback(filename string) string {
	if filename == "" {
		return "An attachment this app cannot show"
	}
	return fmt.Sprintf("An attachment this app cannot show: %s", filename)
}
