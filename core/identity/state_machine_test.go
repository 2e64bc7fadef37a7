package identity

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// apply validates u on top of the registered inbox and returns the error.
func (r *registered) apply(u *associations.IdentityUpdate) error {
	_, err := Validator{}.Apply(context.Background(), r.state, u)
	return err
}

func TestRegistration(t *testing.T) {
	r := register(t)
	st := r.state
	if st.InboxID() != r.inboxID || st.RecoveryIdentifier() != r.wallet.Member() {
		t.Fatalf("state inbox %s recovery %s", st.InboxID(), st.RecoveryIdentifier())
	}
	installs := st.Installations()
	if len(installs) != 1 || string(installs[0]) != string(r.installation.PublicKey()) {
		t.Fatalf("installations %x", installs)
	}
	m, ok := st.Member(r.installation.Member())
	if !ok || m.AddedBy == nil || *m.AddedBy != r.wallet.Member() || *m.ClientTimestampNs != testTime {
		t.Fatalf("installation member %+v", m)
	}
	// One wallet signature serves CreateInbox and AddAssociation.
	create := r.log[0].GetActions()[0].GetCreateInbox().GetInitialIdentifierSignature()
	add := r.log[0].GetActions()[1].GetAdd().GetExistingMemberSignature()
	if string(create.GetErc_191().GetBytes()) != string(add.GetErc_191().GetBytes()) {
		t.Fatal("wallet signed twice")
	}
	if got := len(st.Proto().GetSeenSignatures()); got != 2 {
		t.Fatalf("seen signatures %d, want 2 (wallet once, installation once)", got)
	}
}

func TestRuleMultipleCreate(t *testing.T) {
	r := register(t)
	again := must(t)(NewUpdate(r.inboxID, testTime+1).CreateInbox(r.wallet, DefaultNonce).Sign(context.Background()))
	if err := r.apply(again); !errors.Is(err, ErrMultipleCreate) {
		t.Fatalf("second create: %v", err)
	}
	w := newWallet(t)
	id, _ := InboxID(w.Member(), 0)
	twice := must(t)(NewUpdate(id, testTime).CreateInbox(w, 0).CreateInbox(w, 0).Sign(context.Background()))
	if _, err := (Validator{}).Apply(context.Background(), nil, twice); !errors.Is(err, ErrMultipleCreate) {
		t.Fatalf("two creates in one update: %v", err)
	}
}

func TestRuleNotCreated(t *testing.T) {
	w := newWallet(t)
	id, _ := InboxID(w.Member(), 1)
	u := must(t)(AddInstallation(context.Background(), id, w, newInstallation(t), testTime))
	if _, err := (Validator{}).Apply(context.Background(), nil, u); !errors.Is(err, ErrNotCreated) {
		t.Fatalf("add before create: %v", err)
	}
	empty := &associations.IdentityUpdate{InboxId: id}
	if _, err := (Validator{}).Apply(context.Background(), nil, empty); !errors.Is(err, ErrNotCreated) {
		t.Fatalf("empty first update: %v", err)
	}
	if _, err := (Validator{}).Replay(context.Background(), nil); !errors.Is(err, ErrNotCreated) {
		t.Fatalf("empty log: %v", err)
	}
}

func TestRuleInitialSignerMismatch(t *testing.T) {
	owner, other := newWallet(t), newWallet(t)
	id, _ := InboxID(owner.Member(), 1)
	u := must(t)(NewUpdate(id, testTime).CreateInbox(impostor{owner.Member(), other}, 1).Sign(context.Background()))
	if _, err := (Validator{}).Apply(context.Background(), nil, u); !errors.Is(err, ErrInitialSignerMismatch) {
		t.Fatalf("create signed by another wallet: %v", err)
	}
}

func TestRuleNewMemberSignerMismatch(t *testing.T) {
	r := register(t)
	claimed, actual := newInstallation(t), newInstallation(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, r.wallet, impostor{claimed.Member(), actual}, testTime))
	if err := r.apply(u); !errors.Is(err, ErrNewMemberSignerMismatch) {
		t.Fatalf("new member signed by another key: %v", err)
	}
}

func TestRuleAddSelf(t *testing.T) {
	r := register(t)
	u := must(t)(LinkWallet(context.Background(), r.inboxID, r.wallet, r.wallet, testTime))
	if err := r.apply(u); !errors.Is(err, ErrAddSelf) {
		t.Fatalf("wallet adding itself: %v", err)
	}
}

func TestRuleUnknownExistingMember(t *testing.T) {
	r := register(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, newWallet(t), newInstallation(t), testTime))
	if err := r.apply(u); !errors.Is(err, ErrUnknownExistingMember) {
		t.Fatalf("stranger adding an installation: %v", err)
	}
}

