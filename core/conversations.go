package core

import (
	"cmp"
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Conversations is the client's set of groups and DMs: creating them, joining them from
// welcomes, listing and syncing them. Get it from Client.Conversations.
type Conversations struct {
	c *Client

	mu     sync.Mutex        // guards open
	open   map[string]*Group // loaded groups by hex id: one live Group per conversation
	joinMu sync.Mutex        // serialises welcome processing and the welcome cursor
	watch  *watchers         // the running streams
	subs   *subscriptions    // the subscriptions the streams share
}

func newConversations(c *Client) *Conversations {
	cv := &Conversations{c: c, open: map[string]*Group{}}
	cv.subs = newSubscriptions(cv)
	cv.watch = newWatchers(cv.subs.joined)
	return cv
}

// Conversations returns the client's conversations.
func (c *Client) Conversations() *Conversations { return c.conversations }

// GetConversationByID returns a conversation this client holds, or ErrGroupNotFound.
func (cv *Conversations) GetConversationByID(ctx context.Context, groupID []byte) (*Group, error) {
	return cv.load(ctx, groupID)
}

// load returns the live Group of groupID, reading it from the store the first time.
func (cv *Conversations) load(ctx context.Context, groupID []byte) (*Group, error) {
	gs, err := cv.loadAll(ctx, [][]byte{groupID})
	if err != nil {
		return nil, err
	}
	return gs[0], nil
}

// loadConcurrency bounds how many group records loadAll reads from the store at once.
const loadConcurrency = 16

// loadAll returns the live Groups of groupIDs in their order, as load does for each, with
// the first error in that order. The groups not loaded yet are read and decoded
// concurrently: IndexedDB answers each read as its own transaction, so listing a hundred
// conversations right after a start waits for a few round trips instead of a hundred in
// turn. cv.mu is held throughout, as install holds it to write a group, so no read sees a
// group half installed.
func (cv *Conversations) loadAll(ctx context.Context, groupIDs [][]byte) ([]*Group, error) {
	cv.mu.Lock()
	defer cv.mu.Unlock()
	out := make([]*Group, len(groupIDs))
	errs := make([]error, len(groupIDs))
	slots := make(chan struct{}, loadConcurrency)
	var wg sync.WaitGroup
	for i, id := range groupIDs {
		if g, ok := cv.open[hex.EncodeToString(id)]; ok {
			out[i] = g
			continue
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() {
				<-slots
				wg.Done()
			}()
			out[i], errs[i] = cv.read(ctx, id)
		}()
	}
	wg.Wait()
	for i, id := range groupIDs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		key := hex.EncodeToString(id)
		if live, ok := cv.open[key]; ok { // loaded before, or listed twice
			out[i] = live
			continue
		}
		cv.open[key] = out[i]
	}
	return out, nil
}

// read reads and decodes the stored group groupID into a new Group, not yet live.
func (cv *Conversations) read(ctx context.Context, groupID []byte) (*Group, error) {
	key := hex.EncodeToString(groupID)
	b, found, err := cv.c.opts.Store.Get(ctx, tableGroups, groupID)
	if err != nil {
		return nil, fmt.Errorf("load group %s: %w", key, err)
	}
	if !found {
		return nil, fmt.Errorf("%w: %s", ErrGroupNotFound, key)
	}
	rec, err := decodeGroupRecord(b)
	if err != nil {
		return nil, err
	}
	m, err := mls.UnmarshalGroup(cv.c.groupConfig(), rec.State)
	if err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("group %s state: %w", key, err))
	}
	return newLiveGroup(cv.c, groupID, rec, m), nil
}

// loadIndexed returns the live Group of every entry of the group index, in index order; op
// names the caller in a failed read of the index.
func (cv *Conversations) loadIndexed(ctx context.Context, op string) ([]*Group, error) {
	recs, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	ids := make([][]byte, len(recs))
	for i, r := range recs {
		ids[i] = r.Value
	}
	return cv.loadAll(ctx, ids)
}

