package identity

import (
	"bufio"
	"context"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// libxmtpRegistrations reads updates that libxmtp itself built and signed.
func libxmtpRegistrations(t testing.TB) []*associations.IdentityUpdate {
	t.Helper()
	f, err := os.Open("testdata/libxmtp-registrations.hex")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var updates []*associations.IdentityUpdate
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		u := new(associations.IdentityUpdate)
		if err := proto.Unmarshal(b, u); err != nil {
			t.Fatal(err)
		}
		// Our .proto files know every field libxmtp sent, with the same numbers and types:
		// nothing lands in unknown fields and re-encoding gives libxmtp's bytes back.
		again, err := proto.Marshal(u)
		if hasUnknownFields(u.ProtoReflect()) || err != nil || string(again) != string(b) {
			t.Fatalf("update re-encodes differently (%v):\n%x\n%x", err, again, b)
		}
		updates = append(updates, u)
	}
	if err := s.Err(); err != nil || len(updates) == 0 {
		t.Fatalf("no updates read: %v", err)
	}
	return updates
}

// TestLibxmtpRegistrations validates registrations made by libxmtp 1.11: its signature text,
// EIP-191 wallet signatures (made by viem) and Ed25519ph installation signatures must all
// check out here, and the inbox id must follow from the wallet and nonce 1.
func TestLibxmtpRegistrations(t *testing.T) {
	for i, u := range libxmtpRegistrations(t) {
		create := u.GetActions()[0].GetCreateInbox()
		installation := u.GetActions()[1].GetAdd().GetNewMemberIdentifier().GetInstallationPublicKey()
		st, err := Validator{}.Apply(context.Background(), nil, u)
		if err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
		owner := EthereumMember(create.GetInitialIdentifier())
		if want, _ := InboxID(owner, DefaultNonce); create.GetNonce() != DefaultNonce || st.InboxID() != want {
			t.Errorf("update %d: nonce %d inbox %s, want nonce 1 inbox %s", i, create.GetNonce(), st.InboxID(), want)
		}
		if st.RecoveryIdentifier() != owner || !st.HasInstallation(installation) || len(st.Members()) != 2 {
			t.Errorf("update %d: state %v", i, st.Proto())
		}
		// Our builder, given the same members and time, asks for the very same text.
		text, err := SignatureText(u)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := NewUpdate(u.GetInboxId(), u.GetClientTimestampNs()).
			CreateInbox(fixedMember{owner}, create.GetNonce()).
			AddMember(fixedMember{owner}, fixedMember{InstallationMember(installation)}).
			SignatureText()
		if err != nil || ours != text {
			t.Errorf("update %d: our text differs (%v):\n%s\nlibxmtp's:\n%s", i, err, ours, text)
		}
	}
}

// fixedMember is a Signer that is only asked for its identity.
type fixedMember struct{ id MemberID }

func (f fixedMember) Member() MemberID { return f.id }
func (f fixedMember) Sign(context.Context, string) (*associations.Signature, error) {
	panic("fixedMember cannot sign")
}

// hasUnknownFields reports whether m or any message inside it kept fields it did not know.
func hasUnknownFields(m protoreflect.Message) bool {
	found := len(m.GetUnknown()) > 0
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Message() == nil || fd.IsMap():
		case fd.IsList():
			for i := 0; i < v.List().Len() && !found; i++ {
				found = hasUnknownFields(v.List().Get(i).Message())
			}
		default:
			found = hasUnknownFields(v.Message())
		}
		return !found
	})
	return found
}
