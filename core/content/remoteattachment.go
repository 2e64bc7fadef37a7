package content

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"unicode/utf8"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// RemoteAttachment points at an encrypted file stored elsewhere
// (xmtp.org/remoteStaticAttachment:1.0): the body is the URL, and the parameters carry what
// a receiver needs to check and decrypt the download (see EncryptAttachment).
type RemoteAttachment struct {
	URL           string
	ContentDigest string // lowercase hex SHA-256 of the encrypted payload
	Secret        []byte // 32 bytes
	Salt          []byte // 32 bytes
	Nonce         []byte // 12 bytes
	Scheme        string // "https://"
	ContentLength uint32 // size of the encrypted payload; 0 when not given
	Filename      string // "" when not given
}

const (
	paramContentDigest = "contentDigest"
	paramSecret        = "secret"
	paramSalt          = "salt"
	paramNonce         = "nonce"
	paramScheme        = "scheme"
	paramContentLength = "contentLength"
)

func (RemoteAttachment) Type() TypeID { return TypeRemoteAttachment }

func (r RemoteAttachment) encode() (*mlscontents.EncodedContent, error) {
	params := map[string]string{
		paramContentDigest: r.ContentDigest,
		paramSecret:        hex.EncodeToString(r.Secret),
		paramSalt:          hex.EncodeToString(r.Salt),
		paramNonce:         hex.EncodeToString(r.Nonce),
		paramScheme:        r.Scheme,
	}
	if r.ContentLength != 0 {
		params[paramContentLength] = strconv.FormatUint(uint64(r.ContentLength), 10)
	}
	if r.Filename != "" {
		params[paramFilename] = r.Filename
	}
	return newEncoded(TypeRemoteAttachment, params, attachmentFallback(r.Filename), []byte(r.URL)), nil
}

func decodeRemoteAttachment(ec *mlscontents.EncodedContent) (Content, error) {
	p := ec.Parameters
	r := RemoteAttachment{ContentDigest: p[paramContentDigest], Scheme: p[paramScheme], Filename: p[paramFilename]}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{paramSecret, &r.Secret}, {paramSalt, &r.Salt}, {paramNonce, &r.Nonce}} {
		b, err := hex.DecodeString(p[f.name])
		if err != nil {
			return nil, fmt.Errorf("remote attachment %s is not hex: %w", f.name, ErrMalformed)
		}
		*f.dst = b
	}
	if s, ok := p[paramContentLength]; ok {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("remote attachment content length: %w", ErrMalformed)
		}
		r.ContentLength = uint32(n)
	}
	if !utf8.Valid(ec.Content) {
		return nil, fmt.Errorf("remote attachment URL is not UTF-8: %w", ErrMalformed)
	}
	r.URL = string(ec.Content)
	return r, nil
}
