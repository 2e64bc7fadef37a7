//go:build !js

package core

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
)

func TestKeyPackageRotationAndCleanup(t *testing.T) {
	ctx := context.Background()
	n := nodetest.Start(t, node.Config{})
	now := time.Now()
	w, err := identity.NewLocalWallet()
	if err != nil {
		t.Fatal(err)
	}
	s := memstore.New()
	c, err := Create(ctx, w, Options{API: connectapi.New(n.URL(), connectapi.Config{}), Store: s, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}

	published := func() mls.KeyPackage { return publishedKeyPackage(t, c) }
	first := published()
	checkXMTPKeyPackage(t, &first, c.InboxID(), now)
	if !bytes.Equal(first.InitKey, c.rec.KeyPackage) {
		t.Fatal("the published key package is not the one the client keeps")
	}
	firstXWing := welcomeRecipientOf(&first).HPKEPublicKey
	if _, found, _ := s.Get(ctx, tableKeyPackageXWing, firstXWing); !found {
		t.Fatal("the key package's X-Wing key does not find it")
	}

	// Nothing is due a minute later.
	now = now.Add(time.Minute)
	if err := c.maintainKeyPackages(ctx); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(published().InitKey, first.InitKey) {
		t.Fatal("key package rotated before it was due")
	}

	// A welcome used it: the next maintenance publishes a new one and keeps the old keys.
	c.rec.RotateNeeded = true
	if err := c.maintainKeyPackages(ctx); err != nil {
		t.Fatal(err)
	}
	second := published()
	if bytes.Equal(second.InitKey, first.InitKey) {
		t.Fatal("key package not rotated after a welcome")
	}
	if _, found, _ := s.Get(ctx, tableKeyPackages, first.InitKey); !found {
		t.Fatal("the retired key package's keys were deleted at once; late welcomes could not open")
	}

	// A day later the retired keys are gone.
	now = now.Add(retiredKeyPackageTTL)
	if err := c.maintainKeyPackages(ctx); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Get(ctx, tableKeyPackages, first.InitKey); found {
		t.Fatal("retired key package keys kept past their expiry")
	}
	if _, found, _ := s.Get(ctx, tableKeyPackageXWing, firstXWing); found {
		t.Fatal("retired key package's X-Wing key still finds it")
	}
	if _, found, _ := s.Get(ctx, tableKeyPackageXWing, welcomeRecipientOf(&second).HPKEPublicKey); !found {
		t.Fatal("current key package's X-Wing key deleted")
	}
	if _, found, _ := s.Get(ctx, tableKeyPackages, second.InitKey); !found {
		t.Fatal("current key package keys deleted")
	}
	// A package published 30 days ago rotates. (The clock itself cannot jump 30 days: the
	// node checks new key packages against its own clock.)
	now = time.Now()
	c.rec.RotatedAtNs = uint64(now.Add(-keyPackageRotationInterval).UnixNano())
	if err := c.maintainKeyPackages(ctx); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(published().InitKey, second.InitKey) {
		t.Fatal("key package not rotated after 30 days")
	}
}

// checkXMTPKeyPackage checks what libxmtp peers rely on in our key packages (§3.1).
func checkXMTPKeyPackage(t *testing.T, kp *mls.KeyPackage, inboxID string, now time.Time) {
	t.Helper()
	if err := kp.Verify(now, mls.KeyPackageLifetime+mls.KeyPackageBackdate); err != nil {
		t.Fatalf("key package does not verify: %v", err)
	}
	if kp.CipherSuite != mls.CipherSuiteX25519ChaCha20 || !kp.LastResort() {
		t.Fatalf("suite %v, last resort %v", kp.CipherSuite, kp.LastResort())
	}
	got, err := identity.CredentialInboxID(kp.LeafNode.Credential)
	if err != nil || got != inboxID {
		t.Fatalf("credential inbox id %q, %v", got, err)
	}
	var appID []byte
	for _, e := range kp.LeafNode.Extensions {
		if e.Type == mls.ExtensionApplicationID {
			appID = e.Data
		}
	}
	// extension_data is the TLS ApplicationId struct (opaque<V>), not the bare id: libxmtp
	// re-encodes what it parses when checking the leaf signature.
	if id, err := mls.DecodeApplicationID(appID); err != nil || string(id) != inboxID {
		t.Fatalf("application_id extension %x does not hold the inbox id: %v", appID, err)
	}
	for _, ext := range leafCapabilities.Extensions {
		if !slices.Contains(kp.LeafNode.Capabilities.Extensions, ext) {
			t.Fatalf("capabilities lack extension %#x", ext)
		}
	}
}
