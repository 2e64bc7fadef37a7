//go:build !js

package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestAccounts(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	second, elsewhere := newWallet(t), newWallet(t)
	net.create(t, elsewhere, memstore.New())

	if err := a.AddAccount(ctx, second, false); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := a.InboxIDFor(ctx, second.Member().Address()); err != nil || !ok || id != a.InboxID() {
		t.Fatalf("the linked wallet's inbox: %q %v %v", id, ok, err)
	}
	if err := a.AddAccount(ctx, second, false); !errors.Is(err, core.ErrAccountAlreadyAssociated) {
		t.Fatalf("linking it again: %v, want ErrAccountAlreadyAssociated", err)
	}
	if err := a.AddAccount(ctx, elsewhere, false); !errors.Is(err, core.ErrInboxReassign) {
		t.Fatalf("linking another inbox's wallet: %v, want ErrInboxReassign", err)
	}

	if err := a.ChangeRecoveryIdentifier(ctx, w, second.Member().Address()); err != nil {
		t.Fatal(err)
	}
	st, err := a.InboxState(ctx, a.InboxID())
	if err != nil {
		t.Fatal(err)
	}
	if got := st.RecoveryIdentifier().Address(); got != second.Member().Address() {
		t.Fatalf("recovery %s, want the second wallet", got)
	}
	// The first wallet is no longer the recovery wallet: the second one removes it.
	if err := a.RemoveAccount(ctx, w, w.Member().Address()); err == nil {
		t.Fatal("the former recovery wallet removed an account")
	}
	if err := a.RemoveAccount(ctx, second, w.Member().Address()); err != nil {
		t.Fatal(err)
	}
	if st, err = a.InboxState(ctx, a.InboxID()); err != nil {
		t.Fatal(err)
	}
	for _, m := range st.Members() {
		if m.ID == w.Member() {
			t.Fatal("the removed wallet is still a member")
		}
	}
}
