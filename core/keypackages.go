package core

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Key package timing, libxmtp's production values (xmtp-protocol.md §3.1).
const (
	// keyPackageRotationInterval is how long one key package stays published.
	keyPackageRotationInterval = 30 * 24 * time.Hour
	// retiredKeyPackageTTL is how long a replaced key package's private keys are kept, for
	// welcomes that were already on their way.
	retiredKeyPackageTTL = 24 * time.Hour
)

// leafCapabilities is what an installation's leaf node advertises: libxmtp 1.10's set
// (without AppDataDictionary and AppDataUpdate, so groups stay on the legacy metadata format
// every libxmtp peer speaks), the same for goxmtp and libxmtp peers to keep groups joinable.
var leafCapabilities = mls.Capabilities{
	Versions:     []mls.ProtocolVersion{mls.ProtocolVersionMLS10},
	CipherSuites: []mls.CipherSuite{mls.CipherSuiteX25519ChaCha20},
	Extensions: []mls.ExtensionType{
		mls.ExtensionLastResort,
		mls.ExtensionApplicationID,
		metadata.ExtensionImmutableMetadata,
		metadata.ExtensionGroupPermissions,
		metadata.ExtensionMutableMetadata,
		metadata.ExtensionGroupMembership,
		metadata.ExtensionWelcomeWrapperEncryption,
		metadata.ExtensionWelcomePointeeAEADTypes,
	},
	Proposals:   []mls.ProposalType{mls.ProposalGroupContextExtensions},
	Credentials: []mls.CredentialType{mls.CredentialBasic},
}

// newKeyPackage builds a last-resort key package for this installation as libxmtp does: a
// Basic credential holding MlsCredential{inbox_id}, the inbox id as the leaf's
// application_id, the leaf capabilities above. It does not advertise X-Wing welcome wrapping
// (0xff03) or welcome pointers (0xff04) yet, so peers wrap welcomes to it with Curve25519.
func newKeyPackage(inboxID string, signatureSeed []byte, now time.Time) (*mls.KeyPackageBundle, error) {
	cred, err := identity.NewCredential(inboxID)
	if err != nil {
		return nil, err
	}
	return mls.NewKeyPackage(mls.KeyPackageOptions{
		CipherSuite:         mls.CipherSuiteX25519ChaCha20,
		Credential:          cred,
		SignaturePrivateKey: signatureSeed,
		Capabilities:        leafCapabilities,
		LeafExtensions:      leafExtensions(inboxID),
		LastResort:          true,
		Now:                 now,
	})
}

// leafExtensions are the extensions of every leaf node of this installation: its inbox id as
// the application_id, encoded as RFC 9420's ApplicationId struct (opaque<V>) — libxmtp parses
// and re-encodes it when it verifies the leaf's signature, so the bare id would not verify.
func leafExtensions(inboxID string) mls.Extensions {
	return mls.Extensions{{Type: mls.ExtensionApplicationID, Data: mls.EncodeApplicationID([]byte(inboxID))}}
}

// keyPackageChanges returns the store changes that keep a new key package's private keys.
func keyPackageChanges(b *mls.KeyPackageBundle, now time.Time) store.Changes {
	rec := keyPackageRecord{
		KeyPackage:  b.KeyPackage.Encode(),
		InitPrivate: b.InitPrivateKey,
		LeafPrivate: b.EncryptionPrivateKey,
		CreatedAtNs: uint64(now.UnixNano()),
	}
	var ch store.Changes
	ch.Put(tableKeyPackages, b.KeyPackage.InitKey, rec.encode())
	return ch
}

// uploadKeyPackage publishes a key package. The node keeps one per installation, the latest.
func (c *Client) uploadKeyPackage(ctx context.Context, kp *mls.KeyPackage) error {
	err := c.opts.API.UploadKeyPackage(ctx, &mlsv1.UploadKeyPackageRequest{
		KeyPackage:          &mlsv1.KeyPackageUpload{KeyPackageTlsSerialized: kp.Encode()},
		IsInboxIdCredential: true,
	})
	if err != nil {
		return fmt.Errorf("upload key package: %w", err)
	}
	return nil
}

// RotateKeyPackage publishes a fresh key package and retires the current one, whose private
// keys are deleted a day later (welcomes already sent to it can still be opened until then).
// The client calls it after a welcome consumed the current package and every 30 days;
// apps may call it too.
func (c *Client) RotateKeyPackage(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rotateKeyPackageLocked(ctx)
}

func (c *Client) rotateKeyPackageLocked(ctx context.Context) error {
	now := c.opts.Now()
	bundle, err := newKeyPackage(c.rec.InboxID, c.rec.InstallationSeed, now)
	if err != nil {
		return fmt.Errorf("rotate key package: %w", err)
	}
	// Keep the new private keys before the package can be handed to anyone.
	if err := c.opts.Store.Apply(ctx, keyPackageChanges(bundle, now)); err != nil {
		return fmt.Errorf("rotate key package: %w", err)
	}
	if err := c.uploadKeyPackage(ctx, &bundle.KeyPackage); err != nil {
		return fmt.Errorf("rotate key package: %w", err)
	}
	next := *c.rec
	next.Retired = append(slices.Clone(next.Retired), retiredKeyPackage{InitKey: next.KeyPackage, RetiredAtNs: uint64(now.UnixNano())})
	next.KeyPackage, next.RotatedAtNs, next.RotateNeeded = bundle.KeyPackage.InitKey, uint64(now.UnixNano()), false
	if err := c.saveClientRecord(ctx, &next, nil); err != nil {
		return fmt.Errorf("rotate key package: %w", err)
	}
	return nil
}

// maintainKeyPackages rotates the published key package when a welcome used it or it is 30
// days old, and deletes the private keys of packages retired more than a day ago.
func (c *Client) maintainKeyPackages(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.opts.Now()
	if c.rec.RotateNeeded || now.Sub(time.Unix(0, int64(c.rec.RotatedAtNs))) >= keyPackageRotationInterval {
		if err := c.rotateKeyPackageLocked(ctx); err != nil {
			return err
		}
	}
	var changes store.Changes
	next := *c.rec
	next.Retired = nil
	for _, k := range c.rec.Retired {
		if now.Sub(time.Unix(0, int64(k.RetiredAtNs))) >= retiredKeyPackageTTL {
			changes.Delete(tableKeyPackages, k.InitKey)
		} else {
			next.Retired = append(next.Retired, k)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	if err := c.saveClientRecord(ctx, &next, changes); err != nil {
		return fmt.Errorf("key package cleanup: %w", err)
	}
	return nil
}