func TestRuleNotRecoveryIdentifier(t *testing.T) {
	r := register(t)
	second := newWallet(t)
	r.push(t, must(t)(LinkWallet(context.Background(), r.inboxID, r.wallet, second, testTime+1)))
	revoke := must(t)(RevokeInstallations(context.Background(), r.inboxID, second, [][]byte{r.installation.PublicKey()}, testTime+2))
	if err := r.apply(revoke); !errors.Is(err, ErrNotRecoveryIdentifier) {
		t.Fatalf("revoke by a non-recovery member: %v", err)
	}
	change := must(t)(ChangeRecovery(context.Background(), r.inboxID, second, second.Member(), testTime+2))
	if err := r.apply(change); !errors.Is(err, ErrNotRecoveryIdentifier) {
		t.Fatalf("recovery change by a non-recovery member: %v", err)
	}
}

// TestRuleSignatureKindNotAllowed checks the role table. Signers are derived from the
// signature kind, so no wire update reaches this rule today; libxmtp keeps it as a guard
// and so does goxmtp.
func TestRuleSignatureKindNotAllowed(t *testing.T) {
	ok := map[MemberKind][]signatureKind{
		KindEthereum:     {sigERC191, sigERC1271, sigLegacyDelegated},
		KindInstallation: {sigInstallationKey},
		KindPasskey:      {sigP256},
	}
	for role, kinds := range ok {
		for k := sigERC191; k <= sigP256; k++ {
			allowed := false
			for _, a := range kinds {
				allowed = allowed || a == k
			}
			err := allowedSignature(role, k)
			if allowed != (err == nil) || (err != nil && !errors.Is(err, ErrSignatureKindNotAllowed)) {
				t.Errorf("%s signed by %s: %v", role, k, err)
			}
		}
	}
	st := newState(EthereumMember("0x1111111111111111111111111111111111111111"), "x", nil)
	installation := InstallationMember(make([]byte, 32))
	a := action{kind: actionAdd, subject: installation}
	existing := verifiedSignature{signer: st.recovery, kind: sigERC191, raw: []byte{1}}
	added := verifiedSignature{signer: installation, kind: sigERC191, raw: []byte{2}}
	if err := applyAdd(st, a, existing, added, 1); !errors.Is(err, ErrSignatureKindNotAllowed) {
		t.Fatalf("installation added with a wallet signature: %v", err)
	}
}

func TestRuleInstallationAddsInstallation(t *testing.T) {
	r := register(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, r.installation, newInstallation(t), testTime))
	if err := r.apply(u); !errors.Is(err, ErrInstallationAddsInstallation) {
		t.Fatalf("installation adding an installation: %v", err)
	}
	// An installation may add a wallet.
	r.push(t, must(t)(LinkWallet(context.Background(), r.inboxID, r.installation, newWallet(t), testTime+1)))
}

func TestRuleReplay(t *testing.T) {
	r := register(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, r.wallet, newInstallation(t), testTime+1))
	r.push(t, u)
	if err := r.apply(u); !errors.Is(err, ErrReplay) {
		t.Fatalf("update published twice: %v", err)
	}
	// A fresh update reusing an old wallet signature.
	old := r.log[0].GetActions()[0].GetCreateInbox().GetInitialIdentifierSignature()
	fresh := must(t)(AddInstallation(context.Background(), r.inboxID, r.wallet, newInstallation(t), testTime+2))
	fresh.GetActions()[0].GetAdd().ExistingMemberSignature = old
	if err := r.apply(fresh); err == nil {
		t.Fatal("old signature over another text accepted")
	}
}

func TestRuleWrongInboxID(t *testing.T) {
	w := newWallet(t)
	u := must(t)(NewUpdate("0000000000000000000000000000000000000000000000000000000000000000", testTime).CreateInbox(w, 1).Sign(context.Background()))
	if _, err := (Validator{}).Apply(context.Background(), nil, u); !errors.Is(err, ErrWrongInboxID) {
		t.Fatalf("create under a wrong inbox id: %v", err)
	}
	r := register(t)
	other := register(t)
	u = must(t)(AddInstallation(context.Background(), other.inboxID, r.wallet, newInstallation(t), testTime+1))
	if err := r.apply(u); !errors.Is(err, ErrWrongInboxID) {
		t.Fatalf("update of another inbox: %v", err)
	}
}

