package identity

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	"google.golang.org/protobuf/proto"
)

// fuzzSeeds are real updates of every action kind, libxmtp's among them, so the fuzzer
// starts from valid input.
func fuzzSeeds(f *testing.F) {
	ctx := context.Background()
	r := register(f)
	second := newWallet(f)
	installation := newInstallation(f)
	for _, u := range append(libxmtpRegistrations(f),
		r.log[0],
		must(f)(AddInstallation(ctx, r.inboxID, r.wallet, installation, testTime+1)),
		must(f)(LinkWallet(ctx, r.inboxID, r.wallet, second, testTime+2)),
		must(f)(RevokeInstallations(ctx, r.inboxID, r.wallet, [][]byte{installation.PublicKey()}, testTime+3)),
		must(f)(ChangeRecovery(ctx, r.inboxID, r.wallet, second.Member(), testTime+4)),
	) {
		b, err := proto.Marshal(u)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzDecodeIdentityUpdate feeds arbitrary bytes to the decoder and the signature text.
func FuzzDecodeIdentityUpdate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var u associations.IdentityUpdate
		if proto.Unmarshal(b, &u) != nil {
			return
		}
		text, err := SignatureText(&u)
		if err == nil && len(text) == 0 {
			t.Fatal("empty signature text")
		}
	})
}

// FuzzValidateIdentityUpdate applies arbitrary updates to a registered inbox and to no
// inbox, with a contract-wallet verifier that accepts everything, so that every rule is
// reachable. Nothing may panic, and a failed update must leave the state unchanged.
func FuzzValidateIdentityUpdate(f *testing.F) {
	fuzzSeeds(f)
	r := register(f)
	before := proto.Clone(r.state.Proto())
	v := Validator{SmartContracts: acceptAll(true)}
	f.Fuzz(func(t *testing.T, b []byte) {
		var u associations.IdentityUpdate
		if proto.Unmarshal(b, &u) != nil {
			return
		}
		ctx := context.Background()
		if st, err := v.Apply(ctx, nil, &u); err == nil && st.InboxID() != u.GetInboxId() {
			t.Fatalf("accepted state of inbox %s for update of %s", st.InboxID(), u.GetInboxId())
		}
		_, _ = v.Apply(ctx, r.state, &u)
		if !proto.Equal(before, r.state.Proto()) {
			t.Fatal("applying an update changed the state it was applied to")
		}
	})
}

// FuzzCredentialInboxID reads arbitrary basic-credential identities, as key packages from
// the network carry them.
func FuzzCredentialInboxID(f *testing.F) {
	c, err := NewCredential("fcd18d86276d7a99fe522dba9660c420f03c8648785ada7c5daae232a3df77a9")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(c.Data)
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := CredentialInboxID(mls.NewBasicCredential(b))
		if err == nil && !validInboxID(id) {
			t.Fatalf("accepted inbox id %q", id)
		}
	})
}
