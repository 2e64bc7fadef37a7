//go:build !js

package core

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
)

// A message the node refused until it failed is published by RetryMessage once the node
// takes messages again, under its first id, and the other member gets it once.
func TestRetryMessagePublishesAFailedMessageOnce(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice, _, ga, gb := net.twoMembers()

	real := alice.opts.API
	alice.opts.API = refusingAPI{real}
	id, err := ga.SendText(ctx, "refused, then retried")
	if !errors.Is(err, ErrPublishFailed) {
		t.Fatalf("send: %v, want ErrPublishFailed", err)
	}
	if err := ga.RetryMessage(ctx, id); !errors.Is(err, ErrPublishFailed) {
		t.Fatalf("retry while still refused: %v, want ErrPublishFailed", err)
	}
	if failed, err := ga.Messages(ctx, MessagesOptions{DeliveryStatus: DeliveryFailed}); err != nil || len(failed) != 1 {
		t.Fatalf("failed messages after a refused retry: %d (%v)", len(failed), err)
	}

	alice.opts.API = real
	if err := ga.RetryMessage(ctx, id); err != nil {
		t.Fatal(err)
	}
	ms, err := ga.Messages(ctx, MessagesOptions{Kind: KindApplication})
	if err != nil || len(ms) != 1 || ms[0].DeliveryStatus != DeliveryPublished || !bytes.Equal(ms[0].ID, id) {
		t.Fatalf("after the retry: %+v, %v", ms, err)
	}
	if its, err := ga.intents(ctx); err != nil || len(its) != 0 {
		t.Fatalf("%d intents left (%v)", len(its), err)
	}
	// Retrying what is published does nothing.
	if err := ga.RetryMessage(ctx, id); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := gb.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, err := gb.Messages(ctx, MessagesOptions{Kind: KindApplication})
	if err != nil || len(got) != 1 || !bytes.Equal(got[0].ID, id) {
		t.Fatalf("bob has %d copies (%v), want one with the sender's id", len(got), err)
	}
}

func TestRetryMessageFindsOnlyThisConversationsMessages(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice := net.newClient()
	g1, err := alice.Conversations().CreateGroup(ctx, nil, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g2, err := alice.Conversations().CreateGroup(ctx, nil, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := g1.SendText(ctx, "in the first group")
	if err != nil {
		t.Fatal(err)
	}
	for name, try := range map[string]func() error{
		"unknown id":            func() error { return g1.RetryMessage(ctx, []byte("no such message")) },
		"other group's message": func() error { return g2.RetryMessage(ctx, id) },
	} {
		if err := try(); !errors.Is(err, ErrMessageNotFound) {
			t.Errorf("%s: %v, want ErrMessageNotFound", name, err)
		}
	}
}
