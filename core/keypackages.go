package core

import (
	"context"
	"fmt"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
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

// ownKeyPackage is a key package this installation made, with its private keys: the MLS
// ones and, when the package advertises X-Wing welcome wrapping, the X-Wing key.
type ownKeyPackage struct {
	*mls.KeyPackageBundle
	XWing *wrap.XWingPrivateKey // nil when the package has no extension 0xff03
}

// newKeyPackage builds a last-resort key package for this installation as libxmtp does: a
// Basic credential holding MlsCredential{inbox_id}, the inbox id as the leaf's
// application_id, the leaf capabilities above, and the key package extensions LastResort,
// 0xff04 (welcome pointees under ChaCha20-Poly1305) and 0xff03 (a fresh X-Wing key welcomes
// and pointers are wrapped to), in libxmtp's order. With Options.Curve25519Welcomes it
// advertises neither 0xff03 nor 0xff04, so peers wrap welcomes to its init key.
func (c *Client) newKeyPackage(now time.Time) (*ownKeyPackage, error) {
	cred, err := identity.NewCredential(c.rec.InboxID)
	if err != nil {
		return nil, err
	}
	exts := mls.Extensions{{Type: mls.ExtensionLastResort, Data: []byte{}}}
	var xwing *wrap.XWingPrivateKey
	if !c.opts.Curve25519Welcomes {
		if xwing, err = wrap.GenerateXWingKey(); err != nil {
			return nil, fmt.Errorf("key package x-wing key: %w", err)
		}
		pointees, err := proto.Marshal(&mlscontents.WelcomePointeeEncryptionAeadTypesExtension{
			SupportedAeadTypes: []mlscontents.WelcomePointeeEncryptionAeadType{mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305},
		})
		if err != nil {
			return nil, fmt.Errorf("key package extension 0xff04: %w", err)
		}
		wrapper, err := proto.Marshal(&mlscontents.WelcomeWrapperEncryption{
			PubKey:    xwing.PublicKey().Bytes(),
			Algorithm: mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6,
		})
		if err != nil {
			return nil, fmt.Errorf("key package extension 0xff03: %w", err)
		}
		exts = append(exts,
			mls.Extension{Type: metadata.ExtensionWelcomePointeeAEADTypes, Data: pointees},
			mls.Extension{Type: metadata.ExtensionWelcomeWrapperEncryption, Data: wrapper})
	}
	bundle, err := mls.NewKeyPackage(mls.KeyPackageOptions{
		CipherSuite:         mls.CipherSuiteX25519ChaCha20,
		Credential:          cred,
		SignaturePrivateKey: c.signingKey(),
		Capabilities:        leafCapabilities,
		LeafExtensions:      leafExtensions(c.rec.InboxID),
		Extensions:          exts,
		Now:                 now,
	})
	if err != nil {
		return nil, err
	}
	return &ownKeyPackage{KeyPackageBundle: bundle, XWing: xwing}, nil
}

// leafExtensions are the extensions of every leaf node of this installation: its inbox id as
// the application_id, encoded as RFC 9420's ApplicationId struct (opaque<V>) — libxmtp parses
// and re-encodes it when it verifies the leaf's signature, so the bare id would not verify.
func leafExtensions(inboxID string) mls.Extensions {
	return mls.Extensions{{Type: mls.ExtensionApplicationID, Data: mls.EncodeApplicationID([]byte(inboxID))}}
}

// keyPackageChanges returns the store changes that keep a new key package's private keys,
// found by its init key and by its X-Wing key.
func keyPackageChanges(kp *ownKeyPackage, now time.Time) store.Changes {
	rec := keyPackageRecord{
		KeyPackage:  kp.KeyPackage.Encode(),
		InitPrivate: kp.InitPrivateKey,
		LeafPrivate: kp.EncryptionPrivateKey,
		CreatedAtNs: uint64(now.UnixNano()),
	}
	var ch store.Changes
	if kp.XWing != nil {
		rec.XWingSeed = kp.XWing.Bytes()
		ch.Put(tableKeyPackageXWing, kp.XWing.PublicKey().Bytes(), kp.KeyPackage.InitKey)
	}
	ch.Put(tableKeyPackages, kp.KeyPackage.InitKey, rec.encode())
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
	bundle, err := c.newKeyPackage(now)
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
			if err := c.deleteKeyPackage(ctx, &changes, k.InitKey); err != nil {
				return fmt.Errorf("key package cleanup: %w", err)
			}
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

// deleteKeyPackage adds the deletion of a key package's private keys to changes: its record
// (with the X-Wing seed) and the X-Wing key that finds it. A record that no longer decodes is
// deleted all the same; its X-Wing entry, if any, then only leads nowhere.
func (c *Client) deleteKeyPackage(ctx context.Context, changes *store.Changes, initKey []byte) error {
	b, found, err := c.opts.Store.Get(ctx, tableKeyPackages, initKey)
	if err != nil {
		return err
	}
	changes.Delete(tableKeyPackages, initKey)
	if !found {
		return nil
	}
	if rec, err := decodeKeyPackageRecord(b); err == nil && len(rec.XWingSeed) != 0 {
		if kp, err := mls.DecodeKeyPackage(rec.KeyPackage); err == nil {
			if r := welcomeRecipientOf(&kp); r.Algorithm == uint8(wrap.XWing) {
				changes.Delete(tableKeyPackageXWing, r.HPKEPublicKey)
			}
		}
	}
	return nil
}
