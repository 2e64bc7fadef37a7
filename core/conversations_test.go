//go:build !js

package core_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// clock is a settable time source for Options.Now.
type clock struct{ ns atomic.Int64 }

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

func TestListAndMessageFilters(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	clk := &clock{}
	t0 := time.Now().Truncate(time.Second)
	clk.set(t0)
	alice, err := core.Create(ctx, newWallet(t), core.Options{API: net.api, Store: memstore.New(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	cv := alice.Conversations()
	var groups []*core.Group
	for range 3 {
		g, err := cv.CreateGroup(ctx, nil, core.CreateGroupOptions{})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
		clk.advance(time.Second)
	}
	for name, c := range map[string]struct {
		opts core.ListOptions
		want []*core.Group
	}{
		"all":            {core.ListOptions{}, groups},
		"created after":  {core.ListOptions{CreatedAfterNs: t0.UnixNano()}, groups[1:]},
		"created before": {core.ListOptions{CreatedBeforeNs: t0.Add(2 * time.Second).UnixNano()}, groups[:2]},
		"limit":          {core.ListOptions{Limit: 1}, groups[:1]},
		"dms only":       {core.ListOptions{ConversationType: metadata.ConversationDM}, nil},
		"denied only":    {core.ListOptions{ConsentStates: []core.ConsentState{core.ConsentDenied}}, nil},
	} {
		got, err := cv.List(ctx, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %d conversations, want %d", name, len(got), len(c.want))
			continue
		}
		for i := range got {
			if string(got[i].ID()) != string(c.want[i].ID()) {
				t.Errorf("%s: conversation %d differs", name, i)
			}
		}
	}

	g := groups[0]
	sentAt := clk.now()
	var ids [][]byte
	for _, s := range []string{"a", "b", "c"} {
		id, err := g.SendText(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		clk.advance(time.Second)
	}
	check := func(name string, opts core.MessagesOptions, want int) {
		t.Helper()
		ms, err := g.Messages(ctx, opts)
		if err != nil || len(ms) != want {
			t.Errorf("%s: %d messages (%v), want %d", name, len(ms), err, want)
		}
	}
	check("all", core.MessagesOptions{}, 3)
	check("sent after", core.MessagesOptions{SentAfterNs: sentAt.UnixNano()}, 2)
	check("sent before", core.MessagesOptions{SentBeforeNs: sentAt.Add(time.Second).UnixNano()}, 1)
	check("published", core.MessagesOptions{DeliveryStatus: core.DeliveryPublished}, 3)
	check("failed", core.MessagesOptions{DeliveryStatus: core.DeliveryFailed}, 0)
	check("text", core.MessagesOptions{ContentTypes: []content.TypeID{content.TypeText}}, 3)
	check("reactions", core.MessagesOptions{ContentTypes: []content.TypeID{content.TypeReaction}}, 0)
	last, err := g.Messages(ctx, core.MessagesOptions{Direction: core.SortDescending, Limit: 1})
	if err != nil || len(last) != 1 || string(last[0].ID) != string(ids[2]) {
		t.Fatalf("newest message: %v", err)
	}
	m, err := cv.MessageByID(ctx, ids[1])
	if err != nil || string(m.Content.GetContent()) != "b" {
		t.Fatalf("message by id: %v", err)
	}

	// Disappearing messages are deleted once expired.
	dg, err := cv.CreateGroup(ctx, nil, core.CreateGroupOptions{Disappearing: &metadata.Disappearing{FromNS: clk.now().UnixNano(), InNS: int64(5 * time.Second)}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := dg.SendText(ctx, "soon gone")
	if err != nil {
		t.Fatal(err)
	}
	clk.advance(10 * time.Second)
	if ms, err := dg.Messages(ctx, core.MessagesOptions{}); err != nil || len(ms) != 0 {
		t.Fatalf("expired message still listed: %d (%v)", len(ms), err)
	}
	if _, err := cv.MessageByID(ctx, id); err == nil {
		t.Fatal("expired message still found by id")
	}
}

// queryCounter passes every call to the node and counts group-message queries.
type queryCounter struct {
	api.API
	queries atomic.Int64
}

func (q *queryCounter) QueryGroupMessages(ctx context.Context, r *mlsv1.QueryGroupMessagesRequest) (*mlsv1.QueryGroupMessagesResponse, error) {
	q.queries.Add(1)
	return q.API.QueryGroupMessages(ctx, r)
}

func TestSyncAllSyncsOnlyWhatHasNews(t *testing.T) {
	net := newNetwork(t)
	ctx := context.Background()
	counter := &queryCounter{API: net.api}
	alice, err := core.Create(ctx, newWallet(t), core.Options{API: counter, Store: memstore.New()})
	if err != nil {
		t.Fatal(err)
	}
	bob := net.create(t, newWallet(t), memstore.New())
	for range 4 {
		if _, err := alice.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	shared, err := bob.Conversations().CreateGroup(ctx, []string{alice.InboxID()}, core.CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The first SyncAll joins the shared group, whose cursor starts at its newest message.
	if _, err := alice.Conversations().SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	counter.queries.Store(0)
	if n, err := alice.Conversations().SyncAll(ctx); err != nil || n != 0 || counter.queries.Load() != 0 {
		t.Fatalf("SyncAll with nothing new synced %d groups with %d queries (%v)", n, counter.queries.Load(), err)
	}
	if _, err := shared.SendText(ctx, "news"); err != nil {
		t.Fatal(err)
	}
	if n, err := alice.Conversations().SyncAll(ctx); err != nil || n != 1 {
		t.Fatalf("SyncAll after one message synced %d (%v)", n, err)
	}
	g, err := alice.Conversations().GetConversationByID(ctx, shared.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(t, g); len(got) != 1 {
		t.Fatalf("alice reads %q", got)
	}
}
