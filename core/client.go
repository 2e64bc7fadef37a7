package core

import (
	"context"
	"fmt"
	"sync"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/store"
)

// Client is one installation of an XMTP inbox: its keys, its store and its view of the
// network. Create makes or loads one; its methods are safe for concurrent use.
type Client struct {
	opts          Options
	installation  *identity.InstallationKey
	inboxes       *inboxDirectory
	history       *identityHistory
	conversations *Conversations
	consent       consentWatchers // the open consent streams (consentstream.go)

	mu     sync.Mutex // guards rec and closed, and serialises key package rotation
	rec    *clientRecord
	closed bool
}

// Create returns the client of signer's wallet. When opts.Store already holds a registered
// installation of that wallet it is loaded without any network call; otherwise a new
// installation is registered: to the wallet's existing inbox (the wallet signs adding it), or
// to a new inbox (the wallet signs creating it).
func Create(ctx context.Context, signer identity.Signer, opts Options) (*Client, error) {
	if opts.API == nil || opts.Store == nil {
		return nil, ErrOptions
	}
	opts = opts.withDefaults()
	rec, found, err := loadClientRecord(ctx, opts.Store)
	if err != nil {
		return nil, err
	}
	if found && rec.Owner != signer.Member().String() {
		return nil, fmt.Errorf("%w: it was created by %s", ErrSignerMismatch, rec.Owner)
	}
	c := &Client{opts: opts, rec: rec}
	c.inboxes = newInboxDirectory(opts.API, opts.Identity)
	c.history = newIdentityHistory(c.inboxes)
	c.conversations = newConversations(c)
	if found {
		if c.installation, err = identity.InstallationKeyFromSeed(rec.InstallationSeed); err != nil {
			return nil, ErrCorruptRecord.Wrap(err)
		}
		if rec.Registered {
			return c, nil
		}
	}
	if err := c.register(ctx, signer); err != nil {
		return nil, err
	}
	return c, nil
}

func loadClientRecord(ctx context.Context, s store.Store) (*clientRecord, bool, error) {
	b, found, err := s.Get(ctx, tableClient, clientRecordID)
	if err != nil {
		return nil, false, fmt.Errorf("load client: %w", err)
	}
	if !found {
		return nil, false, nil
	}
	rec, err := decodeClientRecord(b)
	if err != nil {
		return nil, false, err
	}
	return rec, true, nil
}

// saveClientRecord writes next together with other changes in one Apply, then installs it.
// The caller holds c.mu.
func (c *Client) saveClientRecord(ctx context.Context, next *clientRecord, other store.Changes) error {
	other.Put(tableClient, clientRecordID, next.encode())
	if err := c.opts.Store.Apply(ctx, other); err != nil {
		return err
	}
	c.rec = next
	return nil
}

// InboxID is the inbox this installation belongs to.
func (c *Client) InboxID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rec.InboxID
}

// InstallationID is this installation's public key, its id in XMTP and its MLS signature key.
func (c *Client) InstallationID() []byte { return c.installation.PublicKey() }

// IsRegistered reports whether the network has accepted this installation.
func (c *Client) IsRegistered() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rec.Registered
}

// signingKey is the installation's Ed25519 seed, the MLS signature private key.
func (c *Client) signingKey() []byte { return c.installation.Seed() }

// Close releases the client and ends its streams. The store is the caller's to close.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.conversations.subs.close() // outside c.mu: processing a welcome takes it
	return nil
}
