//go:build !js

package core_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/sqlitestore"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// uploadCounter passes every call to the node and counts the bytes of group messages and
// welcomes sent, the upload a group creation costs.
type uploadCounter struct {
	api.API
	bytes atomic.Int64
}

func (u *uploadCounter) SendGroupMessages(ctx context.Context, r *mlsv1.SendGroupMessagesRequest) error {
	u.bytes.Add(int64(proto.Size(r)))
	return u.API.SendGroupMessages(ctx, r)
}

func (u *uploadCounter) SendWelcomeMessages(ctx context.Context, r *mlsv1.SendWelcomeMessagesRequest) error {
	u.bytes.Add(int64(proto.Size(r)))
	return u.API.SendWelcomeMessages(ctx, r)
}

// benchNode is a node whose per-address rate limits are out of the way: every benchmark client
// shares one loopback address, and what is measured is the client.
func benchNode(b *testing.B) *nodetest.Node {
	return nodetest.Start(b, node.Config{RateLimit: node.RateLimit{
		ReadsPerSecond: 1e6, ReadBurst: 1e6, WritesPerSecond: 1e6, WriteBurst: 1e6,
	}})
}

func benchClients(b *testing.B, a api.API, n int) []*core.Client {
	b.Helper()
	out := make([]*core.Client, n)
	for i := range out {
		w, err := identity.NewLocalWallet()
		if err != nil {
			b.Fatal(err)
		}
		if out[i], err = core.Create(context.Background(), w, core.Options{API: a, Store: memstore.New()}); err != nil {
			b.Fatal(err)
		}
	}
	return out
}

// BenchmarkCreateGroup creates a group with members of one installation each: key packages
// fetched and verified, the commit, a welcome wrapped and sent per installation, the commit
// read back. upload-B/op is what the creator sends to the node.
func BenchmarkCreateGroup(b *testing.B) {
	n := benchNode(b)
	counter := &uploadCounter{API: connectapi.New(n.URL(), connectapi.Config{})}
	ctx := context.Background()
	members := benchClients(b, counter.API, 399)
	creator := benchClients(b, counter, 1)[0]
	for _, size := range []int{10, 100, 400} {
		ids := make([]string, size-1) // and the creator
		for i := range ids {
			ids[i] = members[i].InboxID()
		}
		b.Run(fmt.Sprintf("members=%d", size), func(b *testing.B) {
			counter.bytes.Store(0)
			for b.Loop() {
				if _, err := creator.Conversations().CreateGroup(ctx, ids, core.CreateGroupOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(counter.bytes.Load())/float64(b.N), "upload-B/op")
		})
	}
}

// messagesPerOp is how many messages one op of BenchmarkMessages sends or receives, the
// 1,000 of issue 7's figure.
const messagesPerOp = 1000

// BenchmarkMessages sends and receives text messages in a 50-member group, 1,000 an op, and
// reports msgs/s each way: send is one message stored, encrypted, published and read back;
// receive is one message fetched, decrypted, validated and stored by another member's sync.
func BenchmarkMessages(b *testing.B) {
	n := benchNode(b)
	a := connectapi.New(n.URL(), connectapi.Config{})
	ctx := context.Background()
	clients := benchClients(b, a, 50)
	ids := make([]string, 0, 49)
	for _, c := range clients[1:] {
		ids = append(ids, c.InboxID())
	}
	sender, err := clients[0].Conversations().CreateGroup(ctx, ids, core.CreateGroupOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if err := clients[1].Conversations().Sync(ctx); err != nil {
		b.Fatal(err)
	}
	receiver, err := clients[1].Conversations().GetConversationByID(ctx, sender.ID())
	if err != nil {
		b.Fatal(err)
	}
	send := func(b *testing.B) {
		for range messagesPerOp {
			if _, err := sender.SendText(ctx, "a message of about the size people send"); err != nil {
				b.Fatal(err)
			}
		}
	}
	rate := func(b *testing.B) {
		b.ReportMetric(float64(messagesPerOp*b.N)/b.Elapsed().Seconds(), "msgs/s")
	}
	b.Run("send", func(b *testing.B) {
		for range b.N {
			send(b)
		}
		rate(b)
	})
	b.Run("receive", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			if err := receiver.Sync(ctx); err != nil { // what was sent before
				b.Fatal(err)
			}
			send(b)
			b.StartTimer()
			if err := receiver.Sync(ctx); err != nil {
				b.Fatal(err)
			}
		}
		rate(b)
	})
}

// coldLoadFixture is the SQLite store BenchmarkColdLoad opens, built once per test binary
// (filling it takes far longer than the benchmark) in a directory TestMain removes.
var coldLoadFixture struct {
	once   sync.Once
	path   string
	wallet *identity.LocalWallet
	err    error
}

const coldLoadGroups, coldLoadPerGroup = 100, 100

// buildColdLoadFixture registers a client on a SQLite store and fills it with 100 groups of
// 100 messages each (sent optimistically: stored, not published, which is all a cold load
// reads).
func buildColdLoadFixture(b *testing.B) error {
	n := benchNode(b)
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "goxmtp-coldload")
	if err != nil {
		return err
	}
	coldLoadFixture.path = filepath.Join(dir, "client.db")
	if coldLoadFixture.wallet, err = identity.NewLocalWallet(); err != nil {
		return err
	}
	s, err := sqlitestore.Open(ctx, coldLoadFixture.path, make([]byte, sqlitestore.KeySize))
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := core.Create(ctx, coldLoadFixture.wallet, core.Options{API: connectapi.New(n.URL(), connectapi.Config{}), Store: s})
	if err != nil {
		return err
	}
	ec, err := textContent("a stored message of ordinary length")
	if err != nil {
		return err
	}
	for range coldLoadGroups {
		g, err := c.Conversations().CreateGroup(ctx, nil, core.CreateGroupOptions{})
		if err != nil {
			return err
		}
		for range coldLoadPerGroup {
			if _, err := g.Send(ctx, ec, core.SendOptions{Optimistic: true}); err != nil {
				return err
			}
		}
	}
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if coldLoadFixture.path != "" {
		os.RemoveAll(filepath.Dir(coldLoadFixture.path))
	}
	os.Exit(code)
}

// BenchmarkColdLoad opens a client's SQLite store holding 100 groups and 10,000 messages and
// makes it ready: the client loaded (no network call) and every conversation listed, which
// loads each group's MLS state.
func BenchmarkColdLoad(b *testing.B) {
	coldLoadFixture.once.Do(func() { coldLoadFixture.err = buildColdLoadFixture(b) })
	if coldLoadFixture.err != nil {
		b.Fatal(coldLoadFixture.err)
	}
	ctx := context.Background()
	offline := connectapi.New("http://127.0.0.1:1", connectapi.Config{}) // never called
	for b.Loop() {
		s, err := sqlitestore.Open(ctx, coldLoadFixture.path, make([]byte, sqlitestore.KeySize))
		if err != nil {
			b.Fatal(err)
		}
		c, err := core.Create(ctx, coldLoadFixture.wallet, core.Options{API: offline, Store: s})
		if err != nil {
			b.Fatal(err)
		}
		list, err := c.Conversations().List(ctx, core.ListOptions{})
		if err != nil || len(list) != coldLoadGroups {
			b.Fatalf("%d conversations, %v", len(list), err)
		}
		s.Close()
	}
}
