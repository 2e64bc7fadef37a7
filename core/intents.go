package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Outbound work is an intent, stored before anything is published (xmtp-protocol.md §3.6,
// libxmtp's group_intent). The published bytes are kept with it, so that when sync reads them
// back from the node the client knows its own message or commit without decrypting it, and a
// commit carries the group state it leads to: installing that state is all it takes to
// follow one's own commit, so a crash between publishing and reading back cannot fork.

// intentKind is what an intent does. Values are stored: never renumber.
type intentKind uint8

const (
	intentSendMessage         intentKind = 1
	intentAddMembers          intentKind = 2
	intentRemoveMembers       intentKind = 3
	intentUpdateMetadata      intentKind = 4
	intentUpdateAdmins        intentKind = 5
	intentUpdatePermission    intentKind = 6
	intentUpdateInstallations intentKind = 7
)

// intentState is where an intent is. Values are stored: never renumber.
type intentState uint8

const (
	intentToPublish intentState = 1 // not (known to be) published, or to be made again
	intentPublished intentState = 2 // sent to the node; waiting to read it back
	intentCommitted intentState = 3 // a commit read back and merged; its welcomes not yet sent
)

// MaxPublishAttempts is how many times an intent is published before it fails and its message
// becomes Failed (libxmtp MAX_INTENT_PUBLISH_ATTEMPTS). A node that cannot be reached does not
// count: the message stays Unpublished until the node is back.
const MaxPublishAttempts = 3

// maxIntentRounds bounds how many publish-and-read rounds a caller waits for its intent; each
// round is either progress or a lost epoch race.
const maxIntentRounds = 8

// Admin-list changes, as stored in groupChange.Key.
const (
	adminAdd         = "add_admin"
	adminRemove      = "remove_admin"
	superAdminAdd    = "add_super_admin"
	superAdminRemove = "remove_super_admin"
)

// errNothingToCommit reports a change the group already has (members already present, the
// same name): no commit is made, and the intent ends without error.
var errNothingToCommit = errors.New("nothing to commit")

type storedIntent struct {
	seq uint64
	rec *intentRecord
}

// intents returns the group's intents in the order they were made.
func (g *Group) intents(ctx context.Context) ([]storedIntent, error) {
	recs, err := g.c.opts.Store.Scan(ctx, tableIntents, g.id, store.Range{})
	if err != nil {
		return nil, fmt.Errorf("group %x: intents: %w", g.id, err)
	}
	out := make([]storedIntent, 0, len(recs))
	for _, r := range recs {
		rec, err := decodeIntentRecord(r.Value)
		if err != nil {
			return nil, err
		}
		out = append(out, storedIntent{seq: r.Seq, rec: rec})
	}
	return out, nil
}

// change makes a commit intent, publishes it and waits until it is merged. The commit is
// built and checked once before anything is stored, so a change the policies forbid fails at
// once with their error.
func (g *Group) change(ctx context.Context, ch *groupChange) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.mls.Active(); err != nil {
		return ErrGroupInactive.Wrap(err)
	}
	rec := &intentRecord{Kind: ch.Kind, State: intentToPublish, Change: ch.encode()}
	if err := g.prepareCommit(ctx, rec); err != nil {
		if errors.Is(err, errNothingToCommit) {
			return nil
		}
		return err
	}
	seq, err := g.storeIntent(ctx, rec, nil)
	if err != nil {
		return err
	}
	return g.awaitIntent(ctx, seq)
}

// storeIntent saves a new intent with other changes and returns its sequence number.
func (g *Group) storeIntent(ctx context.Context, it *intentRecord, other store.Changes) (uint64, error) {
	next := *g.rec
	seq := next.NextIntentSeq
	next.NextIntentSeq++
	other.PutSeq(tableIntents, g.id, seq, it.encode())
	if err := g.save(ctx, g.mls, &next, other); err != nil {
		return 0, err
	}
	return seq, nil
}

