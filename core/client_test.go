//go:build !js

package core_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
)

// countingAPI passes every call to the real node and counts them, to prove what a load does
// not do.
type countingAPI struct {
	api.API
	calls atomic.Int64
}

func (c *countingAPI) GetInboxIds(ctx context.Context, r *identityv1.GetInboxIdsRequest) (*identityv1.GetInboxIdsResponse, error) {
	c.calls.Add(1)
	return c.API.GetInboxIds(ctx, r)
}

func (c *countingAPI) GetIdentityUpdates(ctx context.Context, r *identityv1.GetIdentityUpdatesRequest) (*identityv1.GetIdentityUpdatesResponse, error) {
	c.calls.Add(1)
	return c.API.GetIdentityUpdates(ctx, r)
}

// network is a real node and a client API to it.
type network struct {
	node *nodetest.Node
	api  api.API
}

func newNetwork(t *testing.T) *network {
	t.Helper()
	n := nodetest.Start(t, node.Config{})
	return &network{node: n, api: connectapi.New(n.URL(), connectapi.Config{})}
}

func newWallet(t *testing.T) *identity.LocalWallet {
	t.Helper()
	w, err := identity.NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (n *network) create(t *testing.T, w identity.Signer, s store.Store) *core.Client {
	t.Helper()
	c, err := core.Create(context.Background(), w, core.Options{API: n.api, Store: s})
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	return c
}

func TestCreateRegistersANewInbox(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	c := net.create(t, w, memstore.New())
	want, err := identity.InboxID(w.Member(), core.DefaultInboxNonce)
	if err != nil {
		t.Fatal(err)
	}
	if c.InboxID() != want || !c.IsRegistered() {
		t.Fatalf("inbox %s registered %v, want %s registered", c.InboxID(), c.IsRegistered(), want)
	}
	st, err := c.InboxState(ctx, c.InboxID())
	if err != nil {
		t.Fatal(err)
	}
	if !st.HasInstallation(c.InstallationID()) || st.RecoveryIdentifier() != w.Member() {
		t.Fatalf("inbox state does not hold the installation and the wallet: %v", st.Members())
	}
}

func TestCreateLoadsFromStoreWithoutNetwork(t *testing.T) {
	net := newNetwork(t)
	w := newWallet(t)
	s := memstore.New()
	first := net.create(t, w, s)
	counting := &countingAPI{API: net.api}
	again, err := core.Create(context.Background(), w, core.Options{API: counting, Store: s})
	if err != nil {
		t.Fatal(err)
	}
	if again.InboxID() != first.InboxID() || string(again.InstallationID()) != string(first.InstallationID()) {
		t.Fatal("loading gave another installation")
	}
	if n := counting.calls.Load(); n != 0 {
		t.Fatalf("loading a registered client made %d network calls", n)
	}
}

func TestCreateRefusesAnotherWalletsStore(t *testing.T) {
	net := newNetwork(t)
	s := memstore.New()
	net.create(t, newWallet(t), s)
	_, err := core.Create(context.Background(), newWallet(t), core.Options{API: net.api, Store: s})
	if !errors.Is(err, core.ErrSignerMismatch) {
		t.Fatalf("got %v, want ErrSignerMismatch", err)
	}
}

func TestSecondInstallationJoinsTheSameInbox(t *testing.T) {
	net := newNetwork(t)
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	b := net.create(t, w, memstore.New())
	if a.InboxID() != b.InboxID() {
		t.Fatalf("second installation got inbox %s, want %s", b.InboxID(), a.InboxID())
	}
	st, err := b.InboxState(context.Background(), a.InboxID())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Installations()) != 2 || !st.HasInstallation(a.InstallationID()) || !st.HasInstallation(b.InstallationID()) {
		t.Fatalf("inbox has installations %x", st.Installations())
	}
}

func TestInstallationLimit(t *testing.T) {
	net := newNetwork(t)
	w := newWallet(t)
	for range core.MaxInstallations {
		net.create(t, w, memstore.New())
	}
	_, err := core.Create(context.Background(), w, core.Options{API: net.api, Store: memstore.New()})
	if !errors.Is(err, core.ErrInstallationLimit) {
		t.Fatalf("installation %d: got %v, want ErrInstallationLimit", core.MaxInstallations+1, err)
	}
}

func TestCanMessageAndInboxLookup(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	c := net.create(t, w, memstore.New())
	stranger := newWallet(t)
	got, err := c.CanMessage(ctx, []string{w.Address(), stranger.Address()})
	if err != nil {
		t.Fatal(err)
	}
	if !got[w.Address()] || got[stranger.Address()] {
		t.Fatalf("CanMessage = %v", got)
	}
	id, ok, err := c.InboxIDFor(ctx, w.Address())
	if err != nil || !ok || id != c.InboxID() {
		t.Fatalf("InboxIDFor = %q, %v, %v", id, ok, err)
	}
}

func TestRevokeInstallations(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	w := newWallet(t)
	a := net.create(t, w, memstore.New())
	b := net.create(t, w, memstore.New())
	c := net.create(t, w, memstore.New())
	if err := a.RevokeInstallations(ctx, w, [][]byte{a.InstallationID()}); !errors.Is(err, core.ErrRevokeSelf) {
		t.Fatalf("revoking itself: got %v, want ErrRevokeSelf", err)
	}
	if err := a.RevokeInstallations(ctx, w, [][]byte{b.InstallationID()}); err != nil {
		t.Fatal(err)
	}
	st, err := a.InboxState(ctx, a.InboxID())
	if err != nil {
		t.Fatal(err)
	}
	if st.HasInstallation(b.InstallationID()) || !st.HasInstallation(c.InstallationID()) {
		t.Fatal("revocation did not remove exactly the chosen installation")
	}
	if err := a.RevokeAllOtherInstallations(ctx, w); err != nil {
		t.Fatal(err)
	}
	if st, err = a.InboxState(ctx, a.InboxID()); err != nil {
		t.Fatal(err)
	}
	if got := st.Installations(); len(got) != 1 || string(got[0]) != string(a.InstallationID()) {
		t.Fatalf("after revoking all others: %x", got)
	}
}
