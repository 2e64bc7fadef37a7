package identity

import (
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	contents "github.com/goxmtp/goxmtp/proto/message_contents"
	"google.golang.org/protobuf/proto"
)

// legacySigner is an XMTP V2 identity key, vouched for by a wallet, signing for it.
type legacySigner struct {
	wallet *LocalWallet
	key    secp256k1Key
	signed *contents.SignedPublicKey
}

func newLegacySigner(t *testing.T, wallet *LocalWallet) *legacySigner {
	t.Helper()
	key, err := generateSecp256k1Key()
	if err != nil {
		t.Fatal(err)
	}
	keyBytes, err := proto.Marshal(&contents.UnsignedPublicKey{
		CreatedNs: testTime,
		Union: &contents.UnsignedPublicKey_Secp256K1Uncompressed_{Secp256K1Uncompressed: &contents.UnsignedPublicKey_Secp256K1Uncompressed{
			Bytes: key.publicKey(),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	walletSig := wallet.SignText(legacyKeyText(keyBytes))
	return &legacySigner{wallet: wallet, key: key, signed: &contents.SignedPublicKey{
		KeyBytes: keyBytes,
		Signature: &contents.Signature{Union: &contents.Signature_WalletEcdsaCompact{WalletEcdsaCompact: &contents.Signature_WalletECDSACompact{
			Bytes: walletSig[:64], Recovery: uint32(walletSig[64] - 27),
		}}},
	}}
}

func (l *legacySigner) Member() MemberID { return l.wallet.Member() }

func (l *legacySigner) Sign(_ context.Context, text string) (*associations.Signature, error) {
	sig := l.key.sign(eip191Hash(text))
	return &associations.Signature{Signature: &associations.Signature_DelegatedErc_191{DelegatedErc_191: &associations.LegacyDelegatedSignature{
		DelegatedKey: l.signed,
		Signature:    &associations.RecoverableEcdsaSignature{Bytes: sig},
	}}}, nil
}

func TestLegacyDelegatedCreatesNonceZeroInbox(t *testing.T) {
	ctx := context.Background()
	wallet := newWallet(t)
	legacy := newLegacySigner(t, wallet)
	u, inboxID, err := Register(ctx, legacy, 0, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Validator{}.Apply(ctx, nil, u)
	if err != nil {
		t.Fatal(err)
	}
	if st.InboxID() != inboxID || st.RecoveryIdentifier() != wallet.Member() {
		t.Fatalf("legacy inbox %s recovery %s", st.InboxID(), st.RecoveryIdentifier())
	}
	// The legacy key's vouching signature is recorded: the key cannot be used again.
	again := must(t)(AddInstallation(ctx, inboxID, legacy, newInstallation(t), testTime+1))
	if _, err := (Validator{}).Apply(ctx, st, again); !errors.Is(err, ErrReplay) {
		t.Fatalf("legacy key reused: %v", err)
	}
}

func TestRuleLegacySignatureMisuse(t *testing.T) {
	ctx := context.Background()
	wallet := newWallet(t)
	u, _, err := Register(ctx, newLegacySigner(t, wallet), 1, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Validator{}).Apply(ctx, nil, u); !errors.Is(err, ErrLegacySignatureMisuse) {
		t.Fatalf("legacy create with nonce 1: %v", err)
	}
	// On an inbox of nonce 1, the wallet's legacy key cannot add members.
	r := &registered{wallet: wallet}
	reg, inboxID, err := Register(ctx, wallet, 1, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	r.push(t, reg)
	add := must(t)(AddInstallation(ctx, inboxID, newLegacySigner(t, wallet), newInstallation(t), testTime+1))
	if err := r.apply(add); !errors.Is(err, ErrLegacySignatureMisuse) {
		t.Fatalf("legacy add on a nonce-1 inbox: %v", err)
	}
	// The recovery identifier never signs through a legacy key.
	revoke := must(t)(NewUpdate(inboxID, testTime+2).Revoke(newLegacySigner(t, wallet), newWallet(t).Member()).Sign(ctx))
	if err := r.apply(revoke); !errors.Is(err, ErrLegacySignatureMisuse) {
		t.Fatalf("legacy recovery signature: %v", err)
	}
}

func TestLegacyDelegatedForgery(t *testing.T) {
	ctx := context.Background()
	wallet := newWallet(t)
	legacy := newLegacySigner(t, wallet)
	// A V2 key vouched for by another wallet cannot speak for this one.
	legacy.signed = newLegacySigner(t, newWallet(t)).signed
	u, _, err := Register(ctx, legacy, 0, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Validator{}).Apply(ctx, nil, u); err == nil {
		t.Fatal("update signed by a key vouched for by another wallet accepted")
	}
	legacy.signed = &contents.SignedPublicKey{KeyBytes: []byte{1}}
	u, _, _ = Register(ctx, legacy, 0, newInstallation(t), testTime)
	if _, err := (Validator{}).Apply(ctx, nil, u); !errors.Is(err, ErrMalformedLegacyKey) {
		t.Fatalf("legacy key without wallet signature: %v", err)
	}
}