// install stores a group the client has just created or joined, with its index entry, in one
// Apply together with what build adds (its first messages, cursors), and makes it the live
// Group of its id. A re-join replaces the old state but keeps its messages.
func (cv *Conversations) install(ctx context.Context, m *mls.Group, rec *groupRecord, build func(g *Group, rec *groupRecord, ch *store.Changes)) (*Group, error) {
	id := m.GroupID()
	var ch store.Changes
	if old, found, err := cv.c.opts.Store.Get(ctx, tableGroups, id); err != nil {
		return nil, fmt.Errorf("install group %x: %w", id, err)
	} else if found {
		prev, err := decodeGroupRecord(old)
		if err != nil {
			return nil, err
		}
		ch.DeleteSeq(tableGroupIndex, groupIndexPartition, prev.IndexSeq)
		ch.DeletePartition(tableIntents, id)
		rec.NextMessageSeq, rec.NextIntentSeq = prev.NextMessageSeq, prev.NextIntentSeq
	}
	seq, err := cv.nextIndexSeq(ctx)
	if err != nil {
		return nil, err
	}
	rec.IndexSeq = seq
	ch.PutSeq(tableGroupIndex, groupIndexPartition, seq, id)
	g := newLiveGroup(cv.c, id, rec, m)
	if build != nil {
		build(g, rec, &ch)
	}
	cv.mu.Lock()
	defer cv.mu.Unlock()
	if err := g.save(ctx, m, rec, ch); err != nil {
		return nil, err
	}
	if live, ok := cv.open[hex.EncodeToString(id)]; ok {
		// Callers holding the old Group see the new state too.
		live.mu.Lock()
		live.rec, live.mls = g.rec, g.mls
		live.mu.Unlock()
		return live, nil
	}
	cv.open[hex.EncodeToString(id)] = g
	return g, nil
}

// nextIndexSeq returns the key after the last one of the group index. Keys are a local
// counter, not creation times: stores such as IndexedDB keep ordered keys in the clear, and
// they must not tell when each conversation was made.
func (cv *Conversations) nextIndexSeq(ctx context.Context) (uint64, error) {
	last, err := cv.c.opts.Store.Scan(ctx, tableGroupIndex, groupIndexPartition, store.Range{Reverse: true, Limit: 1})
	if err != nil {
		return 0, fmt.Errorf("group index: %w", err)
	}
	if len(last) == 0 {
		return 1, nil
	}
	return last[0].Seq + 1, nil
}

// ListOptions filter List. Zero values select everything listable.
type ListOptions struct {
	// CreatedAfterNs and CreatedBeforeNs bound the creation time (exclusive); zero is open.
	CreatedAfterNs, CreatedBeforeNs int64
	// Limit caps the number of conversations returned; zero is no limit.
	Limit int
	// ConversationType, when set, keeps only groups or only DMs.
	ConversationType metadata.ConversationType
	// ConsentStates, when set, keeps only conversations in one of these states.
	ConsentStates []ConsentState
	// IncludeDuplicateDMs lists every DM with a peer, not only the most recently active.
	IncludeDuplicateDMs bool
	// ByLastActivity lists the most recently active first (a message or commit, else the
	// creation), as libxmtp's LastActivity order; otherwise the oldest first.
	ByLastActivity bool
}

