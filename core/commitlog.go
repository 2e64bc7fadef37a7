package core

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// The commit log (XIP-68) lets members detect a fork: for every commit, what it did to the
// group's state (the epoch and epoch authenticator before and after), signed with the
// group's `_commit_log_signer` key and published to the node. libxmtp 1.11 records an entry
// for every commit it processes (its own and others', applied or failed) and publishes them
// from a background worker every 5 minutes, in requests of at most 10 entries, for the DMs
// and the groups where it is a super admin, once the user allowed them. goxmtp does the same
// during Sync, recording entries in groups and DMs only, the conversations anyone publishes.

const (
	// commitLogInterval is how often a group's pending entries are published (libxmtp's
	// commit log worker interval).
	commitLogInterval = 5 * time.Minute
	// commitLogBatch is how many entries one BatchPublishCommitLog carries (the node's limit).
	commitLogBatch = 10
)

// logAppliedCommit records that the commit with node id seq took the group from the epoch
// whose authenticator is last to after's epoch. A commit that removed this member records
// nothing: the member cannot know the new epoch, and libxmtp never publishes such an entry.
func (g *Group) logAppliedCommit(ch *store.Changes, seq uint64, last []byte, after *mls.Group) {
	if !g.rec.Type.Listed() || after.Active() != nil {
		return
	}
	g.putCommitLog(ch, seq, &commitLogRecord{
		LastEpochAuthenticator:    last,
		Result:                    mlscontents.CommitResult_COMMIT_RESULT_APPLIED,
		AppliedEpoch:              after.Epoch(),
		AppliedEpochAuthenticator: after.EpochAuthenticator(),
	})
}

// logFailedCommit records a commit this member did not apply, for the reason err: the group
// stays in its epoch, which the entry names as both before and after. An inactive member
// records nothing, as libxmtp.
func (g *Group) logFailedCommit(ch *store.Changes, seq uint64, err error) {
	if !g.rec.Type.Listed() || g.mls.Active() != nil {
		return
	}
	auth := g.mls.EpochAuthenticator()
	g.putCommitLog(ch, seq, &commitLogRecord{
		LastEpochAuthenticator: auth, Result: commitFailure(err), AppliedEpoch: g.mls.Epoch(), AppliedEpochAuthenticator: auth,
	})
}

func (g *Group) putCommitLog(ch *store.Changes, seq uint64, r *commitLogRecord) {
	ch.PutSeq(tableCommitLog, g.id, seq, r.encode())
	g.commitLogQuiet = 0
}

// commitFailure is the CommitResult libxmtp logs for a commit that failed with err: a commit
// of another epoch, one that breaks XMTP's rules, or one MLS refused (it cannot tell a commit
// it could not decrypt from one whose content is wrong, and neither can libxmtp).
func commitFailure(err error) mlscontents.CommitResult {
	switch {
	case errors.Is(err, mls.ErrWrongEpoch):
		return mlscontents.CommitResult_COMMIT_RESULT_WRONG_EPOCH
	case errors.Is(err, ErrInvalidCommit), errors.Is(err, ErrMembershipMismatch):
		return mlscontents.CommitResult_COMMIT_RESULT_INVALID
	default:
		return mlscontents.CommitResult_COMMIT_RESULT_UNDECRYPTABLE
	}
}

// isCommit reports whether m is a commit, which even an undecryptable PrivateMessage says
// in the clear.
func isCommit(m *mls.MLSMessage) bool {
	switch {
	case m.PrivateMessage != nil:
		return m.PrivateMessage.ContentType == mls.ContentTypeCommit
	case m.PublicMessage != nil:
		return m.PublicMessage.Content.ContentType == mls.ContentTypeCommit
	}
	return false
}

// publishCommitLog publishes the group's unpublished entries, at most every
// commitLogInterval, if this member is one of the group's publishers and its key is the log's
// (libxmtp signs only with the key of the log's first entry, once there is one). Each accepted
// request moves the published cursor past its entries, so none is published twice; a failure
// leaves the rest pending for the next interval and is not the caller's failure: the log only
// helps members detect forks. The caller holds g.mu.
func (g *Group) publishCommitLog(ctx context.Context) {
	key, published, pending := g.dueCommitLog(ctx)
	if len(pending) == 0 {
		return
	}
	now := g.c.opts.Now().UnixNano()
	published.AttemptedAtNs, g.commitLogQuiet = uint64(now), now+int64(commitLogInterval)
	remote, err := g.readCommitLog(ctx, func(c *commitLogChain) bool { return c.key != nil })
	if err != nil || (remote.key != nil && !remote.key.Equal(key.Public())) {
		g.putCommitLogPublished(ctx, published)
		return
	}
	for batch := range slices.Chunk(pending, commitLogBatch) {
		req, err := g.signCommitLog(key, batch)
		if err == nil && len(req.GetRequests()) > 0 {
			err = retryRateLimited(ctx, func() error { return g.c.opts.API.BatchPublishCommitLog(ctx, req) })
		}
		if err == nil {
			published.Through = batch[len(batch)-1].Seq
		}
		if g.putCommitLogPublished(ctx, published) != nil || err != nil {
			return
		}
	}
}

