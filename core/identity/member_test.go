package identity

import (
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

func TestMemberID(t *testing.T) {
	wallet := EthereumMember("0xabcdef0123456789abcdef0123456789abcdef01")
	install := InstallationMember([]byte{0xde, 0xad})
	if wallet.Address() != "0xabcdef0123456789abcdef0123456789abcdef01" || wallet.PublicKey() != nil {
		t.Fatalf("wallet %q %x", wallet.Address(), wallet.PublicKey())
	}
	if install.Address() != "" || string(install.PublicKey()) != "\xde\xad" || install.String() != "dead" {
		t.Fatalf("installation %q %x %s", install.Address(), install.PublicKey(), install)
	}
	for _, m := range []MemberID{wallet, install, PasskeyMember([]byte{1})} {
		back, err := memberFromProto(m.Proto())
		if err != nil || back != m {
			t.Errorf("%s round trip: %v, %v", m, back, err)
		}
	}
	if PasskeyMember([]byte{1}) == InstallationMember([]byte{1}) {
		t.Fatal("a passkey and an installation with the same bytes are the same member")
	}
}

func TestIdentifierFromProto(t *testing.T) {
	pk, err := identifierFromProto("ABcd", associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY)
	if err != nil || pk != PasskeyMember([]byte{0xab, 0xcd}) || pk.String() != "abcd" {
		t.Fatalf("passkey %v, %v", pk, err)
	}
	if id, err := identifierFromProto("0xAB", associations.IdentifierKind_IDENTIFIER_KIND_UNSPECIFIED); err != nil || id != EthereumMember("0xAB") {
		t.Fatalf("unspecified kind is Ethereum, kept as written: %v, %v", id, err)
	}
	if _, err := identifierFromProto("zz", associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY); !errors.Is(err, ErrInvalidPasskey) {
		t.Fatalf("non-hex passkey: %v", err)
	}
	if _, err := identifierFromProto("x", 7); !errors.Is(err, ErrUnknownIdentifier) {
		t.Fatalf("kind 7: %v", err)
	}
}
