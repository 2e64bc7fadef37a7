package core

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// hmacKeySize is the size of an inbox's push HMAC root key, as libxmtp makes it.
const hmacKeySize = 42

// register makes this installation a member of the signer's inbox, in libxmtp's order: the
// key package is uploaded first, then the identity update that adds the installation (the
// network accepts a key package before its installation is associated). Every step is
// idempotent, so a registration interrupted by a crash or a failed call resumes on the next
// Create with the same installation key.
func (c *Client) register(ctx context.Context, signer identity.Signer) error {
	owner := signer.Member()
	if c.rec == nil {
		rec, key, err := c.newInstallation(ctx, owner)
		if err != nil {
			return err
		}
		c.rec, c.installation = rec, key
	}
	now := c.opts.Now()

	existing, err := c.inboxes.inbox(ctx, c.rec.InboxID)
	if err != nil && !errors.Is(err, ErrInboxNotFound) {
		return fmt.Errorf("register: %w", err)
	}
	registered := existing != nil && existing.state.HasInstallation(c.InstallationID())
	if existing != nil && !registered && len(existing.state.Installations()) >= MaxInstallations {
		return fmt.Errorf("%w: %d of %d", ErrInstallationLimit, len(existing.state.Installations()), MaxInstallations)
	}

	bundle, err := c.newKeyPackage(now)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	next := *c.rec
	next.KeyPackage, next.RotatedAtNs = bundle.KeyPackage.InitKey, uint64(now.UnixNano())
	c.mu.Lock()
	err = c.saveClientRecord(ctx, &next, keyPackageChanges(bundle, now))
	c.mu.Unlock()
	if err != nil {
		return fmt.Errorf("register: save key package: %w", err)
	}
	if err := c.uploadKeyPackage(ctx, &bundle.KeyPackage); err != nil {
		return fmt.Errorf("register: %w", err)
	}

	if !registered {
		if err := c.publishRegistration(ctx, signer, existing != nil); err != nil {
			return err
		}
		confirmed, err := c.inboxes.inbox(ctx, c.rec.InboxID)
		if err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if !confirmed.state.HasInstallation(c.InstallationID()) {
			return ErrRegistration
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	done := *c.rec
	done.Registered = true
	if err := c.saveClientRecord(ctx, &done, nil); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return nil
}

// newInstallation chooses the inbox (the wallet's existing one, or a new one from the nonce)
// and makes the installation key and push HMAC key. Nothing is stored yet: register stores
// them together with the first key package.
func (c *Client) newInstallation(ctx context.Context, owner identity.MemberID) (*clientRecord, *identity.InstallationKey, error) {
	found, err := c.inboxes.inboxIDs(ctx, []identity.MemberID{owner})
	if err != nil {
		return nil, nil, fmt.Errorf("register: %w", err)
	}
	inboxID, ok := found[owner]
	if !ok {
		if inboxID, err = identity.InboxID(owner, c.opts.Nonce); err != nil {
			return nil, nil, fmt.Errorf("register: %w", err)
		}
	}
	key, err := identity.NewInstallationKey()
	if err != nil {
		return nil, nil, fmt.Errorf("register: %w", err)
	}
	hmacKey := make([]byte, hmacKeySize)
	if _, err := io.ReadFull(c.opts.Rand, hmacKey); err != nil {
		return nil, nil, fmt.Errorf("register: hmac key: %w", err)
	}
	return &clientRecord{
		InstallationSeed: key.Seed(),
		InboxID:          inboxID,
		Owner:            owner.String(),
		HMACKey:          hmacKey,
	}, key, nil
}

// publishRegistration signs and publishes the identity update that associates this
// installation: creating the inbox with it, or adding it to the existing inbox.
func (c *Client) publishRegistration(ctx context.Context, signer identity.Signer, inboxExists bool) error {
	ts := uint64(c.opts.Now().UnixNano())
	var (
		update *associations.IdentityUpdate
		err    error
	)
	if inboxExists {
		update, err = identity.AddInstallation(ctx, c.rec.InboxID, signer, c.installation, ts)
	} else {
		update, _, err = identity.Register(ctx, signer, c.opts.Nonce, c.installation, ts)
	}
	if err != nil {
		return fmt.Errorf("register: sign identity update: %w", err)
	}
	if err := c.opts.API.PublishIdentityUpdate(ctx, &identityv1.PublishIdentityUpdateRequest{IdentityUpdate: update}); err != nil {
		return fmt.Errorf("register: publish identity update: %w", err)
	}
	return nil
}
