//go:build !js

package core_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestStreamConsent(t *testing.T) {
	net := newNetwork(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := net.create(t, newWallet(t), memstore.New())
	g, err := a.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.StreamConsent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.UpdateConsentState(ctx, core.ConsentDenied); err != nil {
		t.Fatal(err)
	}
	if err := a.SetInboxConsent(ctx, "some-inbox", core.ConsentAllowed); err != nil {
		t.Fatal(err)
	}
	first, err := s.Next(ctx)
	if err != nil || !bytes.Equal(first.GroupID, g.ID()) || first.State != core.ConsentDenied {
		t.Fatalf("first change %+v, %v: want the group denied", first, err)
	}
	second, err := s.Next(ctx)
	if err != nil || second.InboxID != "some-inbox" || second.State != core.ConsentAllowed {
		t.Fatalf("second change %+v, %v: want the inbox allowed", second, err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Next(ctx)
		done <- err
	}()
	s.Close()
	if err := <-done; !errors.Is(err, core.ErrClosed) {
		t.Fatalf("Next after Close: %v, want ErrClosed", err)
	}
}
