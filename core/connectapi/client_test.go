package connectapi

import (
	"errors"
	"testing"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/api/apitest"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// protocols are the ways a client reaches the node; over gRPC, subscriptions ride the
// multiplexed Subscribe RPC unless server streams are asked for.
var protocols = []struct {
	name string
	cfg  Config
}{
	{"grpc", Config{Protocol: GRPC}},
	{"grpc-serverstreams", Config{Protocol: GRPC, ServerStreams: true}},
	{"grpcweb", Config{Protocol: GRPCWeb}},
	{"connect", Config{Protocol: Connect}},
}

// TestConformance runs core/api's conformance suite over each protocol against an
// in-process node.
func TestConformance(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	for _, pr := range protocols {
		t.Run(pr.name, func(t *testing.T) {
			cfg := pr.cfg
			cfg.AppVersion = "goxmtp-test/1"
			apitest.Run(t, apitest.Target{
				New:       func(baseURL string) api.API { return New(baseURL, cfg) },
				URL:       n.URL(),
				ClosedURL: "http://127.0.0.1:1",
				Restart: func() {
					n.Stop()
					n.Start()
				},
			})
		})
	}
}

// TestRateLimited checks that a read refused by the node's per-IP limit (a burst of one)
// carries a hint of when to come back.
func TestRateLimited(t *testing.T) {
	n := nodetest.Start(t, node.Config{RateLimit: node.RateLimit{ReadsPerSecond: 0.5, ReadBurst: 1}})
	c := New(n.URL(), Config{})
	var err error
	for range 3 {
		if _, err = c.QueryWelcomeMessages(t.Context(), &mlsv1.QueryWelcomeMessagesRequest{InstallationKey: apitest.NewID()}); err != nil {
			break
		}
	}
	if !errors.Is(err, api.ErrResourceExhausted) {
		t.Fatalf("got %v, want %v", err, api.ErrResourceExhausted)
	}
	if api.RetryAfter(err) <= 0 {
		t.Errorf("no retry hint in %v", err)
	}
}
