package mls

import (
	"bytes"
	"fmt"
	"testing"
)

type transcriptHashesVector struct {
	CipherSuite                  uint16   `json:"cipher_suite"`
	ConfirmationKey              hexBytes `json:"confirmation_key"`
	AuthenticatedContent         hexBytes `json:"authenticated_content"`
	InterimTranscriptHashBefore  hexBytes `json:"interim_transcript_hash_before"`
	ConfirmedTranscriptHashAfter hexBytes `json:"confirmed_transcript_hash_after"`
	InterimTranscriptHashAfter   hexBytes `json:"interim_transcript_hash_after"`
}

func TestTranscriptHashesVectors(t *testing.T) {
	var vectors []transcriptHashesVector
	loadVectors(t, "transcript-hashes.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			ac, err := DecodeAuthenticatedContent(v.AuthenticatedContent)
			if err != nil {
				t.Fatal(err)
			}
			if ac.Content.ContentType != ContentTypeCommit {
				t.Fatalf("content type %d, want commit", ac.Content.ContentType)
			}
			confirmed := cs.ConfirmedTranscriptHash(v.InterimTranscriptHashBefore, &ac)
			if !bytes.Equal(confirmed, v.ConfirmedTranscriptHashAfter) {
				t.Errorf("confirmed = %x, want %x", confirmed, v.ConfirmedTranscriptHashAfter)
			}
			if !cs.VerifyMAC(v.ConfirmationKey, confirmed, ac.Auth.ConfirmationTag) {
				t.Error("confirmation tag does not verify")
			}
			if tag := cs.ConfirmationTag(v.ConfirmationKey, confirmed); !bytes.Equal(tag, ac.Auth.ConfirmationTag) {
				t.Errorf("confirmation tag = %x, want %x", tag, ac.Auth.ConfirmationTag)
			}
			interim := cs.InterimTranscriptHash(confirmed, ac.Auth.ConfirmationTag)
			if !bytes.Equal(interim, v.InterimTranscriptHashAfter) {
				t.Errorf("interim = %x, want %x", interim, v.InterimTranscriptHashAfter)
			}
		})
	}
}
