//go:build !js

package core_test

import (
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestSignatureRequests(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	b := net.create(t, w, memstore.New())

	r, err := a.RevokeInstallationsRequest(ctx, [][]byte{b.InstallationID()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Wallet() != w.Member() {
		t.Fatalf("the request wants %s, not the recovery wallet", r.Wallet())
	}
	other := newWallet(t)
	if err := r.Apply(ctx, other.Member(), other.SignText(r.Text())); !errors.Is(err, core.ErrSignatureRequestSigner) {
		t.Fatalf("another wallet's signature: %v, want ErrSignatureRequestSigner", err)
	}
	if err := r.Apply(ctx, w.Member(), other.SignText(r.Text())); err == nil {
		t.Fatal("the node took a signature by another key")
	}
	if err := r.Apply(ctx, w.Member(), w.SignText(r.Text())); err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(ctx, w.Member(), w.SignText(r.Text())); !errors.Is(err, core.ErrSignatureRequestUsed) {
		t.Fatalf("applying twice: %v, want ErrSignatureRequestUsed", err)
	}
	st, err := a.InboxState(ctx, a.InboxID())
	if err != nil {
		t.Fatal(err)
	}
	if st.HasInstallation(b.InstallationID()) {
		t.Fatal("the installation was not revoked")
	}

	second := newWallet(t)
	add, err := a.AddAccountRequest(ctx, second.Member().Address(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := add.Apply(ctx, second.Member(), second.SignText(add.Text())); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := a.InboxIDFor(ctx, second.Member().Address()); err != nil || !ok || id != a.InboxID() {
		t.Fatalf("the added wallet's inbox: %q %v %v", id, ok, err)
	}
}
