//go:build !js

package core

import (
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// forge publishes a commit made with opts straight from g's MLS state, skipping every check
// the client makes before publishing: what a modified client could send.
func forge(t *testing.T, g *Group, opts mls.CommitOptions) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	res, err := g.mls.Commit(opts)
	if err != nil {
		t.Fatal(err)
	}
	in := &mlsv1.GroupMessageInput{Version: &mlsv1.GroupMessageInput_V1_{V1: &mlsv1.GroupMessageInput_V1{Data: res.Commit.Encode()}}}
	if err := g.c.opts.API.SendGroupMessages(context.Background(), &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{in}}); err != nil {
		t.Fatal(err)
	}
}

func TestReceiversRejectForbiddenCommits(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Start(t, node.Config{})
	newClient := func() *Client {
		w, err := identity.NewLocalWallet()
		if err != nil {
			t.Fatal(err)
		}
		c, err := Create(ctx, w, Options{API: connectapi.New(n.URL(), connectapi.Config{}), Store: memstore.New()})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	alice, bob, carol := newClient(), newClient(), newClient()
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := bob.Conversations().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	gb, err := bob.Conversations().GetConversationByID(ctx, ga.ID())
	if err != nil {
		t.Fatal(err)
	}
	epoch := ga.Epoch()

	// Bob, not a super admin, makes himself one.
	st, err := gb.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	st.Mutable = st.Mutable.WithSuperAdmin(bob.InboxID(), true)
	exts, err := st.Extensions(gb.mls.Extensions())
	if err != nil {
		t.Fatal(err)
	}
	forge(t, gb, mls.CommitOptions{GroupContextExtensions: &exts})

	// Bob adds Carol's installation without listing her in the membership.
	resp, err := bob.opts.API.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{InstallationKeys: [][]byte{carol.InstallationID()}})
	if err != nil {
		t.Fatal(err)
	}
	kp, err := mls.DecodeKeyPackage(resp.GetKeyPackages()[0].GetKeyPackageTlsSerialized())
	if err != nil {
		t.Fatal(err)
	}
	forge(t, gb, mls.CommitOptions{Adds: []mls.KeyPackage{kp}})

	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.Epoch() != epoch || ga.IsSuperAdmin(bob.InboxID()) {
		t.Fatalf("alice merged a forbidden commit: epoch %d → %d", epoch, ga.Epoch())
	}
	// The group goes on: a valid commit after the rejected ones is merged.
	if err := gb.UpdateName(ctx, "still fine"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if ga.Name() != "still fine" || ga.Epoch() != epoch+1 {
		t.Fatalf("after a valid commit: name %q epoch %d", ga.Name(), ga.Epoch())
	}
}
