package content

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
	contenttypes "github.com/goxmtp/goxmtp/proto/mls/message_contents/content_types"
)

// MultiRemoteAttachment sends several remote attachments in one message
// (xmtp.org/multiRemoteStaticAttachment:1.0, built into browser-sdk 7.1). Each is encrypted
// and uploaded on its own with EncryptAttachment.
type MultiRemoteAttachment struct {
	Attachments []RemoteAttachment
}

func (MultiRemoteAttachment) Type() TypeID { return TypeMultiRemoteAttachment }

func (m MultiRemoteAttachment) encode() (*mlscontents.EncodedContent, error) {
	var p contenttypes.MultiRemoteAttachment
	for _, r := range m.Attachments {
		info := &contenttypes.RemoteAttachmentInfo{
			ContentDigest: r.ContentDigest, Secret: r.Secret, Nonce: r.Nonce, Salt: r.Salt, Scheme: r.Scheme, Url: r.URL,
		}
		if r.ContentLength != 0 {
			info.ContentLength = &r.ContentLength
		}
		if r.Filename != "" {
			info.Filename = &r.Filename
		}
		p.Attachments = append(p.Attachments, info)
	}
	body, err := proto.Marshal(&p)
	if err != nil {
		return nil, fmt.Errorf("multi remote attachment: %w", err)
	}
	return newEncoded(TypeMultiRemoteAttachment, nil, fmt.Sprintf("%d attachments this app cannot show", len(m.Attachments)), body), nil
}

func decodeMultiRemoteAttachment(ec *mlscontents.EncodedContent) (Content, error) {
	var p contenttypes.MultiRemoteAttachment
	if err := proto.Unmarshal(ec.Content, &p); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("multi remote attachment: %w", err))
	}
	var m MultiRemoteAttachment
	for _, a := range p.Attachments {
		m.Attachments = append(m.Attachments, RemoteAttachment{
			URL: a.Url, ContentDigest: a.ContentDigest, Secret: a.Secret, Salt: a.Salt, Nonce: a.Nonce,
			Scheme: a.Scheme, ContentLength: a.GetContentLength(), Filename: a.GetFilename(),
		})
	}
	return m, nil
}
