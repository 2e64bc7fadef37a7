//go:build !js

package core_test

import (
	"bytes"
	"context"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// joinGroup syncs c's welcomes and returns the group with id, which it must have joined.
func joinGroup(t *testing.T, c *core.Client, id []byte) *core.Group {
	t.Helper()
	ctx := context.Background()
	if err := c.Conversations().Sync(ctx); err != nil {
		t.Fatalf("sync welcomes: %v", err)
	}
	g, err := c.Conversations().GetConversationByID(ctx, id)
	if err != nil {
		t.Fatalf("joined group: %v", err)
	}
	return g
}

func textContent(s string) (*mlscontents.EncodedContent, error) {
	return content.Encode(content.Text(s))
}

// texts returns the text messages of g, in order.
func texts(t *testing.T, g *core.Group) []string {
	t.Helper()
	ms, err := g.Messages(context.Background(), core.MessagesOptions{Kind: core.KindApplication})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		c, err := m.Decoded()
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := c.(content.Text); ok {
			out = append(out, string(s))
		}
	}
	return out
}

func TestGroupCreateJoinAndTalk(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	alice := net.create(t, newWallet(t), memstore.New())
	bob := net.create(t, newWallet(t), memstore.New())

	published := func() []byte {
		resp, err := net.api.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{InstallationKeys: [][]byte{bob.InstallationID()}})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetKeyPackages()[0].GetKeyPackageTlsSerialized()
	}
	used := published()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{Name: "plans"})
	if err != nil {
		t.Fatal(err)
	}
	gb := joinGroup(t, bob, ga.ID())
	if bytes.Equal(published(), used) {
		t.Fatal("the key package a welcome used was not rotated")
	}
	if gb.Name() != "plans" || gb.AddedByInboxID() != alice.InboxID() || gb.ConsentState() != core.ConsentUnknown {
		t.Fatalf("joined group: name %q added by %q consent %v", gb.Name(), gb.AddedByInboxID(), gb.ConsentState())
	}
	members, err := gb.Members(ctx)
	if err != nil || len(members) != 2 {
		t.Fatalf("members %+v, %v", members, err)
	}
	for _, m := range members {
		if len(m.Addresses) != 1 || len(m.InstallationIDs) != 1 {
			t.Fatalf("member %s: addresses %v, %d installations", m.InboxID, m.Addresses, len(m.InstallationIDs))
		}
	}

	if _, err := ga.SendText(ctx, "hi bob"); err != nil {
		t.Fatal(err)
	}
	ms, err := ga.Messages(ctx, core.MessagesOptions{Kind: core.KindApplication})
	if err != nil || len(ms) != 1 || ms[0].DeliveryStatus != core.DeliveryPublished {
		t.Fatalf("alice's own message: %+v, %v", ms, err)
	}
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := gb.SendText(ctx, "hi alice"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"hi bob", "hi alice"}
	for name, g := range map[string]*core.Group{"alice": ga, "bob": gb} {
		if got := texts(t, g); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%s sees %q, want %q", name, got, want)
		}
	}
	if gb.ConsentState() != core.ConsentAllowed {
		t.Error("sending did not allow the conversation")
	}

	// A content type this package does not know passes through with its fallback.
	custom := &mlscontents.EncodedContent{
		Type:     content.TypeID{Authority: "example.com", Type: "poll", Major: 1}.Proto(),
		Fallback: proto.String("a poll: lunch?"),
		Content:  []byte{1, 2, 3},
	}
	if _, err := ga.Send(ctx, custom, core.SendOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Conversations().SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	polls, err := gb.Messages(ctx, core.MessagesOptions{ContentTypes: []content.TypeID{{Authority: "example.com", Type: "poll", Major: 1}}})
	if err != nil || len(polls) != 1 {
		t.Fatalf("custom content: %d messages (%v)", len(polls), err)
	}
	if c, err := polls[0].Decoded(); err != nil || c.(content.Unknown).Fallback() != "a poll: lunch?" || !bytes.Equal(polls[0].Content.GetContent(), []byte{1, 2, 3}) {
		t.Fatalf("custom content decoded as %#v (%v)", c, err)
	}
}