// awaitIntent syncs until the intent seq is settled: read back (and gone), or failed.
func (g *Group) awaitIntent(ctx context.Context, seq uint64) error {
	for range maxIntentRounds {
		if err := g.syncLocked(ctx); err != nil {
			return err
		}
		b, found, err := g.c.opts.Store.GetSeq(ctx, tableIntents, g.id, seq)
		if err != nil {
			return fmt.Errorf("group %x: intent: %w", g.id, err)
		}
		if why, failed := g.failed[seq]; failed {
			delete(g.failed, seq)
			return ErrPublishFailed.Wrap(why)
		}
		if !found {
			return nil
		}
		it, err := decodeIntentRecord(b)
		if err != nil {
			return err
		}
		if it.State == intentCommitted {
			return nil // merged; only its welcomes are left, retried on the next sync
		}
	}
	return fmt.Errorf("%w: not read back after %d rounds", ErrPublishFailed, maxIntentRounds)
}

// publishIntents publishes what is pending, in order: messages as they come, and one commit
// at a time (a second commit would only lose the epoch to the first). Committed intents get
// their welcomes sent; once this member is removed, what is pending fails. A node that cannot
// be reached stops the round with its error.
func (g *Group) publishIntents(ctx context.Context) error {
	intents, err := g.intents(ctx)
	if err != nil {
		return err
	}
	commitInFlight := false
	for _, it := range intents {
		switch it.rec.State {
		case intentCommitted:
			if err := g.finishCommit(ctx, it.seq, it.rec); err != nil {
				return err
			}
		case intentPublished:
			commitInFlight = commitInFlight || it.rec.Kind != intentSendMessage
		case intentToPublish:
			if it.rec.Kind != intentSendMessage {
				if err := g.mls.Active(); err != nil {
					if err := g.failIntent(ctx, it.seq, it.rec, ErrGroupInactive.Wrap(err)); err != nil {
						return err
					}
					continue
				}
				if commitInFlight {
					continue
				}
				commitInFlight = true
			}
			if err := g.publish(ctx, it.seq, it.rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// publish sends one intent. Its bytes are made (or made again, when the epoch moved on) and
// stored first, so a publish interrupted by a crash is retried with the same bytes, which
// the node deduplicates.
func (g *Group) publish(ctx context.Context, seq uint64, it *intentRecord) error {
	if len(it.Data) == 0 || it.Epoch != g.mls.Epoch() {
		var (
			err  error
			next = g.mls
		)
		if it.Kind == intentSendMessage {
			next, err = g.encryptMessage(it)
		} else {
			err = g.prepareCommit(ctx, it)
		}
		if err != nil {
			if errors.Is(err, errNothingToCommit) {
				var ch store.Changes
				ch.DeleteSeq(tableIntents, g.id, seq)
				return g.save(ctx, g.mls, g.rec, ch)
			}
			return g.failIntent(ctx, seq, it, err)
		}
		var ch store.Changes
		ch.PutSeq(tableIntents, g.id, seq, it.encode())
		if err := g.save(ctx, next, g.rec, ch); err != nil {
			return err
		}
	}
	g.sealPointersAhead(it)
	req := &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{g.messageInput(it)}}
	err := retryRateLimited(ctx, func() error { return g.c.opts.API.SendGroupMessages(ctx, req) })
	var ch store.Changes
	switch {
	case err == nil:
		it.State = intentPublished
	case api.Retryable(err) || ctx.Err() != nil:
		return fmt.Errorf("group %x: publish: %w", g.id, err)
	default:
		it.Attempts++
		if it.Attempts >= MaxPublishAttempts {
			return g.failIntent(ctx, seq, it, err)
		}
	}
	ch.PutSeq(tableIntents, g.id, seq, it.encode())
	return g.save(ctx, g.mls, g.rec, ch)
}

// failIntent ends an intent: it is deleted, its message (if any) becomes Failed, and a caller
// awaiting it learns why.
func (g *Group) failIntent(ctx context.Context, seq uint64, it *intentRecord, why error) error {
	g.failed[seq] = why
	var ch store.Changes
	ch.DeleteSeq(tableIntents, g.id, seq)
	if it.Kind == intentSendMessage {
		if err := g.setMessageStatus(ctx, &ch, it.MessageSeq, DeliveryFailed); err != nil {
			return err
		}
	}
	return g.save(ctx, g.mls, g.rec, ch)
}

// messageInput frames an intent's bytes for the node, with the push fields of §3.4.
func (g *Group) messageInput(it *intentRecord) *mlsv1.GroupMessageInput {
	v1 := &mlsv1.GroupMessageInput_V1{Data: it.Data}
	if it.Kind == intentSendMessage {
		key := content.DeriveHMACKey(g.c.hmacKey(), g.id, content.HMACEpoch(g.c.opts.Now()))
		v1.SenderHmac = content.SenderHMAC(key, it.Data)
		v1.ShouldPush = shouldPushEnvelope(it.Change)
	}
	return &mlsv1.GroupMessageInput{Version: &mlsv1.GroupMessageInput_V1_{V1: v1}}
}

func shouldPushEnvelope(envelope []byte) bool {
	env, err := content.DecodeEnvelope(envelope)
	if err != nil {
		return true
	}
	ec, err := content.Unmarshal(env.Payload)
	if err != nil {
		return true
	}
	return content.ShouldPush(content.TypeOf(ec))
}

func (c *Client) hmacKey() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rec.HMACKey
}

// encryptMessage encrypts a send intent's envelope in the current epoch, on the live group
// (the ratchet advances); the caller stores the result before publishing.
func (g *Group) encryptMessage(it *intentRecord) (*mls.Group, error) {
	if err := g.mls.Active(); err != nil {
		return nil, ErrGroupInactive.Wrap(err)
	}
	msg, err := g.mls.Encrypt(it.Change, nil)
	if err != nil {
		return nil, fmt.Errorf("group %x: encrypt: %w", g.id, err)
	}
	it.Data, it.Epoch = msg.Encode(), g.mls.Epoch()
	return g.mls, nil
}

// prepareCommit builds the commit of a commit intent in the current epoch on a copy of the
// group, checked against the policies as every receiver will check it, and fills in the
// commit, the state it leads to and the welcome for added installations.
func (g *Group) prepareCommit(ctx context.Context, it *intentRecord) error {
	ch, err := decodeGroupChange(it.Change)
	if err != nil {
		return err
	}
	old, err := g.stateLocked()
	if err != nil {
		return err
	}
	next, err := g.c.applyChange(ctx, old, ch)
	if err != nil {
		return err
	}
	self := g.c.InboxID()
	if _, err := permissions.Validate(self, old, next); err != nil && !skipSenderPolicyCheck {
		return err
	}
	opts := mls.CommitOptions{}
	if ch.Kind == intentAddMembers || ch.Kind == intentRemoveMembers || ch.Kind == intentUpdateInstallations {
		target, adds, removes, err := g.membershipCommit(ctx, next.Membership)
		if err != nil {
			return err
		}
		if err := checkAddedInboxes(ch, old, adds); err != nil {
			return err
		}
		next.Membership = target
		// fetchKeyPackages verified the adds' signatures: Commit need not again.
		opts.Adds, opts.Removes, opts.AddsSigned = adds, removes, true
	}
	if ch.Kind == intentUpdateInstallations {
		opts.ForcePath = true // also rotates this installation's leaf key, as libxmtp's key update
	} else if len(opts.Adds)+len(opts.Removes) == 0 && sameState(old, next) {
		return errNothingToCommit
	}
	exts, err := next.Extensions(g.mls.Extensions())
	if err != nil {
		return err
	}
	opts.GroupContextExtensions = &exts

	// The commit is made on the live group, whose handshake ratchet it advances (that is
	// saved with the intent, so no key is used twice), and merged there only long enough to
	// serialize the next epoch: the live group stays in its epoch until the node has ordered
	// the commit.
	res, err := g.mls.Commit(opts)
	if err != nil {
		return fmt.Errorf("group %x: commit: %w", g.id, err)
	}
	cur, err := g.mls.MarshalBinary()
	if err != nil {
		return fmt.Errorf("group %x: serialize: %w", g.id, err)
	}
	err = g.mls.Merge(res.Staged)
	if err == nil {
		it.NextState, err = g.mls.MarshalBinary()
	}
	restored, rerr := mls.UnmarshalGroup(g.c.groupConfig(), cur)
	if rerr != nil {
		return fmt.Errorf("group %x: restore: %w", g.id, rerr)
	}
	g.mls = restored
	if err != nil {
		return fmt.Errorf("group %x: stage own commit: %w", g.id, err)
	}
	it.Data, it.Epoch, it.State, it.Welcome, it.Recipients = res.Commit.Encode(), restored.Epoch(), intentToPublish, nil, nil
	if res.Welcome != nil {
		it.Welcome = res.Welcome.Encode()
		for i := range opts.Adds {
			it.Recipients = append(it.Recipients, welcomeRecipientOf(&opts.Adds[i]))
		}
	}
	return nil
}

// checkAddedInboxes fails an addition when an inbox asked for gets no installation at all:
// libxmtp refuses to add an inbox none of whose key packages can be used.
func checkAddedInboxes(ch *groupChange, old permissions.State, adds []mls.KeyPackage) error {
	if ch.Kind != intentAddMembers {
		return nil
	}
	got := make(map[string]bool, len(adds))
	for i := range adds {
		if id, err := credentialInbox(&adds[i].LeafNode); err == nil {
			got[id] = true
		}
	}
	for _, inbox := range ch.Inboxes {
		if _, already := old.Membership.Members[inbox]; !already && !got[inbox] {
			return fmt.Errorf("%w: %s", ErrNoInstallations, inbox)
		}
	}
	return nil
}

func sameState(a, b permissions.State) bool {
	ea, err1 := a.Extensions(nil)
	eb, err2 := b.Extensions(nil)
	if err1 != nil || err2 != nil || len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		if ea[i].Type != eb[i].Type || !bytes.Equal(ea[i].Data, eb[i].Data) {
			return false
		}
	}
	return true
}

// applyChange returns the state a change asks for, from the state it applies to.
func (c *Client) applyChange(ctx context.Context, old permissions.State, ch *groupChange) (permissions.State, error) {
	next := old
	next.Membership = old.Membership.Clone()
	next.Mutable = old.Mutable.Clone()
	next.Policies = old.Policies.Clone()
	switch ch.Kind {
	case intentAddMembers:
		var added []string
		for _, inbox := range ch.Inboxes {
			if _, ok := next.Membership.Members[inbox]; !ok && !slices.Contains(added, inbox) {
				added = append(added, inbox)
			}
		}
		latest, err := c.history.latestAll(ctx, added)
		if err != nil {
			return next, err
		}
		maps.Copy(next.Membership.Members, latest)
		if len(next.Membership.Members) > MaxGroupSize {
			return next, fmt.Errorf("%w: %d of %d", ErrTooManyMembers, len(next.Membership.Members), MaxGroupSize)
		}
	case intentRemoveMembers:
		for _, inbox := range ch.Inboxes {
			delete(next.Membership.Members, inbox)
		}
	case intentUpdateInstallations:
		latest, err := c.history.latestAll(ctx, old.Membership.InboxIDs())
		if err != nil {
			return next, err
		}
		for inbox, seq := range latest {
			if seq > old.Membership.Members[inbox] {
				next.Membership.Members[inbox] = seq
			}
		}
	case intentUpdateMetadata:
		m, err := next.Mutable.WithAttribute(ch.Key, ch.Value)
		if err != nil {
			return next, err
		}
		next.Mutable = m
	case intentUpdateAdmins:
		for _, inbox := range ch.Inboxes {
			switch ch.Key {
			case adminAdd, adminRemove:
				next.Mutable = next.Mutable.WithAdmin(inbox, ch.Key == adminAdd)
			case superAdminAdd, superAdminRemove:
				next.Mutable = next.Mutable.WithSuperAdmin(inbox, ch.Key == superAdminAdd)
			}
		}
	case intentUpdatePermission:
		u, err := strconv.Atoi(ch.Key)
		if err != nil {
			return next, ErrCorruptRecord.Wrap(err)
		}
		p, err := next.Policies.WithUpdate(permissions.UpdateType(u), permissions.Option(ch.Option), ch.Value)
		if err != nil {
			return next, err
		}
		next.Policies = p
	default:
		return next, fmt.Errorf("%w: intent kind %d", ErrCorruptRecord, ch.Kind)
	}
	return next, nil
}

// finishCommit sends the welcomes of a merged commit and forgets the intent.
func (g *Group) finishCommit(ctx context.Context, seq uint64, it *intentRecord) error {
	if len(it.Welcome) > 0 {
		if err := g.c.sendWelcomes(ctx, it.Welcome, it.Recipients, it.Cursor, g.takePointers(it.Welcome)); err != nil {
			return err
		}
	}
	var ch store.Changes
	ch.DeleteSeq(tableIntents, g.id, seq)
	return g.save(ctx, g.mls, g.rec, ch)
}

// credentialInbox is the inbox a leaf's credential names.
func credentialInbox(leaf *mls.LeafNode) (string, error) {
	return identity.CredentialInboxID(leaf.Credential)
}
