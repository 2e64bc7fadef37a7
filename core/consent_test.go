//go:build !js

package core_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

func TestConsentHidesButStillReceives(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ga.ConsentState() != core.ConsentAllowed {
		t.Fatal("a group one created is not allowed")
	}
	gb := joinGroup(t, bob, ga.ID())
	if err := bob.SetInboxConsent(ctx, gb.AddedByInboxID(), core.ConsentDenied); err != nil {
		t.Fatal(err)
	}
	if st, err := bob.InboxConsent(ctx, alice.InboxID()); err != nil || st != core.ConsentDenied {
		t.Fatalf("inbox consent %v, %v", st, err)
	}
	if err := bob.SetInboxConsent(ctx, alice.InboxID(), core.ConsentAllowed); err != nil {
		t.Fatal(err)
	}
	trusted, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if g := joinGroup(t, bob, trusted.ID()); g.ConsentState() != core.ConsentAllowed {
		t.Fatalf("group from an allowed inbox has consent %v", g.ConsentState())
	}
	if err := gb.UpdateConsentState(ctx, core.ConsentDenied); err != nil {
		t.Fatal(err)
	}
	visible, err := bob.Conversations().List(ctx, core.ListOptions{ConsentStates: []core.ConsentState{core.ConsentAllowed, core.ConsentUnknown}})
	if err != nil || len(visible) != 1 || string(visible[0].ID()) != string(trusted.ID()) {
		t.Fatalf("denied group listed: %d, %v", len(visible), err)
	}
	if _, err := ga.SendText(ctx, "still delivered"); err != nil {
		t.Fatal(err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, gb); len(got) != 1 {
		t.Fatalf("denied group stored %d messages", len(got))
	}

	topics, err := bob.Conversations().Topics(ctx)
	if err != nil || len(topics) != 3 || topics[0] != content.WelcomeTopic(bob.InstallationID()) || topics[1] != content.GroupTopic(ga.ID()) {
		t.Fatalf("topics %q, %v", topics, err)
	}
	keys, err := bob.Conversations().HMACKeys(ctx)
	if err != nil || len(keys[hex.EncodeToString(ga.ID())]) != 3 {
		t.Fatalf("hmac keys %v, %v", keys, err)
	}

	// The message alice published carries her sender HMAC and asks for a push; commits do not.
	aliceKeys, err := alice.Conversations().HMACKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	current := aliceKeys[hex.EncodeToString(ga.ID())][1]
	resp, err := net.api.QueryGroupMessages(ctx, &mlsv1.QueryGroupMessagesRequest{GroupId: ga.ID()})
	if err != nil {
		t.Fatal(err)
	}
	apps := 0
	for _, m := range resp.GetMessages() {
		v1 := m.GetV1()
		if v1.GetIsCommit() {
			if v1.GetShouldPush() {
				t.Error("a commit asks for a push")
			}
			continue
		}
		apps++
		if !v1.GetShouldPush() || !bytes.Equal(v1.GetSenderHmac(), content.SenderHMAC(current, v1.GetData())) {
			t.Error("text message without push flag or with a wrong sender HMAC")
		}
	}
	if apps != 1 {
		t.Fatalf("%d application messages on the node", apps)
	}
}
