package identity

import (
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// TestSignatureTextEveryAction pins the whole text for every action kind; it extends
// libxmtp's create_signatures test (unsigned_actions.rs) with passkeys.
func TestSignatureTextEveryAction(t *testing.T) {
	owner := EthereumMember("0x1234567890abcdef1234567890abcdef12345678")
	inboxID, err := InboxID(owner, 0)
	if err != nil {
		t.Fatal(err)
	}
	linked := EthereumMember("0x4567890abcdef1234567890abcdef12345678123")
	installation := InstallationMember([]byte{1, 2, 3})
	passkey := PasskeyMember([]byte{0xab, 0xcd})
	recovery := EthereumMember("0x7890abcdef1234567890abcdef12345678123456")
	add := func(m MemberID) *associations.IdentityAction {
		return &associations.IdentityAction{Kind: &associations.IdentityAction_Add{Add: &associations.AddAssociation{NewMemberIdentifier: m.Proto()}}}
	}
	revoke := func(m MemberID) *associations.IdentityAction {
		return &associations.IdentityAction{Kind: &associations.IdentityAction_Revoke{Revoke: &associations.RevokeAssociation{MemberToRevoke: m.Proto()}}}
	}
	u := &associations.IdentityUpdate{
		InboxId:           inboxID,
		ClientTimestampNs: 12,
		Actions: []*associations.IdentityAction{
			{Kind: &associations.IdentityAction_CreateInbox{CreateInbox: &associations.CreateInbox{InitialIdentifier: owner.String()}}},
			add(linked), add(installation), add(passkey),
			revoke(linked), revoke(installation), revoke(passkey),
			{Kind: &associations.IdentityAction_ChangeRecoveryAddress{ChangeRecoveryAddress: &associations.ChangeRecoveryAddress{NewRecoveryIdentifier: recovery.String()}}},
		},
	}
	got, err := SignatureText(u)
	if err != nil {
		t.Fatal(err)
	}
	const want = "XMTP : Authenticate to inbox\n" +
		"\n" +
		"Inbox ID: fcd18d86276d7a99fe522dba9660c420f03c8648785ada7c5daae232a3df77a9\n" +
		"Current time: 1970-01-01T00:00:00Z\n" +
		"\n" +
		"- Create inbox\n" +
		"  (Owner: 0x1234567890abcdef1234567890abcdef12345678)\n" +
		"- Link address to inbox\n" +
		"  (Address: 0x4567890abcdef1234567890abcdef12345678123)\n" +
		"- Grant messaging access to app\n" +
		"  (ID: 010203)\n" +
		"- Link passkey to inbox\n" +
		"  (Passkey: abcd)\n" +
		"- Unlink address from inbox\n" +
		"  (Address: 0x4567890abcdef1234567890abcdef12345678123)\n" +
		"- Revoke messaging access from app\n" +
		"  (ID: 010203)\n" +
		"- Unlink passkey from inbox\n" +
		"  (Passkey: abcd)\n" +
		"- Change inbox recovery address\n" +
		"  (Address: 0x7890abcdef1234567890abcdef12345678123456)\n" +
		"\n" +
		"For more info: https://xmtp.org/signatures"
	if got != want {
		t.Fatalf("signature text:\n%s\nwant:\n%s", got, want)
	}
}

func TestSignatureTime(t *testing.T) {
	for ns, want := range map[uint64]string{
		0:                         "1970-01-01T00:00:00Z",
		testTime + 999999999:      "2024-01-02T03:04:05Z",
		1<<63 + 0:                 "1677-09-21T00:12:43Z",
		^uint64(0):                "1969-12-31T23:59:59Z",
		1_000_000_000_000_000_000: "2001-09-09T01:46:40Z",
	} {
		if got := signatureTime(ns); got != want {
			t.Errorf("signatureTime(%d) = %s, want %s", ns, got, want)
		}
	}
}
