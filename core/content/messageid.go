package content

import "crypto/sha256"

// MessageID is the id of an application message: SHA-256 over the group id, a tab, the
// envelope's idempotency key, a tab and the serialized EncodedContent exactly as carried in
// the envelope (libxmtp utils/mod.rs calculate_message_id). Sender and receivers derive the
// same id, which is how a sender recognizes its own message coming back from the node.
func MessageID(groupID []byte, idempotencyKey string, encodedContent []byte) []byte {
	h := sha256.New()
	h.Write(groupID)
	h.Write([]byte{'\t'})
	h.Write([]byte(idempotencyKey))
	h.Write([]byte{'\t'})
	h.Write(encodedContent)
	return h.Sum(nil)
}

// Transcript messages (group_updated) are stored under ids from the same formula: libxmtp
// uses the commit's timestamp in nanoseconds, in decimal, as the idempotency key, and for
// the "you were added" message of a welcome the welcome's created_ns followed by
// WelcomeAddedSuffix. Using the same keys gives a goxmtp installation the same ids as its
// libxmtp siblings.
const WelcomeAddedSuffix = "_welcome_added"
