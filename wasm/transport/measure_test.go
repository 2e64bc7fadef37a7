//go:build js && wasm

package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/api/apitest"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Measurements of the two stream transports, driven by js/test/gotest-streams.test.mjs. Each
// prints one "MEASURE {json}" line for the driver to collect; without the driver's
// environment they skip.

func measureTransport(t *testing.T) (string, Streams) {
	switch name := os.Getenv("XMTP_MEASURE_STREAMS"); name {
	case "grpcweb":
		return name, GRPCWebStreams
	case "websocket":
		return name, WebSocketStreams
	default:
		t.Skip("XMTP_MEASURE_STREAMS not set: run through js/test/gotest-streams.test.mjs")
		return "", 0
	}
}

func report(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Printf("MEASURE %s\n", b)
}

func percentile(sorted []time.Duration, p float64) float64 {
	return float64(sorted[int(p*float64(len(sorted)-1))].Microseconds()) / 1000
}

// TestMeasureLatency times send-to-receive through the node: a message sent with
// SendGroupMessages until the same client's subscription delivers it, one at a time.
func TestMeasureLatency(t *testing.T) {
	name, streams := measureTransport(t)
	c := New(nodeURL(t), Config{Streams: streams})
	g := apitest.NewID()
	st := apitest.SubscribeGroup(t, c, g)
	apitest.Send(t, c, g, "warm-up")
	if _, err := st.Recv(); err != nil {
		t.Fatal(err)
	}
	const n = 100
	var total, delivery []time.Duration
	for i := range n {
		start := time.Now()
		apitest.Send(t, c, g, strconv.Itoa(i))
		sent := time.Now()
		if _, err := st.Recv(); err != nil {
			t.Fatal(err)
		}
		total = append(total, time.Since(start))
		delivery = append(delivery, time.Since(sent))
	}
	slices.Sort(total)
	slices.Sort(delivery)
	report(map[string]any{"measure": "latency", "streams": name, "messages": n,
		"send_to_receive_p50_ms": percentile(total, 0.5), "send_to_receive_p95_ms": percentile(total, 0.95),
		"after_send_returned_p50_ms": percentile(delivery, 0.5), "after_send_returned_p95_ms": percentile(delivery, 0.95)})
}

// TestHoldStreams is one tab of an app: it opens a group and a welcome subscription, reports
// how many opened within two seconds, and keeps them for XMTP_HOLD_MS.
func TestHoldStreams(t *testing.T) {
	name, streams := measureTransport(t)
	hold, err := strconv.Atoi(os.Getenv("XMTP_HOLD_MS"))
	if err != nil {
		t.Skip("XMTP_HOLD_MS not set")
	}
	c := New(nodeURL(t), Config{Streams: streams})
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(hold)*time.Millisecond)
	defer cancel()
	var opened atomic.Int32
	for _, open := range []func() error{
		func() error {
			_, err := c.SubscribeGroupMessages(ctx, &mlsv1.SubscribeGroupMessagesRequest{Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: apitest.NewID()}}})
			return err
		},
		func() error {
			_, err := c.SubscribeWelcomeMessages(ctx, &mlsv1.SubscribeWelcomeMessagesRequest{Filters: []*mlsv1.SubscribeWelcomeMessagesRequest_Filter{{InstallationKey: apitest.NewID()}}})
			return err
		},
	} {
		go func() {
			if open() == nil {
				opened.Add(1)
			}
		}()
	}
	time.Sleep(2 * time.Second)
	report(map[string]any{"measure": "hold", "streams": name, "opened": opened.Load()})
	<-ctx.Done()
}

// TestMeasureUnaryUnderLoad makes unary calls, each with a 2 s deadline, while other tabs
// of the same browser profile hold their streams, and reports how many completed.
func TestMeasureUnaryUnderLoad(t *testing.T) {
	name, _ := measureTransport(t)
	c := New(nodeURL(t), Config{})
	const n = 3
	var done int
	var took []time.Duration
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		start := time.Now()
		_, err := c.GetInboxIds(ctx, &identityv1.GetInboxIdsRequest{Requests: []*identityv1.GetInboxIdsRequest_Request{{Identifier: "0x0000000000000000000000000000000000000002"}}})
		cancel()
		if err == nil {
			done++
			took = append(took, time.Since(start))
		}
	}
	res := map[string]any{"measure": "unary_under_load", "streams": name, "calls": n, "completed": done}
	if len(took) > 0 {
		slices.Sort(took)
		res["p50_ms"] = percentile(took, 0.5)
	}
	report(res)
}
