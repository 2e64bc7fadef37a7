package node

import (
	"context"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

func publish(c clients, u *associations.IdentityUpdate) error {
	_, err := c.id.PublishIdentityUpdate(context.Background(), connect.NewRequest(&identityv1.PublishIdentityUpdateRequest{IdentityUpdate: u}))
	return err
}

func inboxOf(t *testing.T, c clients, address string) (string, bool) {
	t.Helper()
	res, err := c.id.GetInboxIds(context.Background(), connect.NewRequest(&identityv1.GetInboxIdsRequest{
		Requests: []*identityv1.GetInboxIdsRequest_Request{{Identifier: address, IdentifierKind: associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	r := res.Msg.GetResponses()[0]
	if r.GetIdentifier() != address {
		t.Errorf("response for %q, want %q", r.GetIdentifier(), address)
	}
	return r.GetInboxId(), r.InboxId != nil
}

func newWallet(t testing.TB) *identity.LocalWallet {
	w, err := identity.NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func newInstallation(t testing.TB) *identity.InstallationKey {
	k, err := identity.NewInstallationKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestIdentityUpdates(t *testing.T) {
	tn := startNode(t, Config{})
	ctx := context.Background()
	ts := uint64(time.Now().UnixNano())
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := tn.clientsFor(p.h2c, p.option)
			wallet, wallet2 := newWallet(t), newWallet(t)
			inst := newInstallation(t)
			if _, ok := inboxOf(t, c, wallet.Address()); ok {
				t.Fatal("unknown wallet resolved")
			}
			reg, inboxID, err := identity.Register(ctx, wallet, 1, inst, ts)
			if err != nil {
				t.Fatal(err)
			}
			if err := publish(c, reg); err != nil {
				t.Fatal(err)
			}
			// The same update again replays its signatures: refused, nothing stored.
			wantCode(t, publish(c, reg), connect.CodeInvalidArgument)

			if got, _ := inboxOf(t, c, wallet.Address()); got != inboxID {
				t.Fatalf("GetInboxIds = %q, want %q", got, inboxID)
			}
			link, err := identity.LinkWallet(ctx, inboxID, wallet, wallet2, ts+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := publish(c, link); err != nil {
				t.Fatal(err)
			}
			if got, _ := inboxOf(t, c, wallet2.Address()); got != inboxID {
				t.Fatalf("linked wallet resolves to %q", got)
			}
			revoke, err := identity.NewUpdate(inboxID, ts+2).Revoke(wallet, wallet2.Member()).Sign(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := publish(c, revoke); err != nil {
				t.Fatal(err)
			}
			if _, ok := inboxOf(t, c, wallet2.Address()); ok {
				t.Fatal("revoked wallet still resolves")
			}

			res, err := c.id.GetIdentityUpdates(ctx, connect.NewRequest(&identityv1.GetIdentityUpdatesRequest{
				Requests: []*identityv1.GetIdentityUpdatesRequest_Request{{InboxId: inboxID}, {InboxId: randomInboxID(t)}},
			}))
			if err != nil {
				t.Fatal(err)
			}
			log := res.Msg.GetResponses()[0].GetUpdates()
			if len(log) != 3 || res.Msg.GetResponses()[1].GetInboxId() == "" || len(res.Msg.GetResponses()[1].GetUpdates()) != 0 {
				t.Fatalf("got %d updates, want 3", len(log))
			}
			for i := 1; i < len(log); i++ {
				if log[i].GetSequenceId() <= log[i-1].GetSequenceId() || log[i].GetServerTimestampNs() < log[i-1].GetServerTimestampNs() {
					t.Errorf("sequence ids or timestamps not increasing")
				}
			}
			// Only entries after the requested sequence id.
			res, err = c.id.GetIdentityUpdates(ctx, connect.NewRequest(&identityv1.GetIdentityUpdatesRequest{
				Requests: []*identityv1.GetIdentityUpdatesRequest_Request{{InboxId: inboxID, SequenceId: log[0].GetSequenceId()}},
			}))
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Msg.GetResponses()[0].GetUpdates(); len(got) != 2 || got[0].GetSequenceId() != log[1].GetSequenceId() {
				t.Fatalf("after cursor: %d updates", len(got))
			}
		})
	}
}

func TestIdentityUpdateRejections(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	ts := uint64(time.Now().UnixNano())
	wallet, stranger := newWallet(t), newWallet(t)
	reg, inboxID, err := identity.Register(ctx, wallet, 1, newInstallation(t), ts)
	if err != nil {
		t.Fatal(err)
	}
	// Not created yet: adding to an inbox that has no log.
	early, err := identity.AddInstallation(ctx, inboxID, wallet, newInstallation(t), ts)
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, publish(c, early), connect.CodeInvalidArgument)
	if err := publish(c, reg); err != nil {
		t.Fatal(err)
	}
	forged, err := identity.AddInstallation(ctx, inboxID, stranger, newInstallation(t), ts+1)
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, publish(c, forged), connect.CodeInvalidArgument)
	tampered, err := identity.AddInstallation(ctx, inboxID, wallet, newInstallation(t), ts+1)
	if err != nil {
		t.Fatal(err)
	}
	tampered.ClientTimestampNs += uint64(time.Hour) // the signed text shows the time to the second
	wantCode(t, publish(c, tampered), connect.CodeInvalidArgument)
	wantCode(t, publish(c, nil), connect.CodeInvalidArgument)
	wantCode(t, publish(c, &associations.IdentityUpdate{InboxId: "xyz"}), connect.CodeInvalidArgument)

	res, err := c.id.GetIdentityUpdates(ctx, connect.NewRequest(&identityv1.GetIdentityUpdatesRequest{
		Requests: []*identityv1.GetIdentityUpdatesRequest_Request{{InboxId: inboxID}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Msg.GetResponses()[0].GetUpdates()); n != 1 {
		t.Fatalf("%d updates stored, want only the registration", n)
	}
	if _, ok := inboxOf(t, c, stranger.Address()); ok {
		t.Fatal("a rejected update linked a wallet")
	}
}

// TestInboxLogFull fills an inbox's log to the limit through the store, then publishes once more.
func TestInboxLogFull(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	ts := uint64(time.Now().UnixNano())
	wallet := newWallet(t)
	reg, inboxID, err := identity.Register(ctx, wallet, 1, newInstallation(t), ts)
	if err != nil {
		t.Fatal(err)
	}
	if err := publish(c, reg); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < identity.MaxInboxUpdates; i++ {
		u, err := identity.AddInstallation(ctx, inboxID, wallet, newInstallation(t), ts+uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if err := publish(c, u); err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
	}
	u, err := identity.AddInstallation(ctx, inboxID, wallet, newInstallation(t), ts+1000)
	if err != nil {
		t.Fatal(err)
	}
	err = publish(c, u)
	wantCode(t, err, connect.CodeResourceExhausted)
	if ce := new(connect.Error); !errorsAs(err, &ce) || ce.Message() != "inbox log is full" {
		t.Errorf("got %v", err)
	}
}

// registerInbox publishes a new inbox owned by wallet with one installation.
func registerInbox(t testing.TB, c clients, wallet *identity.LocalWallet) (*associations.IdentityUpdate, string) {
	t.Helper()
	reg, inboxID, err := identity.Register(context.Background(), wallet, 1, newInstallation(t), uint64(time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	if err := publish(c, reg); err != nil {
		t.Fatal(err)
	}
	return reg, inboxID
}

// TestConcurrentIdentityUpdates publishes updates to one inbox from many goroutines: each is
// validated against the log as it stands when appended, so all land, in one consistent order.
func TestConcurrentIdentityUpdates(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	wallet := newWallet(t)
	_, inboxID := registerInbox(t, c, wallet)
	ts := uint64(time.Now().UnixNano())
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		go func() {
			u, err := identity.AddInstallation(ctx, inboxID, wallet, newInstallation(t), ts+uint64(i))
			if err == nil {
				err = publish(c, u)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	res, err := c.id.GetIdentityUpdates(ctx, connect.NewRequest(&identityv1.GetIdentityUpdatesRequest{
		Requests: []*identityv1.GetIdentityUpdatesRequest_Request{{InboxId: inboxID}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	var log []*associations.IdentityUpdate
	for _, e := range res.Msg.GetResponses()[0].GetUpdates() {
		log = append(log, e.GetUpdate())
	}
	st, err := identity.Validator{}.Replay(ctx, log)
	if err != nil {
		t.Fatalf("stored log does not replay: %v", err)
	}
	if got := len(st.Installations()); got != n+1 {
		t.Fatalf("%d installations, want %d", got, n+1)
	}
}
