//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/content"
)

// Readers of browser-sdk 7.1's attachment shapes, for sendAttachment, sendRemoteAttachment,
// sendMultiRemoteAttachment and their encoders.

// attachmentValue reads an Attachment {filename?, mimeType, content}.
func attachmentValue(v js.Value) (content.Attachment, error) {
	var a content.Attachment
	if typeOf(v) != js.TypeObject {
		return a, badArgument("attachment must be an Attachment {filename?, mimeType, content}")
	}
	var err error
	if a.Filename, err = optionalString(v, "filename"); err != nil {
		return a, err
	}
	if a.MimeType, err = stringValue(v.Get("mimeType"), "attachment.mimeType"); err != nil {
		return a, err
	}
	a.Data, err = bytesValue(v.Get("content"), "attachment.content")
	return a, err
}

// remoteAttachmentValue reads a RemoteAttachment {url, contentDigest, secret, salt, nonce,
// scheme, contentLength?, filename?}; the keys must have the sizes decryption needs.
func remoteAttachmentValue(v js.Value, name string) (content.RemoteAttachment, error) {
	var r content.RemoteAttachment
	if typeOf(v) != js.TypeObject {
		return r, badArgument("%s must be a RemoteAttachment", name)
	}
	var err error
	for field, dst := range map[string]*string{"url": &r.URL, "contentDigest": &r.ContentDigest, "scheme": &r.Scheme} {
		if *dst, err = stringValue(v.Get(field), name+"."+field); err != nil {
			return r, err
		}
	}
	for _, f := range []struct {
		field string
		size  int
		dst   *[]byte
	}{{"secret", 32, &r.Secret}, {"salt", 32, &r.Salt}, {"nonce", 12, &r.Nonce}} {
		if *f.dst, err = bytesValue(v.Get(f.field), name+"."+f.field); err != nil {
			return r, err
		}
		if len(*f.dst) != f.size {
			return r, badArgument("%s.%s must be %d bytes", name, f.field, f.size)
		}
	}
	if r.Filename, err = optionalString(v, "filename"); err != nil {
		return r, err
	}
	if n := v.Get("contentLength"); typeOf(n) != js.TypeUndefined {
		l, err := enumValue(n, name+".contentLength", "a byte count", 1<<32-1)
		if err != nil {
			return r, err
		}
		r.ContentLength = uint32(l)
	}
	return r, nil
}

// multiRemoteAttachmentValue reads a MultiRemoteAttachment {attachments}.
func multiRemoteAttachmentValue(v js.Value) (content.MultiRemoteAttachment, error) {
	var m content.MultiRemoteAttachment
	if typeOf(v) != js.TypeObject {
		return m, badArgument("multiRemoteAttachment must be {attachments: RemoteAttachment[]}")
	}
	var err error
	m.Attachments, err = arrayArg([]js.Value{v.Get("attachments")}, 0, "multiRemoteAttachment.attachments", remoteAttachmentValue)
	return m, err
}

// encryptAttachment is the module's encryptAttachment(attachment): browser-sdk's function of
// that name. It seals the attachment for upload; the app uploads payload and sends a
// RemoteAttachment of these fields plus the URL and scheme.
func encryptAttachment(_ context.Context, args []js.Value) (any, error) {
	a, err := attachmentValue(arg(args, 0))
	if err != nil {
		return nil, err
	}
	payload, r, err := content.EncryptAttachment(a)
	if err != nil {
		return nil, err
	}
	out := object{
		"payload": payload, "contentDigest": r.ContentDigest, "secret": r.Secret, "salt": r.Salt,
		"nonce": r.Nonce, "contentLength": int(r.ContentLength),
	}
	return withOptional(out, "filename", r.Filename), nil
}

// decryptAttachment is the module's decryptAttachment(encryptedBytes, remoteAttachment): it
// checks the downloaded bytes against the digest and opens them into an Attachment.
func decryptAttachment(_ context.Context, args []js.Value) (any, error) {
	payload, err := bytesValue(arg(args, 0), "encryptedBytes")
	if err != nil {
		return nil, err
	}
	r, err := remoteAttachmentValue(arg(args, 1), "remoteAttachment")
	if err != nil {
		return nil, err
	}
	a, err := content.DecryptAttachment(payload, r)
	if err != nil {
		return nil, err
	}
	return contentValue(a), nil
}
