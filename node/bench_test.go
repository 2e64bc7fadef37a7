package node

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/coder/websocket"
	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// BenchmarkSendGroupMessages measures loopback SendGroupMessages throughput over gRPC (h2c)
// with 1 KiB messages, one client goroutine per CPU, and reports messages per second.
func BenchmarkSendGroupMessages(b *testing.B) {
	for _, batch := range []int{1, 50} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			tn := startNode(b, Config{})
			c := tn.grpcClients()
			groupID := randomBytes(b, 16)
			var seq atomic.Uint64
			b.SetBytes(int64(batch * 1024))
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				body := make([]byte, 1024)
				for pb.Next() {
					req := &mlsv1.SendGroupMessagesRequest{Messages: make([]*mlsv1.GroupMessageInput, batch)}
					for i := range req.Messages {
						binary.BigEndian.PutUint64(body, seq.Add(1)) // distinct bytes: no dedupe
						req.Messages[i] = groupInput(privateMessage(groupID, mls.ContentTypeApplication, body))
					}
					if _, err := c.mls.SendGroupMessages(context.Background(), connect.NewRequest(req)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N*batch)/time.Since(start).Seconds(), "msgs/s")
		})
	}
}

// peakHeap samples the heap in use until stop is called and returns the highest value seen.
// The node runs in the benchmark's process, so the figure covers node and clients together.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// latencyRecorder collects send-to-receive delays from message bodies that start with the
// send time.
type latencyRecorder struct {
	mu   sync.Mutex
	lat  []time.Duration
	recv chan struct{}
}

func (r *latencyRecorder) record(body []byte) {
	sent := time.Unix(0, int64(binary.BigEndian.Uint64(body)))
	d := time.Since(sent)
	r.mu.Lock()
	r.lat = append(r.lat, d)
	r.mu.Unlock()
	r.recv <- struct{}{}
}

func (r *latencyRecorder) report(b *testing.B) {
	slices.Sort(r.lat)
	pct := func(p float64) float64 { return float64(r.lat[int(p*float64(len(r.lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

const benchSubscribers = 100

// BenchmarkSubscriptionLatency has 100 subscribers on one group and, per iteration, sends one
// message and waits until every subscriber has it. It reports the send-to-receive latency
// percentiles over all deliveries and the peak heap of node and clients.
func BenchmarkSubscriptionLatency(b *testing.B) {
	b.Run("grpcweb", func(b *testing.B) {
		benchLatency(b, func(b *testing.B, tn *testNode, groupID []byte, r *latencyRecorder) {
			c := tn.clientsFor(false, connect.WithGRPCWeb())
			for range benchSubscribers {
				stream, err := c.mls.SubscribeGroupMessages(b.Context(), connect.NewRequest(&mlsv1.SubscribeGroupMessagesRequest{
					Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: groupID}},
				}))
				if err != nil {
					b.Fatal(err)
				}
				go func() {
					defer stream.Close()
					for stream.Receive() {
						r.record([]byte(bodyOf(b, stream.Msg().GetV1().GetData())))
					}
				}()
			}
		})
	})
	b.Run("websocket", func(b *testing.B) {
		benchLatency(b, func(b *testing.B, tn *testNode, groupID []byte, r *latencyRecorder) {
			sub, _ := proto.Marshal(mutate(1, false, nil, add(groupTopic(groupID), 0)))
			for range benchSubscribers {
				c, _, err := websocket.Dial(b.Context(), "ws"+tn.url[len("http"):]+"/ws", nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := c.Write(b.Context(), websocket.MessageBinary, sub); err != nil {
					b.Fatal(err)
				}
				go func() {
					defer c.CloseNow()
					for {
						_, frame, err := c.Read(b.Context())
						if err != nil {
							return
						}
						res := new(mlsv1.SubscribeResponse)
						if err := proto.Unmarshal(frame, res); err != nil {
							return
						}
						for _, m := range res.GetV1().GetMessages().GetGroupMessages() {
							r.record([]byte(bodyOf(b, m.GetV1().GetData())))
						}
					}
				}()
			}
		})
	})
}

func benchLatency(b *testing.B, subscribe func(*testing.B, *testNode, []byte, *latencyRecorder)) {
	tn := startNode(b, Config{})
	groupID := randomBytes(b, 16)
	r := &latencyRecorder{recv: make(chan struct{}, benchSubscribers)}
	stopHeap := peakHeap()
	subscribe(b, tn, groupID, r)
	tn.waitSubscribed(b, benchSubscribers)
	c := tn.grpcClients()
	body := make([]byte, 1024)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		binary.BigEndian.PutUint64(body, uint64(time.Now().UnixNano()))
		binary.BigEndian.PutUint64(body[8:], uint64(i))
		sendGroup(b, c, groupID, string(body))
		for range benchSubscribers {
			<-r.recv
		}
	}
	b.StopTimer()
	r.report(b)
	b.ReportMetric(float64(stopHeap())/(1<<20), "peak-heap-MB")
}

// BenchmarkFetchKeyPackages fetches the key packages of 400 installations in one request, as
// the creator of a 400-member group does.
func BenchmarkFetchKeyPackages(b *testing.B) {
	tn := startNode(b, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	keys := make([][]byte, 400)
	for i := range keys {
		kp, key := newKeyPackage(b, randomInboxID(b), time.Now())
		req := &mlsv1.UploadKeyPackageRequest{KeyPackage: &mlsv1.KeyPackageUpload{KeyPackageTlsSerialized: kp}}
		if _, err := c.mls.UploadKeyPackage(ctx, connect.NewRequest(req)); err != nil {
			b.Fatal(err)
		}
		keys[i] = key
	}
	for b.Loop() {
		resp, err := c.mls.FetchKeyPackages(ctx, connect.NewRequest(&mlsv1.FetchKeyPackagesRequest{InstallationKeys: keys}))
		if err != nil || len(resp.Msg.GetKeyPackages()) != len(keys) {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetIdentityUpdates fetches the logs of 50 inboxes in one request, the chunk a
// client asks for when it checks the members of a large group.
func BenchmarkGetIdentityUpdates(b *testing.B) {
	tn := startNode(b, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	req := &identityv1.GetIdentityUpdatesRequest{}
	for range 50 {
		_, inboxID := registerInbox(b, c, newWallet(b))
		req.Requests = append(req.Requests, &identityv1.GetIdentityUpdatesRequest_Request{InboxId: inboxID})
	}
	for b.Loop() {
		resp, err := c.id.GetIdentityUpdates(ctx, connect.NewRequest(req))
		if err != nil || len(resp.Msg.GetResponses()) != 50 {
			b.Fatal(err)
		}
	}
}
