//go:build !js

package core_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/sqlitestore"
	"github.com/goxmtp/goxmtp/core/store"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// commitLogAPI passes every call to the real node, notes the size of every commit log batch
// the node accepted and, while refuse is set, answers BatchPublishCommitLog as an
// unreachable node does.
type commitLogAPI struct {
	api.API
	refuse  atomic.Bool
	mu      sync.Mutex
	batches []int
}

func (a *commitLogAPI) BatchPublishCommitLog(ctx context.Context, req *mlsv1.BatchPublishCommitLogRequest) error {
	if a.refuse.Load() {
		return api.ErrUnavailable
	}
	err := a.API.BatchPublishCommitLog(ctx, req)
	if err == nil {
		a.mu.Lock()
		a.batches = append(a.batches, len(req.GetRequests()))
		a.mu.Unlock()
	}
	return err
}

func (a *commitLogAPI) published() []int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.batches)
}

// offsetClock is the real clock moved forward by what the test advanced it, so a test can
// reach the next commit log interval without waiting for it.
type offsetClock struct{ offset atomic.Int64 }

func (c *offsetClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *offsetClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// createWith makes a client whose node calls go through a and whose clock is clock.
func (n *network) createWith(t *testing.T, a api.API, clock *offsetClock) *core.Client {
	t.Helper()
	c, err := core.Create(context.Background(), newWallet(t), core.Options{API: a, Store: memstore.New(), Now: clock.Now})
	if err != nil {
		t.Fatalf("create client: %v", err)
	}
	return c
}

// pairGroup makes alice's group with bob, alice's node calls going through a and her clock
// being clock, and returns alice's group and bob's copy.
func (n *network) pairGroup(t *testing.T, a api.API, clock *offsetClock) (ga, gb *core.Group) {
	t.Helper()
	alice := n.createWith(t, a, clock)
	bob := n.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(context.Background(), []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatalf("create group: %v", err)
	}
	return ga, joinGroup(t, bob, ga.ID())
}

// commitResults is the commit result of each entry of a log, in order.
func commitResults(log []*mlscontents.PlaintextCommitLogEntry) []mlscontents.CommitResult {
	var results []mlscontents.CommitResult
	for _, e := range log {
		results = append(results, e.GetCommitResult())
	}
	return results
}

// publishedLog reads g's commit log from the node and checks every entry as a libxmtp member
// does before trusting it: signed with plain Ed25519 over exactly the serialized entry by
// the key of the group's `_commit_log_signer`, which the entry names, and about this group.
func publishedLog(t *testing.T, n *network, g *core.Group) []*mlscontents.PlaintextCommitLogEntry {
	t.Helper()
	resp, err := n.api.BatchQueryCommitLog(context.Background(), &mlsv1.BatchQueryCommitLogRequest{
		Requests: []*mlsv1.QueryCommitLogRequest{{GroupId: g.ID(), PagingInfo: &mlsv1.PagingInfo{
			Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: 100,
		}}},
	})
	if err != nil {
		t.Fatalf("query commit log: %v", err)
	}
	st, err := g.Metadata()
	if err != nil {
		t.Fatal(err)
	}
	public := ed25519.NewKeyFromSeed(st.Mutable.CommitLogSigner()).Public().(ed25519.PublicKey)
	var out []*mlscontents.PlaintextCommitLogEntry
	for i, e := range resp.GetResponses()[0].GetCommitLogEntries() {
		sig := e.GetSignature()
		if !bytes.Equal(sig.GetPublicKey(), public) || !ed25519.Verify(public, e.GetSerializedCommitLogEntry(), sig.GetBytes()) {
			t.Fatalf("entry %d: not signed by the group's commit log signer", i)
		}
		var entry mlscontents.PlaintextCommitLogEntry
		if err := proto.Unmarshal(e.GetSerializedCommitLogEntry(), &entry); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if !bytes.Equal(entry.GetGroupId(), g.ID()) {
			t.Fatalf("entry %d names group %x", i, entry.GetGroupId())
		}
		out = append(out, &entry)
	}
	return out
}

// commitIDs lists the node ids of g's commits, in order.
func commitIDs(t *testing.T, n *network, g *core.Group) []uint64 {
	t.Helper()
	resp, err := n.api.QueryGroupMessages(context.Background(), &mlsv1.QueryGroupMessagesRequest{
		GroupId: g.ID(), PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: 100},
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for _, m := range resp.GetMessages() {
		if m.GetV1().GetIsCommit() {
			ids = append(ids, m.GetV1().GetId())
		}
	}
	return ids
}

// checkChain checks the entries as libxmtp's fork check chains them: each applied commit
// starts from the epoch the previous entry ended in and moves it on by one; a commit that
// was not applied leaves it where it was.
func checkChain(t *testing.T, log []*mlscontents.PlaintextCommitLogEntry) {
	t.Helper()
	for i, e := range log {
		if len(e.GetAppliedEpochAuthenticator()) == 0 || len(e.GetLastEpochAuthenticator()) == 0 {
			t.Fatalf("entry %d lacks an authenticator", i)
		}
		if i == 0 {
			continue
		}
		prev := log[i-1]
		applied := e.GetCommitResult() == mlscontents.CommitResult_COMMIT_RESULT_APPLIED
		switch {
		case !bytes.Equal(e.GetLastEpochAuthenticator(), prev.GetAppliedEpochAuthenticator()):
			t.Fatalf("entry %d does not start where entry %d ended", i, i-1)
		case applied && e.GetAppliedEpochNumber() != prev.GetAppliedEpochNumber()+1:
			t.Fatalf("entry %d applies epoch %d after %d", i, e.GetAppliedEpochNumber(), prev.GetAppliedEpochNumber())
		case !applied && (e.GetAppliedEpochNumber() != prev.GetAppliedEpochNumber() || !bytes.Equal(e.GetAppliedEpochAuthenticator(), prev.GetAppliedEpochAuthenticator())):
			t.Fatalf("entry %d (%v) moved the epoch", i, e.GetCommitResult())
		}
	}
}

// TestCommitLogPublishedBySuperAdmin: the creator of a group of three publishes an entry for
// each commit, its own and the others', once per interval; the members who are not super
// admins publish nothing; the log ends in the epoch every member is in.
func TestCommitLogPublishedBySuperAdmin(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock := &offsetClock{}
	aliceAPI, bobAPI := &commitLogAPI{API: net.api}, &commitLogAPI{API: net.api}
	alice := net.createWith(t, aliceAPI, clock)
	bob := net.createWith(t, bobAPI, &offsetClock{})
	carol := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID(), carol.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gb, gc := joinGroup(t, bob, ga.ID()), joinGroup(t, carol, ga.ID())
	if got := aliceAPI.published(); len(got) != 0 {
		t.Fatalf("creating the group published batches %v: that waits for a Sync", got)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := aliceAPI.published(); !slices.Equal(got, []int{1}) {
		t.Fatalf("the first sync published batches %v, want the adding commit's entry", got)
	}
	if err := ga.UpdateName(ctx, "one"); err != nil {
		t.Fatal(err)
	}
	// Each member reads the commits before its own, so none of them loses its epoch.
	if err := gb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gb.UpdateDescription(ctx, "two"); err != nil {
		t.Fatal(err)
	}
	if err := gc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := gc.UpdateName(ctx, "three"); err != nil {
		t.Fatal(err)
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := aliceAPI.published(); len(got) != 1 {
		t.Fatalf("published batches %v within the interval", got)
	}
	clock.advance(5 * time.Minute)
	for _, g := range []*core.Group{ga, gb, gc} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := aliceAPI.published(); !slices.Equal(got, []int{1, 3}) {
		t.Fatalf("published batches %v, want [1 3]", got)
	}
	if got := bobAPI.published(); len(got) != 0 {
		t.Fatalf("bob, no super admin, published batches %v", got)
	}

	log := publishedLog(t, net, ga)
	ids := commitIDs(t, net, ga)
	if len(log) != 4 || len(ids) != 4 {
		t.Fatalf("%d entries for %d commits, want 4 of each", len(log), len(ids))
	}
	for i, e := range log {
		if e.GetCommitSequenceId() != ids[i] || e.GetCommitResult() != mlscontents.CommitResult_COMMIT_RESULT_APPLIED || e.GetAppliedEpochNumber() != uint64(i+1) {
			t.Fatalf("entry %d: commit %d %v epoch %d, want commit %d applied epoch %d",
				i, e.GetCommitSequenceId(), e.GetCommitResult(), e.GetAppliedEpochNumber(), ids[i], i+1)
		}
	}
	checkChain(t, log)
	last := log[len(log)-1]
	for name, g := range map[string]*core.Group{"alice": ga, "bob": gb, "carol": gc} {
		if g.Epoch() != last.GetAppliedEpochNumber() || !bytes.Equal(core.EpochAuthenticator(g), last.GetAppliedEpochAuthenticator()) {
			t.Errorf("%s is in epoch %d, not the one the log ends in", name, g.Epoch())
		}
	}
}

// TestCommitLogLogsLostCommits: a commit made on an epoch another commit already ended
// reaches the node and fails for everyone; the super admin logs it as WRONG_EPOCH, in the
// epoch it stayed in.
func TestCommitLogLogsLostCommits(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock := &offsetClock{}
	ga, gb := net.pairGroup(t, net.api, clock)
	if err := ga.UpdateName(ctx, "alice's"); err != nil {
		t.Fatal(err)
	}
	// Bob has not read alice's commit: his is made on the epoch hers ended, loses, and is
	// made again on the next.
	if err := gb.UpdateDescription(ctx, "bob's"); err != nil {
		t.Fatal(err)
	}
	clock.advance(5 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	log := publishedLog(t, net, ga)
	results := commitResults(log)
	applied, wrong := mlscontents.CommitResult_COMMIT_RESULT_APPLIED, mlscontents.CommitResult_COMMIT_RESULT_WRONG_EPOCH
	if want := []mlscontents.CommitResult{applied, applied, wrong, applied}; !slices.Equal(results, want) {
		t.Fatalf("results %v, want %v", results, want)
	}
	if ids := commitIDs(t, net, ga); len(ids) != len(log) || log[2].GetCommitSequenceId() != ids[2] {
		t.Fatalf("entries for commits %v", ids)
	}
	checkChain(t, log)
}

// TestCommitLogPendingWhileNodeRefuses: entries the node does not take stay pending without
// failing Sync, wait for the next interval, and are then published once, at most 10 per
// request.
func TestCommitLogPendingWhileNodeRefuses(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock := &offsetClock{}
	aliceAPI := &commitLogAPI{API: net.api}
	aliceAPI.refuse.Store(true)
	ga, _ := net.pairGroup(t, aliceAPI, clock)
	const renames = 11
	for i := range renames {
		if err := ga.UpdateName(ctx, fmt.Sprint("name ", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatalf("sync while the node refuses the commit log: %v", err)
	}
	aliceAPI.refuse.Store(false)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := publishedLog(t, net, ga); len(got) != 0 {
		t.Fatalf("%d entries published within the interval of the refused attempt", len(got))
	}
	clock.advance(5 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	clock.advance(5 * time.Minute)
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := aliceAPI.published(); !slices.Equal(got, []int{10, renames + 1 - 10}) {
		t.Fatalf("published batches %v, want [10 %d]", got, renames+1-10)
	}
	log := publishedLog(t, net, ga)
	if ids := commitIDs(t, net, ga); len(log) != renames+1 || len(ids) != len(log) {
		t.Fatalf("%d entries for %d commits, want %d", len(log), len(ids), renames+1)
	}
	for i, e := range log {
		if e.GetAppliedEpochNumber() != uint64(i+1) {
			t.Fatalf("entry %d applies epoch %d", i, e.GetAppliedEpochNumber())
		}
	}
	checkChain(t, log)
}

// TestCommitLogPublishedByDMMembers: in a DM both members publish, as libxmtp's do, with the
// DM's signer, but only once the user allowed the DM; their entries for the same commit agree.
func TestCommitLogPublishedByDMMembers(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	aliceClock := &offsetClock{}
	bobAPI := &commitLogAPI{API: net.api}
	alice := net.createWith(t, net.api, aliceClock)
	bob := net.createWith(t, bobAPI, &offsetClock{})
	da, err := alice.Conversations().CreateDm(ctx, bob.InboxID(), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := joinGroup(t, bob, da.ID())
	if err := da.UpdateDisappearing(ctx, metadata.Disappearing{FromNS: 1, InNS: int64(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := db.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := bobAPI.published(); len(got) != 0 {
		t.Fatalf("bob published batches %v before allowing the DM", got)
	}
	if err := db.UpdateConsentState(ctx, core.ConsentAllowed); err != nil {
		t.Fatal(err)
	}
	aliceClock.advance(5 * time.Minute)
	for _, g := range []*core.Group{da, db} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Alice's entries for every commit (the first adds bob), then bob's for those after it.
	log, commits := publishedLog(t, net, da), commitIDs(t, net, da)
	n := len(commits)
	if got := bobAPI.published(); !slices.Equal(got, []int{n - 1}) || len(log) != 2*n-1 {
		t.Fatalf("bob published batches %v; the node holds %d entries for %d commits", got, len(log), n)
	}
	alices, bobs := log[:n], log[n:]
	for i, e := range alices {
		if e.GetCommitSequenceId() != commits[i] {
			t.Fatalf("alice's entry %d is for commit %d, want %d", i, e.GetCommitSequenceId(), commits[i])
		}
	}
	for i, e := range bobs {
		if !proto.Equal(e, alices[i+1]) {
			t.Fatalf("bob's entry for commit %d differs from alice's", alices[i+1].GetCommitSequenceId())
		}
	}
	checkChain(t, alices)
}

// TestCommitLogSurvivesRestartOnSQLite: pending entries and the time of the last attempt are
// kept in the store, so a client opened again publishes them once, when the interval ends.
func TestCommitLogSurvivesRestartOnSQLite(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	path, key, wallet := filepath.Join(t.TempDir(), "alice.db"), make([]byte, sqlitestore.KeySize), newWallet(t)
	clock, aliceAPI := &offsetClock{}, &commitLogAPI{API: net.api}
	open := func() (*core.Client, *sqlitestore.Store) {
		s, err := sqlitestore.Open(ctx, path, key)
		if err != nil {
			t.Fatal(err)
		}
		c, err := core.Create(ctx, wallet, core.Options{API: aliceAPI, Store: s, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		return c, s
	}
	alice, s := open()
	bob := net.create(t, newWallet(t), memstore.New())
	aliceAPI.refuse.Store(true)
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"one", "two"} {
		if err := ga.UpdateName(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	alice.Close()
	s.Close()

	aliceAPI.refuse.Store(false)
	alice, s = open()
	defer s.Close()
	g, err := alice.Conversations().GetConversationByID(ctx, ga.ID())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][]int{nil, {3}, {3}} {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if got := aliceAPI.published(); !slices.Equal(got, want) {
			t.Fatalf("sync %d after the restart: published batches %v, want %v", i, got, want)
		}
		clock.advance(5 * time.Minute)
	}
	log := publishedLog(t, net, g)
	if len(log) != 3 {
		t.Fatalf("%d entries on the node, want 3", len(log))
	}
	checkChain(t, log)
}

// TestCommitLogKeepsToTheLogsKey: once the log holds an entry signed with another key than
// the group's signer, that key is the log's, and the super admin publishes nothing a member
// would reject, as libxmtp.
func TestCommitLogKeepsToTheLogsKey(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	aliceAPI := &commitLogAPI{API: net.api}
	ga, _ := net.pairGroup(t, aliceAPI, &offsetClock{})
	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	publishSigned(t, net, other, &mlscontents.PlaintextCommitLogEntry{
		GroupId: ga.ID(), CommitSequenceId: commitIDs(t, net, ga)[0], LastEpochAuthenticator: []byte{1},
		CommitResult: mlscontents.CommitResult_COMMIT_RESULT_APPLIED, AppliedEpochNumber: 1, AppliedEpochAuthenticator: []byte{2},
	})
	if err := ga.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := aliceAPI.published(); len(got) != 0 {
		t.Fatalf("published batches %v under a key that is not the log's", got)
	}
}

// commitLogReads passes everything to its store and counts the reads of the commit log's
// tables.
type commitLogReads struct {
	store.Store
	n atomic.Int64
}

func (s *commitLogReads) count(table string) {
	if strings.HasPrefix(table, "commit_log") {
		s.n.Add(1)
	}
}

func (s *commitLogReads) Get(ctx context.Context, table string, id []byte) ([]byte, bool, error) {
	s.count(table)
	return s.Store.Get(ctx, table, id)
}

func (s *commitLogReads) Scan(ctx context.Context, table string, partition []byte, r store.Range) ([]store.Record, error) {
	s.count(table)
	return s.Store.Scan(ctx, table, partition, r)
}

// TestCommitLogPublishedBySyncAll: SyncAll syncs a group without news when its commit log is
// due, and only then; once it knows nothing is due, it does not even read the store for it.
func TestCommitLogPublishedBySyncAll(t *testing.T) {
	ctx := context.Background()
	net := newNetwork(t)
	clock, aliceAPI, reads := &offsetClock{}, &commitLogAPI{API: net.api}, &commitLogReads{Store: memstore.New()}
	alice, err := core.Create(ctx, newWallet(t), core.Options{API: aliceAPI, Store: reads, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	bob := net.create(t, newWallet(t), memstore.New())
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	syncAll := func(wantSynced int, wantBatches []int) {
		t.Helper()
		n, err := alice.Conversations().SyncAll(ctx)
		if err != nil || n != wantSynced {
			t.Fatalf("SyncAll synced %d groups (%v), want %d", n, err, wantSynced)
		}
		if got := aliceAPI.published(); !slices.Equal(got, wantBatches) {
			t.Fatalf("published batches %v, want %v", got, wantBatches)
		}
	}
	syncAll(1, []int{1})
	if err := ga.UpdateName(ctx, "renamed"); err != nil {
		t.Fatal(err)
	}
	syncAll(0, []int{1}) // pending, but within the interval
	clock.advance(5 * time.Minute)
	syncAll(1, []int{1, 1})
	clock.advance(5 * time.Minute)
	syncAll(0, []int{1, 1}) // nothing pending
	reads.n.Store(0)
	clock.advance(5 * time.Minute)
	syncAll(0, []int{1, 1})
	if n := reads.n.Load(); n != 0 {
		t.Fatalf("SyncAll read the commit log tables %d times with nothing recorded since", n)
	}
	if err := ga.UpdateName(ctx, "again"); err != nil {
		t.Fatal(err)
	}
	syncAll(1, []int{1, 1, 1}) // a new entry, and the interval has passed
}
