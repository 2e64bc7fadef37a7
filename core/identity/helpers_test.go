package identity

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// testTime is a fixed client timestamp (2024-01-02T03:04:05Z) so that texts are stable.
const testTime uint64 = 1704164645_000000000

func newWallet(t testing.TB) *LocalWallet {
	t.Helper()
	w, err := NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newInstallation(t testing.TB) *InstallationKey {
	t.Helper()
	k, err := NewInstallationKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// impostor claims to be member but signs with signer's key, to break signer checks.
type impostor struct {
	member MemberID
	signer Signer
}

func (i impostor) Member() MemberID { return i.member }
func (i impostor) Sign(ctx context.Context, text string) (*associations.Signature, error) {
	return i.signer.Sign(ctx, text)
}

// acceptAll is a smart-contract verifier that accepts every signature, or refuses all.
type acceptAll bool

func (a acceptAll) VerifySmartContractSignature(context.Context, SmartContractSignature) (bool, error) {
	return bool(a), nil
}

// fixedSig returns a SignTextFunc that answers with the given bytes.
func fixedSig(b ...byte) SignTextFunc {
	return func(context.Context, string) ([]byte, error) { return b, nil }
}

// registered is an inbox created by wallet with one installation.
type registered struct {
	wallet       *LocalWallet
	installation *InstallationKey
	inboxID      string
	log          []*associations.IdentityUpdate
	state        *State
}

func register(t testing.TB) *registered {
	t.Helper()
	r := &registered{wallet: newWallet(t), installation: newInstallation(t)}
	u, inboxID, err := Register(context.Background(), r.wallet, DefaultNonce, r.installation, testTime)
	if err != nil {
		t.Fatal(err)
	}
	r.inboxID = inboxID
	r.push(t, u)
	return r
}

// push validates u against the inbox's state and appends it to the log.
func (r *registered) push(t testing.TB, u *associations.IdentityUpdate) {
	t.Helper()
	st, err := Validator{}.Apply(context.Background(), r.state, u)
	if err != nil {
		t.Fatal(err)
	}
	r.state = st
	r.log = append(r.log, u)
}

// must returns a function that returns the built update or fails the test; it lets a
// builder's two results be passed straight in.
func must(t testing.TB) func(*associations.IdentityUpdate, error) *associations.IdentityUpdate {
	return func(u *associations.IdentityUpdate, err error) *associations.IdentityUpdate {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
}
