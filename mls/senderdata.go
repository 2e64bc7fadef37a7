package mls

// senderDataKey derives the AEAD key and nonce that protect a PrivateMessage's sender data
// (RFC 9420 §6.3.2). They depend on a sample of the content ciphertext, so each message gets
// its own pair without any counter: a receiver learns the sender, and so which ratchet to
// use, only after opening the sender data with them.
func (cs CipherSuite) senderDataKey(senderDataSecret, ciphertext []byte) (key, nonce []byte) {
	sample := ciphertext[:min(len(ciphertext), cs.HashSize())]
	return cs.ExpandWithLabel(senderDataSecret, "key", sample, cs.AEADKeySize()),
		cs.ExpandWithLabel(senderDataSecret, "nonce", sample, cs.AEADNonceSize())
}
