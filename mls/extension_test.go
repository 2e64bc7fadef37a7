package mls

import (
	"bytes"
	"testing"
)

func TestRequiredCapabilitiesSatisfiedBy(t *testing.T) {
	caps := Capabilities{
		Extensions:  []ExtensionType{0xff00, ExtensionLastResort},
		Proposals:   []ProposalType{8},
		Credentials: []CredentialType{CredentialBasic},
	}
	tests := []struct {
		name string
		req  RequiredCapabilities
		want bool
	}{
		{"nothing required", RequiredCapabilities{}, true},
		{"listed and default types", RequiredCapabilities{
			Extensions:  []ExtensionType{0xff00, ExtensionExternalSenders},
			Proposals:   []ProposalType{8, ProposalRemove},
			Credentials: []CredentialType{CredentialBasic},
		}, true},
		{"unlisted extension", RequiredCapabilities{Extensions: []ExtensionType{0xff01}}, false},
		{"unlisted proposal", RequiredCapabilities{Proposals: []ProposalType{9}}, false},
		{"unlisted credential", RequiredCapabilities{Credentials: []CredentialType{CredentialX509}}, false},
	}
	for _, tt := range tests {
		decoded, err := DecodeRequiredCapabilities(tt.req.Encode())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := decoded.SatisfiedBy(&caps); got != tt.want {
			t.Errorf("%s: SatisfiedBy = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestExtensionPayloads(t *testing.T) {
	senders := []ExternalSender{
		{SignatureKey: bytes.Repeat([]byte{1}, 32), Credential: NewBasicCredential([]byte("delivery service"))},
		{SignatureKey: bytes.Repeat([]byte{2}, 32), Credential: Credential{Type: CredentialX509, Data: raw(func(e *Encoder) {
			e.Opaque([]byte("leaf cert"))
			e.Opaque([]byte("intermediate"))
		})}},
		{SignatureKey: bytes.Repeat([]byte{3}, 32), Credential: Credential{Type: 0xf00d, Data: []byte("custom credential, kept opaque")}},
	}
	got, err := DecodeExternalSenders(EncodeExternalSenders(senders))
	if err != nil || len(got) != len(senders) {
		t.Fatalf("external senders: %d back, err %v", len(got), err)
	}
	for i := range senders {
		if !bytes.Equal(got[i].SignatureKey, senders[i].SignatureKey) || got[i].Credential.Type != senders[i].Credential.Type ||
			!bytes.Equal(got[i].Credential.Data, senders[i].Credential.Data) {
			t.Errorf("external sender %d: got %+v, want %+v", i, got[i], senders[i])
		}
	}

	pub := bytes.Repeat([]byte{7}, 32)
	if got, err := DecodeExternalPub(EncodeExternalPub(pub)); err != nil || !bytes.Equal(got, pub) {
		t.Errorf("external pub: %x, %v", got, err)
	}
	if got, err := DecodeApplicationID(EncodeApplicationID([]byte("inbox"))); err != nil || string(got) != "inbox" {
		t.Errorf("application id: %q, %v", got, err)
	}
}

// TestUnknownProposalRoundTrip checks that a proposal type outside RFC 9420 (XMTP's
// AppDataUpdate is 8) survives a commit round trip as opaque data.
func TestUnknownProposalRoundTrip(t *testing.T) {
	c := Commit{Proposals: []ProposalOrRef{
		{Proposal: UnknownProposal{ProposalType: 8, Data: []byte("app data update")}},
		{Proposal: RemoveProposal{Removed: 3}},
		{Reference: bytes.Repeat([]byte{5}, 32)},
	}}
	got, err := DecodeCommit(c.Encode())
	if err != nil {
		t.Fatal(err)
	}
	u, ok := got.Proposals[0].Proposal.(UnknownProposal)
	if !ok || u.Type() != 8 || string(u.Data) != "app data update" {
		t.Fatalf("unknown proposal came back as %#v", got.Proposals[0].Proposal)
	}
	if r, ok := got.Proposals[1].Proposal.(RemoveProposal); !ok || r.Removed != 3 {
		t.Fatalf("remove proposal came back as %#v", got.Proposals[1].Proposal)
	}
	if got.Path != nil || !bytes.Equal(got.Encode(), c.Encode()) {
		t.Fatal("commit does not round-trip")
	}
}
