package content

// silentTypes are the content types whose messages do not wake a device: they change how
// other messages look (reactions, receipts, edits) rather than say something new
// (xmtp-protocol.md §3.4; libxmtp 1.11 ContentCodec::should_push).
var silentTypes = map[TypeID]bool{
	major(TypeReaction):                              true,
	major(TypeReactionLegacy):                        true,
	major(TypeReadReceipt):                           true,
	major(TypeGroupUpdated):                          true,
	major(TypeLeaveRequest):                          true,
	{xmtpAuthority, "group_membership_change", 1, 0}: true,
	{xmtpAuthority, "deleteMessage", 1, 0}:           true,
}

// ShouldPush reports the should_push flag of an application message of type t. Every type
// not known to be silent pushes, which includes text, replies, attachments, transaction
// references and the coinbase.com actions and intents. Commits never push; that is the
// sender's business, not the content's.
func ShouldPush(t TypeID) bool { return !silentTypes[major(t)] }
