package content

import (
	"fmt"
	"strconv"
	"strings"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// TypeID names a content type, written "authority/type:major.minor" (e.g. xmtp.org/text:1.0).
// Codecs match on authority, type and major version; a minor version only adds fields.
type TypeID struct {
	Authority string
	Type      string
	Major     uint32
	Minor     uint32
}

const xmtpAuthority = "xmtp.org"

// The content types this package encodes and decodes (libxmtp 1.11 crates/xmtp_content_types).
var (
	TypeText                  = TypeID{xmtpAuthority, "text", 1, 0}
	TypeMarkdown              = TypeID{xmtpAuthority, "markdown", 1, 0}
	TypeReply                 = TypeID{xmtpAuthority, "reply", 1, 0}
	TypeReaction              = TypeID{xmtpAuthority, "reaction", 2, 0}
	TypeReactionLegacy        = TypeID{xmtpAuthority, "reaction", 1, 0}
	TypeReadReceipt           = TypeID{xmtpAuthority, "readReceipt", 1, 0}
	TypeAttachment            = TypeID{xmtpAuthority, "attachment", 1, 0}
	TypeRemoteAttachment      = TypeID{xmtpAuthority, "remoteStaticAttachment", 1, 0}
	TypeMultiRemoteAttachment = TypeID{xmtpAuthority, "multiRemoteStaticAttachment", 1, 0}
	TypeGroupUpdated          = TypeID{xmtpAuthority, "group_updated", 1, 0}
	TypeLeaveRequest          = TypeID{xmtpAuthority, "leave_request", 1, 0}
	TypeTransactionReference  = TypeID{xmtpAuthority, "transactionReference", 1, 0}
	TypeWalletSendCalls       = TypeID{xmtpAuthority, "walletSendCalls", 1, 0}
	TypeActions               = TypeID{"coinbase.com", "actions", 1, 0}
	TypeIntent                = TypeID{"coinbase.com", "intent", 1, 0}
)

// String formats t as "authority/type:major.minor".
func (t TypeID) String() string {
	return t.Authority + "/" + t.Type + ":" + strconv.FormatUint(uint64(t.Major), 10) + "." +
		strconv.FormatUint(uint64(t.Minor), 10)
}

// ParseTypeID parses the "authority/type:major.minor" form, as found in a reply's
// contentType parameter.
func ParseTypeID(s string) (TypeID, error) {
	authority, rest, ok1 := strings.Cut(s, "/")
	typ, version, ok2 := strings.Cut(rest, ":")
	major, minor, ok3 := strings.Cut(version, ".")
	if !ok1 || !ok2 || !ok3 || authority == "" || typ == "" {
		return TypeID{}, fmt.Errorf("content type %q: %w", s, ErrMalformed)
	}
	ma, err1 := strconv.ParseUint(major, 10, 32)
	mi, err2 := strconv.ParseUint(minor, 10, 32)
	if err1 != nil || err2 != nil {
		return TypeID{}, fmt.Errorf("content type %q version: %w", s, ErrMalformed)
	}
	return TypeID{authority, typ, uint32(ma), uint32(mi)}, nil
}

// Proto returns t as the wire ContentTypeId.
func (t TypeID) Proto() *mlscontents.ContentTypeId {
	return &mlscontents.ContentTypeId{AuthorityId: t.Authority, TypeId: t.Type, VersionMajor: t.Major, VersionMinor: t.Minor}
}

// TypeOf returns the content type of ec (the zero TypeID when ec has none).
func TypeOf(ec *mlscontents.EncodedContent) TypeID {
	p := ec.GetType()
	return TypeID{p.GetAuthorityId(), p.GetTypeId(), p.GetVersionMajor(), p.GetVersionMinor()}
}
