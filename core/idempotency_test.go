//go:build !js

package core_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestSendWithIdempotencyKeySendsOnce(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	a := net.create(t, newWallet(t), memstore.New())
	g, err := a.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ec, err := content.Encode(content.Text("once"))
	if err != nil {
		t.Fatal(err)
	}
	first, err := g.Send(ctx, ec, core.SendOptions{IdempotencyKey: "order-42"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := g.Send(ctx, ec, core.SendOptions{IdempotencyKey: "order-42"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := g.Send(ctx, ec, core.SendOptions{IdempotencyKey: "order-43"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) || bytes.Equal(first, other) {
		t.Fatalf("ids %x %x %x: want the first two equal, the third different", first, again, other)
	}
	msgs, err := g.Messages(ctx, core.MessagesOptions{Kind: core.KindApplication})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 {
		t.Fatalf("%d messages stored, want 2", len(msgs))
	}
}