// commitLogDue reports whether the group has commit log entries to publish now, which makes
// SyncAll sync it even without news. The caller holds g.mu.
func (g *Group) commitLogDue(ctx context.Context) bool {
	_, _, pending := g.dueCommitLog(ctx)
	return len(pending) > 0
}

// dueCommitLog returns, when this member publishes the group's log and the interval since the
// last attempt has passed, its signing key, its publishing progress and the entries pending;
// no entries otherwise (a store failure counts as nothing due). What it learns from the store
// is kept in g.commitLogQuiet, so the next calls read it again only once something may be due.
func (g *Group) dueCommitLog(ctx context.Context) (ed25519.PrivateKey, *commitLogPublished, []store.Record) {
	now := g.c.opts.Now().UnixNano()
	if now < g.commitLogQuiet {
		return nil, nil, nil
	}
	key := g.commitLogKey()
	if key == nil {
		return nil, nil, nil
	}
	published, err := g.commitLogPublished(ctx)
	if err != nil {
		return nil, nil, nil
	}
	if since := now - int64(published.AttemptedAtNs); published.AttemptedAtNs != 0 && since >= 0 && since < int64(commitLogInterval) {
		g.commitLogQuiet = int64(published.AttemptedAtNs) + int64(commitLogInterval)
		return nil, nil, nil
	}
	pending, err := g.c.opts.Store.Scan(ctx, tableCommitLog, g.id, store.Range{From: published.Through + 1})
	if err != nil {
		return nil, nil, nil
	}
	if len(pending) == 0 {
		g.commitLogQuiet = math.MaxInt64 // until an entry is recorded
	}
	return key, published, pending
}

// commitLogKey returns the key that signs the group's log if this member publishes it: in a
// DM or a group it is a super admin of, once the user allowed the conversation. The key is
// the one in the group's mutable metadata; nil when there is none.
func (g *Group) commitLogKey() ed25519.PrivateKey {
	if g.rec.Consent != ConsentAllowed || g.mls.Active() != nil {
		return nil
	}
	if g.rec.Type != metadata.ConversationDM && g.rec.Type != metadata.ConversationGroup {
		return nil
	}
	// Only the mutable metadata is needed: decoding it alone keeps this cheap in large groups.
	b, err := metadata.FindExtension(g.mls.Extensions(), metadata.ExtensionMutableMetadata)
	if err != nil {
		return nil
	}
	mutable, err := metadata.DecodeMutable(b)
	if err != nil || (g.rec.Type == metadata.ConversationGroup && !mutable.IsSuperAdmin(g.c.InboxID())) {
		return nil
	}
	seed := mutable.CommitLogSigner()
	if len(seed) != ed25519.SeedSize {
		return nil
	}
	return ed25519.NewKeyFromSeed(seed)
}

// commitLogPublished reads the group's publishing progress (zero before the first publish).
func (g *Group) commitLogPublished(ctx context.Context) (*commitLogPublished, error) {
	b, found, err := g.c.opts.Store.Get(ctx, tableCommitLogPublished, g.id)
	if err != nil {
		return nil, fmt.Errorf("group %x: commit log cursor: %w", g.id, err)
	}
	if !found {
		return &commitLogPublished{}, nil
	}
	return decodeCommitLogPublished(b)
}

// putCommitLogPublished stores the group's publishing progress.
func (g *Group) putCommitLogPublished(ctx context.Context, p *commitLogPublished) error {
	var ch store.Changes
	ch.Put(tableCommitLogPublished, g.id, p.encode())
	if err := g.c.opts.Store.Apply(ctx, ch); err != nil {
		return fmt.Errorf("group %x: commit log cursor: %w", g.id, err)
	}
	return nil
}

// signCommitLog makes the request publishing entries: each a serialized
// PlaintextCommitLogEntry with a plain Ed25519 signature of exactly those bytes and the
// signer's public key. An entry that no longer decodes is left out: it cannot be published
// and must not hold back those after it.
func (g *Group) signCommitLog(key ed25519.PrivateKey, entries []store.Record) (*mlsv1.BatchPublishCommitLogRequest, error) {
	req := &mlsv1.BatchPublishCommitLogRequest{}
	public := key.Public().(ed25519.PublicKey)
	for _, e := range entries {
		r, err := decodeCommitLogRecord(e.Value)
		if err != nil {
			continue
		}
		body, err := proto.Marshal(&mlscontents.PlaintextCommitLogEntry{
			GroupId:                   g.id,
			CommitSequenceId:          e.Seq,
			LastEpochAuthenticator:    r.LastEpochAuthenticator,
			CommitResult:              r.Result,
			AppliedEpochNumber:        r.AppliedEpoch,
			AppliedEpochAuthenticator: r.AppliedEpochAuthenticator,
		})
		if err != nil {
			return nil, fmt.Errorf("group %x: commit log entry %d: %w", g.id, e.Seq, err)
		}
		req.Requests = append(req.Requests, &mlsv1.PublishCommitLogRequest{
			GroupId:                  g.id,
			SerializedCommitLogEntry: body,
			Signature:                &associations.RecoverableEd25519Signature{Bytes: ed25519.Sign(key, body), PublicKey: public},
		})
	}
	return req, nil
}