func TestRuleInboxLogFull(t *testing.T) {
	log := inboxLog(t, MaxInboxUpdates)
	st, err := Validator{}.Replay(context.Background(), log.updates)
	if err != nil {
		t.Fatal(err)
	}
	next := must(t)(AddInstallation(context.Background(), st.InboxID(), log.wallet, newInstallation(t), testTime+1e9))
	if _, err := (Validator{}).Apply(context.Background(), st, next); !errors.Is(err, ErrInboxLogFull) {
		t.Fatalf("update 257: %v", err)
	}
}

func TestRuleChainIDMismatch(t *testing.T) {
	ctx := context.Background()
	v := Validator{SmartContracts: acceptAll(true)}
	owner := newWallet(t)
	st, err := v.Apply(ctx, nil, mustRegister(t, owner))
	if err != nil {
		t.Fatal(err)
	}
	scw, err := NewSmartContractWalletSigner(1, "0x2222222222222222222222222222222222222222", 7, fixedSig(1, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	st, err = v.Apply(ctx, st, must(t)(LinkWallet(ctx, st.InboxID(), owner, scw, testTime+1)))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := st.Member(scw.Member()); m.ChainID == nil || *m.ChainID != 1 {
		t.Fatalf("contract wallet member %+v", m)
	}
	moved, err := NewSmartContractWalletSigner(10, "0x2222222222222222222222222222222222222222", 7, fixedSig(4, 5, 6))
	if err != nil {
		t.Fatal(err)
	}
	u := must(t)(AddInstallation(ctx, st.InboxID(), moved, newInstallation(t), testTime+2))
	if _, err := v.Apply(ctx, st, u); !errors.Is(err, ErrChainIDMismatch) {
		t.Fatalf("contract wallet signing from another chain: %v", err)
	}
	same, err := NewSmartContractWalletSigner(1, "0x2222222222222222222222222222222222222222", 8, fixedSig(7, 8, 9))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Apply(ctx, st, must(t)(AddInstallation(ctx, st.InboxID(), same, newInstallation(t), testTime+3))); err != nil {
		t.Fatalf("contract wallet on its own chain: %v", err)
	}
}

func TestSmartContractWalletNeedsVerifier(t *testing.T) {
	ctx := context.Background()
	scw, err := NewSmartContractWalletSigner(1, "0x2222222222222222222222222222222222222222", 7, fixedSig(1))
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := Register(ctx, scw, 1, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Validator{}).Apply(ctx, nil, u); !errors.Is(err, ErrNoSmartContractVerifier) {
		t.Fatalf("no verifier: %v", err)
	}
	if _, err := (Validator{SmartContracts: acceptAll(false)}).Apply(ctx, nil, u); !errors.Is(err, ErrSmartContractSignatureDenied) {
		t.Fatalf("verifier says no: %v", err)
	}
	st, err := Validator{SmartContracts: acceptAll(true)}.Apply(ctx, nil, u)
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := st.Member(scw.Member()); m.ChainID == nil || *m.ChainID != 1 {
		t.Fatalf("creator from chain 1: %+v", m)
	}
}

func TestParseAccountID(t *testing.T) {
	a, err := ParseAccountID("eip155:8453:0xABCDEF0123456789abcdef0123456789abcdef01")
	if err != nil || a.ChainID != 8453 || a.Address != "0xabcdef0123456789abcdef0123456789abcdef01" {
		t.Fatalf("%+v, %v", a, err)
	}
	for _, bad := range []string{"", "eip155:1", "eip155:1:0x12:x", "cosmos:hub:0xabcdef0123456789abcdef0123456789abcdef01", "eip155:x:0xabcdef0123456789abcdef0123456789abcdef01", "eip155:1:abc"} {
		if _, err := ParseAccountID(bad); !errors.Is(err, ErrInvalidAccountID) {
			t.Errorf("ParseAccountID(%q) = %v", bad, err)
		}
	}
}

func TestRevokeCascades(t *testing.T) {
	ctx := context.Background()
	r := register(t)
	second := newWallet(t)
	r.push(t, must(t)(LinkWallet(ctx, r.inboxID, r.wallet, second, testTime+1)))
	byFirst, bySecond := newInstallation(t), newInstallation(t)
	r.push(t, must(t)(AddInstallation(ctx, r.inboxID, r.wallet, byFirst, testTime+2)))
	r.push(t, must(t)(AddInstallation(ctx, r.inboxID, second, bySecond, testTime+3)))
	r.push(t, must(t)(NewUpdate(r.inboxID, testTime+4).Revoke(r.wallet, second.Member()).Sign(ctx)))
	if _, ok := r.state.Member(second.Member()); ok {
		t.Fatal("revoked wallet still a member")
	}
	if r.state.HasInstallation(bySecond.PublicKey()) {
		t.Fatal("installation added by the revoked wallet survived")
	}
	if !r.state.HasInstallation(byFirst.PublicKey()) || !r.state.HasInstallation(r.installation.PublicKey()) {
		t.Fatal("installations of the remaining wallet were revoked")
	}
}

func TestChangeRecoveryAddress(t *testing.T) {
	ctx := context.Background()
	r := register(t)
	next := newWallet(t)
	if _, err := ChangeRecovery(ctx, r.inboxID, r.wallet, EthereumMember("0x12"), testTime+1); !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("recovery to a malformed address: %v", err)
	}
	upper := EthereumMember("0x" + strings.ToUpper(next.Address()[2:]))
	r.push(t, must(t)(ChangeRecovery(ctx, r.inboxID, r.wallet, upper, testTime+1)))
	if r.state.RecoveryIdentifier() != next.Member() {
		t.Fatalf("recovery %s", r.state.RecoveryIdentifier())
	}
	// The new recovery identifier, not a member, may add members and revoke.
	extra := newInstallation(t)
	r.push(t, must(t)(AddInstallation(ctx, r.inboxID, next, extra, testTime+2)))
	r.push(t, must(t)(RevokeInstallations(ctx, r.inboxID, next, [][]byte{r.installation.PublicKey()}, testTime+3)))
	if r.state.HasInstallation(r.installation.PublicKey()) || !r.state.HasInstallation(extra.PublicKey()) {
		t.Fatalf("installations %x", r.state.Installations())
	}
	// The old recovery wallet lost the right to revoke.
	old := must(t)(RevokeInstallations(ctx, r.inboxID, r.wallet, [][]byte{extra.PublicKey()}, testTime+4))
	if err := r.apply(old); !errors.Is(err, ErrNotRecoveryIdentifier) {
		t.Fatalf("revoke by the former recovery wallet: %v", err)
	}
}

func TestInstallationLimitIsTheClients(t *testing.T) {
	ctx := context.Background()
	r := register(t)
	for i := 1; i < MaxInstallationsPerInbox; i++ {
		if err := r.state.CanAddInstallation(); err != nil {
			t.Fatalf("installation %d: %v", i+1, err)
		}
		r.push(t, must(t)(AddInstallation(ctx, r.inboxID, r.wallet, newInstallation(t), testTime+uint64(i))))
	}
	if err := r.state.CanAddInstallation(); !errors.Is(err, ErrTooManyInstallations) {
		t.Fatalf("installation 11: %v", err)
	}
	// Validation still accepts the eleventh, as libxmtp does.
	r.push(t, must(t)(AddInstallation(ctx, r.inboxID, r.wallet, newInstallation(t), testTime+99)))
}

func TestRevokeOtherInstallations(t *testing.T) {
	ctx := context.Background()
	r := register(t)
	for i := range 3 {
		r.push(t, must(t)(AddInstallation(ctx, r.inboxID, r.wallet, newInstallation(t), testTime+uint64(i)+1)))
	}
	r.push(t, must(t)(RevokeOtherInstallations(ctx, r.state, r.wallet, r.installation.PublicKey(), testTime+9)))
	if got := r.state.Installations(); len(got) != 1 || string(got[0]) != string(r.installation.PublicKey()) {
		t.Fatalf("installations after revoking the others: %x", got)
	}
}

func TestInvalidSignatureRejected(t *testing.T) {
	r := register(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, r.wallet, newInstallation(t), testTime+1))
	u.GetActions()[0].GetAdd().GetNewMemberSignature().GetInstallationKey().GetBytes()[0] ^= 1
	if err := r.apply(u); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("tampered installation signature: %v", err)
	}
	u.ClientTimestampNs += 1e9 // the text shows seconds; a second later it no longer matches the signatures
	u.GetActions()[0].GetAdd().GetNewMemberSignature().GetInstallationKey().GetBytes()[0] ^= 1
	if err := r.apply(u); err == nil {
		t.Fatal("update with a changed timestamp accepted")
	}
}

func TestMissingFields(t *testing.T) {
	r := register(t)
	u := must(t)(AddInstallation(context.Background(), r.inboxID, r.wallet, newInstallation(t), testTime+1))
	u.GetActions()[0].GetAdd().NewMemberSignature = nil
	if err := r.apply(u); !errors.Is(err, ErrMissingField) {
		t.Fatalf("missing signature: %v", err)
	}
	u.Actions = append(u.Actions, &associations.IdentityAction{})
	if err := r.apply(u); !errors.Is(err, ErrMissingField) {
		t.Fatalf("empty action: %v", err)
	}
}

func mustRegister(t *testing.T, owner Signer) *associations.IdentityUpdate {
	t.Helper()
	u, _, err := Register(context.Background(), owner, DefaultNonce, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
