//go:build !js

package core_test

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestInboxStatesAndRevocationWithoutAClient(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	b := net.create(t, w, memstore.New())
	states, err := core.FetchInboxStates(ctx, net.api, identity.Validator{}, []string{a.InboxID()})
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || len(states[0].Installations()) != 2 {
		t.Fatalf("states %v: want one inbox of two installations", states)
	}
	if err := core.RevokeInstallationsOf(ctx, net.api, a.InboxID(), w, [][]byte{b.InstallationID()}); err != nil {
		t.Fatal(err)
	}
	if states, err = core.FetchInboxStates(ctx, net.api, identity.Validator{}, []string{a.InboxID()}); err != nil {
		t.Fatal(err)
	}
	if states[0].HasInstallation(b.InstallationID()) || !states[0].HasInstallation(a.InstallationID()) {
		t.Fatal("the revocation did not remove exactly the chosen installation")
	}
	if _, err := core.FetchInboxStates(ctx, net.api, identity.Validator{}, []string{"00"}); err == nil {
		t.Fatal("an unknown inbox has a state")
	}
}
