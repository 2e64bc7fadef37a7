package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// queryPageSize is how many group messages one QueryGroupMessages asks for (the node's cap).
const queryPageSize = 100

// Sync publishes what the group has pending, then reads the group's messages from the node
// in the node's order, from where it last stopped. A commit that won the epoch over one of
// ours sends ours around again on the new epoch. Last, it publishes the commit log when due
// (commitlog.go): here rather than in every sync round, so no change a user makes waits for it.
func (g *Group) Sync(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if err := g.syncLocked(ctx); err != nil {
		return err
	}
	g.publishCommitLog(ctx)
	return nil
}

func (g *Group) syncLocked(ctx context.Context) error {
	clear(g.failed) // a failure is reported to the caller awaiting it in the same round, or not at all
	if err := g.publishIntents(ctx); err != nil {
		return err
	}
	requeued, err := g.pull(ctx)
	if err != nil {
		return err
	}
	removals, err := g.queueLeaveRemovals(ctx)
	if err != nil {
		return err
	}
	updates, err := g.queueInstallationUpdate(ctx)
	if err != nil {
		return err
	}
	if requeued || removals || updates {
		if err := g.publishIntents(ctx); err != nil {
			return err
		}
		if _, err := g.pull(ctx); err != nil {
			return err
		}
	}
	return nil
}

// pull pages through the group's new messages and processes each. It reports whether one of
// our commits lost its epoch and must be published again.
func (g *Group) pull(ctx context.Context) (requeued bool, err error) {
	for {
		req := &mlsv1.QueryGroupMessagesRequest{
			GroupId: g.id,
			PagingInfo: &mlsv1.PagingInfo{
				Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: queryPageSize, IdCursor: g.rec.Cursor,
			},
		}
		var resp *mlsv1.QueryGroupMessagesResponse
		err := retryRateLimited(ctx, func() (err error) {
			resp, err = g.c.opts.API.QueryGroupMessages(ctx, req)
			return err
		})
		if err != nil {
			return requeued, fmt.Errorf("group %x: query messages: %w", g.id, err)
		}
		for _, m := range resp.GetMessages() {
			r, err := g.process(ctx, m)
			if err != nil {
				return requeued, err
			}
			requeued = requeued || r
		}
		if len(resp.GetMessages()) < queryPageSize {
			return requeued, nil
		}
	}
}

// process handles one group message into exactly one Apply: the next MLS state, the cursor,
// what the message produced and the intent it settled. Messages that cannot be processed
// (undecryptable, invalid commits) are skipped with the cursor moved past them; only store
// failures are returned.
func (g *Group) process(ctx context.Context, m *mlsv1.GroupMessage) (requeued bool, err error) {
	v1 := m.GetV1()
	if v1 == nil || v1.GetId() <= g.rec.Cursor {
		return false, nil
	}
	rec := *g.rec
	rec.Cursor = v1.GetId()
	intents, err := g.intents(ctx)
	if err != nil {
		return false, err
	}
	for _, it := range intents {
		if len(it.rec.Data) > 0 && bytes.Equal(it.rec.Data, v1.GetData()) {
			return false, g.readBack(ctx, &rec, it, v1)
		}
	}
	msg, err := mls.DecodeMLSMessage(v1.GetData())
	if err != nil {
		return false, g.save(ctx, g.mls, &rec, nil)
	}
	oldEpoch := g.mls.Epoch()
	pm, err := g.mls.Process(&msg)
	var ch store.Changes
	if err != nil {
		if isCommit(&msg) {
			g.logFailedCommit(&ch, v1.GetId(), err)
		}
		return false, g.save(ctx, g.mls, &rec, ch)
	}
	switch {
	case pm.ContentType == mls.ContentTypeApplication:
		if err := g.receiveApplication(ctx, &rec, &ch, pm, v1); err != nil {
			return false, err
		}
	case pm.Commit != nil:
		return g.receiveCommit(ctx, &rec, pm, v1, intents, oldEpoch)
	}
	return false, g.save(ctx, g.mls, &rec, ch)
}

// readBack settles one of our own intents found on the node: a message becomes Published,
// a commit's stored next state is installed (with its transcript) and its welcomes are sent.
func (g *Group) readBack(ctx context.Context, rec *groupRecord, it storedIntent, v1 *mlsv1.GroupMessage_V1) error {
	var ch store.Changes
	if it.rec.Kind == intentSendMessage {
		if err := g.setMessageStatus(ctx, &ch, it.rec.MessageSeq, DeliveryPublished); err != nil {
			return err
		}
		ch.DeleteSeq(tableIntents, g.id, it.seq)
		return g.save(ctx, g.mls, rec, ch)
	}
	next, err := mls.UnmarshalGroup(g.c.groupConfig(), it.rec.NextState)
	if err != nil {
		return ErrCorruptRecord.Wrap(fmt.Errorf("group %x: staged state: %w", g.id, err))
	}
	old, err := g.stateLocked()
	if err != nil {
		return err
	}
	nextState, err := permissions.ReadState(next.Extensions())
	if err != nil {
		return err
	}
	summary, err := permissions.Validate(g.c.InboxID(), old, nextState)
	if err != nil {
		// Checked before publishing, so this would be a bug; every receiver rejects it the
		// same way, so rejecting it here too keeps this member in step with them.
		g.failed[it.seq] = err
		ch.DeleteSeq(tableIntents, g.id, it.seq)
		g.logFailedCommit(&ch, v1.GetId(), ErrInvalidCommit)
		return g.save(ctx, g.mls, rec, ch)
	}
	g.addTranscript(rec, &ch, summary, g.c.InboxID(), v1.GetCreatedNs())
	g.logAppliedCommit(&ch, v1.GetId(), g.mls.EpochAuthenticator(), next)
	it.rec.State, it.rec.Cursor = intentCommitted, v1.GetId()
	ch.PutSeq(tableIntents, g.id, it.seq, it.rec.encode())
	if err := g.save(ctx, next, rec, ch); err != nil {
		return err
	}
	return g.finishCommit(ctx, it.seq, it.rec)
}