// List returns the groups and DMs the app sees, oldest first. Device-sync, oneshot and
// unknown conversation types are never listed; of several DMs with the same peer (each side
// may have created one) only the most recently active is, unless IncludeDuplicateDMs.
func (cv *Conversations) List(ctx context.Context, opts ListOptions) ([]*Group, error) {
	groups, err := cv.loadIndexed(ctx, "list conversations")
	if err != nil {
		return nil, err
	}
	var out []*Group
	dms := map[string]int{} // dm_id → index in out
	for _, g := range groups {
		g.mu.Lock()
		typ, dmID, consent, activity, created := g.rec.Type, g.rec.DMID, g.rec.Consent, g.rec.LastActivityNs, int64(g.rec.CreatedAtNs)
		g.mu.Unlock()
		if (opts.CreatedAfterNs > 0 && created <= opts.CreatedAfterNs) || (opts.CreatedBeforeNs > 0 && created >= opts.CreatedBeforeNs) {
			continue
		}
		if !typ.Listed() || (opts.ConversationType != 0 && typ != opts.ConversationType) || !consentIn(consent, opts.ConsentStates) {
			continue
		}
		if dmID != "" && !opts.IncludeDuplicateDMs {
			if i, ok := dms[dmID]; ok {
				if out[i].lastActivity() < activity {
					out[i] = g
				}
				continue
			}
			dms[dmID] = len(out)
		}
		out = append(out, g)
	}
	if opts.ByLastActivity {
		slices.SortStableFunc(out, func(a, b *Group) int { return cmp.Compare(b.lastActivity(), a.lastActivity()) })
	} else {
		slices.SortStableFunc(out, func(a, b *Group) int { return cmp.Compare(a.CreatedAtNs(), b.CreatedAtNs()) })
	}
	if opts.Limit > 0 && len(out) > opts.Limit {
		out = out[:opts.Limit]
	}
	return out, nil
}

func (g *Group) lastActivity() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.LastActivityNs
}

// syncAllConcurrency bounds how many conversations SyncAll syncs at once.
const syncAllConcurrency = 4

// newestBatch is how many groups one GetNewestGroupMessage asks about (the node's batch cap).
const newestBatch = 1000

// SyncAll fetches new welcomes, then syncs every conversation that has something to do: new
// messages on the node (asked of the node for all groups in one call per thousand, so a
// SyncAll with nothing new costs one round trip, not one per group) or intents or commit log
// entries of its own to publish. Hidden conversations are synced too, so their commits keep
// flowing. It returns how many conversations it synced and the first error.
func (cv *Conversations) SyncAll(ctx context.Context) (int, error) {
	if err := cv.Sync(ctx); err != nil {
		return 0, err
	}
	groups, err := cv.loadIndexed(ctx, "sync all")
	if err != nil {
		return 0, err
	}
	stale, err := cv.withNews(ctx, groups)
	if err != nil {
		return 0, err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		slots = make(chan struct{}, syncAllConcurrency)
	)
	for _, g := range stale {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if err := g.Sync(ctx); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return len(stale), first
}

// withNews returns the groups that have messages on the node past their cursor, intents
// waiting to be published, or commit log entries due to be published (commitlog.go).
func (cv *Conversations) withNews(ctx context.Context, groups []*Group) ([]*Group, error) {
	var out []*Group
	for start := 0; start < len(groups); start += newestBatch {
		batch := groups[start:min(start+newestBatch, len(groups))]
		req := &mlsv1.GetNewestGroupMessageRequest{}
		for _, g := range batch {
			req.GroupIds = append(req.GroupIds, g.id)
		}
		var resp *mlsv1.GetNewestGroupMessageResponse
		err := retryRateLimited(ctx, func() (err error) {
			resp, err = cv.c.opts.API.GetNewestGroupMessage(ctx, req)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("sync all: newest messages: %w", err)
		}
		for i, g := range batch {
			var newest uint64
			if i < len(resp.GetResponses()) {
				_, newest = api.GroupMessageTopic(resp.GetResponses()[i].GetGroupMessage())
			}
			g.mu.Lock()
			pending, err := g.intents(ctx)
			behind := newest > g.rec.Cursor
			logDue := g.commitLogDue(ctx)
			g.mu.Unlock()
			if err != nil {
				return nil, err
			}
			if behind || len(pending) > 0 || logDue {
				out = append(out, g)
			}
		}
	}
	return out, nil
}
