package identity

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// passkeySigner plays a WebAuthn authenticator: it signs the authenticator data and the
// hash of client data whose challenge is the update text.
type passkeySigner struct {
	key       *ecdsa.PrivateKey
	challenge func(text string) string
}

func newPasskey(t *testing.T) *passkeySigner {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &passkeySigner{key: key, challenge: func(text string) string { return base64.RawURLEncoding.EncodeToString([]byte(text)) }}
}

func (p *passkeySigner) publicKey() []byte {
	b, err := p.key.PublicKey.Bytes()
	if err != nil {
		panic(err)
	}
	return b
}

func (p *passkeySigner) Member() MemberID { return PasskeyMember(p.publicKey()) }

func (p *passkeySigner) Sign(_ context.Context, text string) (*associations.Signature, error) {
	clientData := []byte(`{"type":"webauthn.get","challenge":"` + p.challenge(text) + `","origin":"https://app.example"}`)
	authData := make([]byte, 37)
	clientHash := sha256.Sum256(clientData)
	digest := sha256.Sum256(append(authData, clientHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, p.key, digest[:])
	if err != nil {
		return nil, err
	}
	return &associations.Signature{Signature: &associations.Signature_Passkey{Passkey: &associations.RecoverablePasskeySignature{
		PublicKey: p.publicKey(), Signature: sig, AuthenticatorData: authData, ClientDataJson: clientData,
	}}}, nil
}

func TestPasskeyInbox(t *testing.T) {
	ctx := context.Background()
	pk := newPasskey(t)
	u, inboxID, err := Register(ctx, pk, DefaultNonce, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if got := u.GetActions()[0].GetCreateInbox().GetInitialIdentifierKind(); got != associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY {
		t.Fatalf("identifier kind %v", got)
	}
	st, err := Validator{}.Apply(ctx, nil, u)
	if err != nil {
		t.Fatal(err)
	}
	if st.InboxID() != inboxID || st.RecoveryIdentifier() != pk.Member() {
		t.Fatalf("passkey inbox %s recovery %v", st.InboxID(), st.RecoveryIdentifier())
	}
	if _, err := (Validator{}).Apply(ctx, st, must(t)(LinkWallet(ctx, inboxID, pk, newWallet(t), testTime+1))); err != nil {
		t.Fatalf("passkey linking a wallet: %v", err)
	}
}

func TestPasskeyClientData(t *testing.T) {
	ctx := context.Background()
	pk := newPasskey(t)
	pk.challenge = func(string) string { return "c29tZXRoaW5nIGVsc2U" }
	u, _, err := Register(ctx, pk, DefaultNonce, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Validator{}).Apply(ctx, nil, u); !errors.Is(err, ErrInvalidClientData) {
		t.Fatalf("challenge of another text: %v", err)
	}
	for _, bad := range []string{`[]`, `{"challenge":1,"origin":"x"}`, `{"Challenge":"x","origin":"x"}`, `{"challenge":"x"}`} {
		if _, err := passkeyChallenge([]byte(bad)); !errors.Is(err, ErrInvalidClientData) {
			t.Errorf("client data %s: %v", bad, err)
		}
	}
}

func TestParseP256(t *testing.T) {
	pk := newPasskey(t)
	compressed := elliptic.MarshalCompressed(elliptic.P256(), pk.key.PublicKey.X, pk.key.PublicKey.Y)
	for _, b := range [][]byte{pk.publicKey(), compressed} {
		key, err := parseP256(b)
		if err != nil || !key.Equal(&pk.key.PublicKey) {
			t.Fatalf("%d-byte key: %v", len(b), err)
		}
	}
	compressed[0] ^= 0xff
	for _, b := range [][]byte{compressed, pk.publicKey()[:64], nil} {
		if _, err := parseP256(b); !errors.Is(err, ErrInvalidPublicKey) {
			t.Errorf("%d-byte bad key: %v", len(b), err)
		}
	}
}
