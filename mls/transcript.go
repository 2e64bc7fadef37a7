package mls

// Transcript hashes (RFC 9420 §8.2) chain every commit into the group's history, so members
// that agree on an epoch also agree on how it was reached. The confirmed hash covers a
// commit up to its signature; the interim hash adds the commit's confirmation tag and seeds
// the next confirmed hash.

// ConfirmedTranscriptHash returns the confirmed transcript hash of the epoch that commit
// opens: Hash(interim_before || ConfirmedTranscriptHashInput), the input being the commit's
// wire format, framed content and signature.
func (cs CipherSuite) ConfirmedTranscriptHash(interimBefore []byte, commit *AuthenticatedContent) []byte {
	e := NewEncoder(len(interimBefore) + 512)
	e.Raw(interimBefore)
	e.U16(uint16(commit.WireFormat))
	commit.Content.Marshal(e)
	e.Opaque(commit.Auth.Signature)
	return cs.Hash(e.Bytes())
}

// InterimTranscriptHash returns Hash(confirmed || InterimTranscriptHashInput), the input
// being the confirmation tag of the commit that produced confirmed.
func (cs CipherSuite) InterimTranscriptHash(confirmed, confirmationTag []byte) []byte {
	e := NewEncoder(len(confirmed) + len(confirmationTag) + 4)
	e.Raw(confirmed)
	e.Opaque(confirmationTag)
	return cs.Hash(e.Bytes())
}

// ConfirmationTag is the MAC, under the new epoch's confirmation key, of its confirmed
// transcript hash: it proves the committer derived the same epoch as its receivers (§6.1).
func (cs CipherSuite) ConfirmationTag(confirmationKey, confirmedTranscriptHash []byte) []byte {
	return cs.MAC(confirmationKey, confirmedTranscriptHash)
}
