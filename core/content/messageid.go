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