// receiveApplication decrypts, decodes and stores a member's message. Duplicates (by message
// id) and undecodable envelopes are dropped; group_updated is never accepted from the wire.
func (g *Group) receiveApplication(ctx context.Context, rec *groupRecord, ch *store.Changes, pm *mls.ProcessedMessage, v1 *mlsv1.GroupMessage_V1) error {
	env, err := content.DecodeEnvelope(pm.ApplicationData)
	if err != nil || env.Kind != content.PayloadContent {
		return nil
	}
	ec, err := content.Unmarshal(env.Payload)
	if err != nil {
		return nil
	}
	typ := content.TypeOf(ec)
	if sameMajorType(typ, content.TypeGroupUpdated) {
		return nil
	}
	sender := g.mls.Member(mls.LeafIndex(pm.Sender.Index))
	if sender == nil {
		return nil
	}
	inbox, err := credentialInbox(sender)
	if err != nil {
		return nil
	}
	id := content.MessageID(g.id, env.IdempotencyKey, env.Payload)
	if seen, err := g.seenMessage(ctx, id); err != nil || seen {
		return err
	}
	g.addMessage(rec, ch, &messageRecord{
		ID: id, SenderInbox: inbox, SenderInstallation: sender.SignatureKey, SentAtNs: v1.GetCreatedNs(),
		Kind: KindApplication, Status: DeliveryPublished, ContentType: typ.String(), Content: env.Payload,
		ExpiresAtNs: g.expiryAt(int64(v1.GetCreatedNs())),
	})
	rec.LastActivityNs = v1.GetCreatedNs()
	if sameMajorType(typ, content.TypeLeaveRequest) {
		g.noteLeaveRequest(rec, inbox)
	}
	return nil
}

// receiveCommit validates another member's commit as libxmtp receivers do and merges it with
// its transcript; an invalid one is skipped. If one of our commits was waiting for the same
// epoch, it lost: it is made again on the new epoch.
func (g *Group) receiveCommit(ctx context.Context, rec *groupRecord, pm *mls.ProcessedMessage, v1 *mlsv1.GroupMessage_V1, intents []storedIntent, oldEpoch uint64) (bool, error) {
	var ch store.Changes
	summary, actor, err := g.validateCommit(ctx, pm.Commit)
	if err != nil {
		if errors.Is(err, ErrInvalidCommit) || errors.Is(err, ErrMembershipMismatch) {
			g.logFailedCommit(&ch, v1.GetId(), err)
			return false, g.save(ctx, g.mls, rec, ch)
		}
		return false, err
	}
	// A failed save below reloads the live group from the store, undoing this merge.
	last := g.mls.EpochAuthenticator()
	if err := g.mls.Merge(pm.Commit); err != nil {
		return false, g.save(ctx, g.mls, rec, nil)
	}
	g.logAppliedCommit(&ch, v1.GetId(), last, g.mls)
	g.addTranscript(rec, &ch, summary, actor, v1.GetCreatedNs())
	requeued := false
	for _, it := range intents {
		if it.rec.Kind != intentSendMessage && len(it.rec.Data) > 0 && it.rec.Epoch == oldEpoch {
			it.rec.State, it.rec.Data, it.rec.NextState, it.rec.Welcome, it.rec.Recipients = intentToPublish, nil, nil, nil, nil
			ch.PutSeq(tableIntents, g.id, it.seq, it.rec.encode())
			requeued = true
		}
	}
	return requeued, g.save(ctx, g.mls, rec, ch)
}

// addTranscript stores the group_updated message of a change, unless it changed nothing an
// app shows. Its id uses the commit's timestamp as idempotency key, as libxmtp's does.
func (g *Group) addTranscript(rec *groupRecord, ch *store.Changes, s permissions.Summary, actor string, createdNs uint64) {
	left := rec.PendingRemove
	settleLeaves(rec, s.Removed)
	if s.Empty() {
		return
	}
	g.addGroupUpdated(rec, ch, s.Transcript(actor, left), strconv.FormatUint(createdNs, 10), createdNs)
}

// addGroupUpdated stores a locally made group_updated message.
func (g *Group) addGroupUpdated(rec *groupRecord, ch *store.Changes, gu content.GroupUpdated, idempotencyKey string, createdNs uint64) {
	ec, err := content.Encode(gu)
	if err != nil {
		return
	}
	body, err := content.Marshal(ec)
	if err != nil {
		return
	}
	g.addMessage(rec, ch, &messageRecord{
		ID: content.MessageID(g.id, idempotencyKey, body), SenderInbox: gu.InitiatedBy, SentAtNs: createdNs,
		Kind: KindMembershipChange, Status: DeliveryPublished, ContentType: content.TypeGroupUpdated.String(), Content: body,
	})
	rec.LastActivityNs = createdNs
}
