package content

// Kind is the JS SDK's ContentType enum (browser-sdk 7.1), which apps use to filter messages
// by type. The values are the SDK's, not a wire format.
type Kind int

const (
	KindActions               Kind = 0
	KindAttachment            Kind = 1
	KindCustom                Kind = 2 // any type not listed here
	KindGroupMembershipChange Kind = 3
	KindGroupUpdated          Kind = 4
	KindIntent                Kind = 5
	KindLeaveRequest          Kind = 6
	KindMarkdown              Kind = 7
	KindMultiRemoteAttachment Kind = 8
	KindReaction              Kind = 9
	KindReadReceipt           Kind = 10
	KindRemoteAttachment      Kind = 11
	KindReply                 Kind = 12
	KindText                  Kind = 13
	KindTransactionReference  Kind = 14
	KindWalletSendCalls       Kind = 15
)

// kindByTypeName maps a type name to its Kind. libxmtp classifies stored messages by the
// type name alone (xmtp_db group_message.rs), whatever the authority or version, and so
// does KindOf, so a filter selects the same messages in both.
var kindByTypeName = map[string]Kind{
	"actions":                     KindActions,
	"attachment":                  KindAttachment,
	"group_membership_change":     KindGroupMembershipChange,
	"group_updated":               KindGroupUpdated,
	"intent":                      KindIntent,
	"leave_request":               KindLeaveRequest,
	"markdown":                    KindMarkdown,
	"multiRemoteStaticAttachment": KindMultiRemoteAttachment,
	"reaction":                    KindReaction,
	"readReceipt":                 KindReadReceipt,
	"remoteStaticAttachment":      KindRemoteAttachment,
	"reply":                       KindReply,
	"text":                        KindText,
	"transactionReference":        KindTransactionReference,
	"walletSendCalls":             KindWalletSendCalls,
}

// KindOf returns the Kind of content type t.
func KindOf(t TypeID) Kind {
	if k, ok := kindByTypeName[t.Type]; ok {
		return k
	}
	return KindCustom
}
