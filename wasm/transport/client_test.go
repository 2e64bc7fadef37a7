//go:build js && wasm

package transport

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/api/apitest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// These tests run in headless Chromium against a real node process started by
// js/test/gotest-transport.test.mjs, which passes its URL as XMTP_NODE_URL and a loopback
// URL where nothing listens as XMTP_CLOSED_URL.

func nodeURL(t *testing.T) string {
	u := os.Getenv("XMTP_NODE_URL")
	if u == "" {
		t.Skip("XMTP_NODE_URL not set: run through js/test/gotest-transport.test.mjs")
	}
	return u
}

var streamTransports = []struct {
	name    string
	streams Streams
}{{"grpcweb", GRPCWebStreams}, {"websocket", WebSocketStreams}}

// TestConformance runs core/api's conformance suite over each stream transport. The driver
// restarts the node when the suite prints RESTART_NODE, if it says it can
// (XMTP_RESTARTABLE).
func TestConformance(t *testing.T) {
	url := nodeURL(t)
	var restart func()
	if os.Getenv("XMTP_RESTARTABLE") != "" {
		restart = func() { fmt.Println("RESTART_NODE") }
	}
	for _, tr := range streamTransports {
		t.Run(tr.name, func(t *testing.T) {
			apitest.Run(t, apitest.Target{
				New: func(baseURL string) api.API {
					return New(baseURL, Config{AppVersion: "goxmtp-test/1", Streams: tr.streams})
				},
				URL:       url,
				ClosedURL: os.Getenv("XMTP_CLOSED_URL"),
				Restart:   restart,
			})
		})
	}
}

// TestWebSocketKeepAlive checks that a quiet WebSocket subscription stays up through its
// pings, and that one whose node froze (SIGSTOP: the TCP connection stays open, nothing
// answers) fails with ErrUnavailable within two keep-alive intervals instead of hanging.
func TestWebSocketKeepAlive(t *testing.T) {
	if os.Getenv("XMTP_RESTARTABLE") == "" {
		t.Skip("XMTP_RESTARTABLE not set: the driver cannot pause the node")
	}
	const keepAlive = 200 * time.Millisecond
	c := New(nodeURL(t), Config{Streams: WebSocketStreams, KeepAlive: keepAlive})
	g := apitest.NewID()
	st := apitest.SubscribeGroup(t, c, g)
	got := make(chan error, 1)
	go func() {
		_, err := st.Recv()
		got <- err
	}()
	time.Sleep(5 * keepAlive)
	apitest.Send(t, c, g, "after a quiet second")
	if err := <-got; err != nil {
		t.Fatalf("quiet stream: %v", err)
	}

	fmt.Println("PAUSE_NODE")
	defer fmt.Println("RESUME_NODE")
	start := time.Now()
	if _, err := st.Recv(); !errors.Is(err, api.ErrUnavailable) {
		t.Fatalf("got %v, want %v", err, api.ErrUnavailable)
	}
	if took := time.Since(start); took > 10*keepAlive {
		t.Errorf("frozen node noticed after %v", took)
	}
}

func TestGRPCTimeout(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1m", 1500 * time.Microsecond: "2m", 2 * time.Second: "2000m",
		30 * time.Hour: "108000S", 100000 * time.Hour: "99999999S",
	} {
		if got := grpcTimeout(d); got != want {
			t.Errorf("grpcTimeout(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestWebSocketFallsBackToGRPCWeb streams through a gRPC-web-only proxy in front of the node
// (XMTP_GRPCWEB_ONLY_URL; WebSocket handshakes get a 404 there, as behind XMTP's envoy): the
// default WebSocket transport falls back to gRPC-web and remembers it.
func TestWebSocketFallsBackToGRPCWeb(t *testing.T) {
	u := os.Getenv("XMTP_GRPCWEB_ONLY_URL")
	if u == "" {
		t.Skip("XMTP_GRPCWEB_ONLY_URL not set")
	}
	c := New(u, Config{})
	g := apitest.NewID()
	apitest.Send(t, c, g, "through the proxy")
	for range 2 {
		st := apitest.SubscribeGroup(t, c, g)
		if _, err := st.Recv(); err != nil {
			t.Fatal(err)
		}
		if _, ok := st.(*grpcWebStream[*mlsv1.GroupMessage]); !ok {
			t.Fatalf("stream is a %T, want a gRPC-web stream", st)
		}
		st.Close()
	}
	if !c.noWebSocket.Load() {
		t.Error("the missing WebSocket endpoint was not remembered")
	}
}
