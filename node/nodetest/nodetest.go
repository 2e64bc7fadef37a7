// Package nodetest runs a real node in-process for other packages' tests: on an ephemeral
// loopback port, with its own data directory, restartable on the same address to test
// reconnects and persistence. It is test support; production code never imports it.
package nodetest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/node"
)

// Node is a running (or stopped, between Stop and Start) in-process node.
type Node struct {
	t    testing.TB
	cfg  node.Config
	addr string
	n    *node.Node
	done chan error
}

// Start serves a node with cfg (its DataDir and Logger are filled in when empty) until the
// test ends.
func Start(t testing.TB, cfg node.Config) *Node {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	n := &Node{t: t, cfg: cfg, addr: "127.0.0.1:0"}
	n.Start()
	t.Cleanup(n.Stop)
	return n
}

// URL is the node's base URL, serving gRPC (h2c), gRPC-web and Connect.
func (n *Node) URL() string { return "http://" + n.addr }

// OpenSubscriptions counts the subscriptions the node has open, 0 while it is stopped.
func (n *Node) OpenSubscriptions() int {
	if n.n == nil {
		return 0
	}
	return n.n.OpenSubscriptions()
}

// Start serves the node again after Stop, on the same address and data directory.
func (n *Node) Start() {
	n.t.Helper()
	srv, err := node.New(n.cfg)
	if err != nil {
		n.t.Fatalf("nodetest: new node: %v", err)
	}
	lis, err := listen(n.addr)
	if err != nil {
		n.t.Fatalf("nodetest: listen %s: %v", n.addr, err)
	}
	n.addr, n.n, n.done = lis.Addr().String(), srv, make(chan error, 1)
	go func() { n.done <- srv.Serve(context.Background(), lis) }()
}

// listen binds addr, retrying briefly: a port just released by Stop can take a moment.
func listen(addr string) (net.Listener, error) {
	var err error
	for range 50 {
		var lis net.Listener
		if lis, err = net.Listen("tcp", addr); err == nil {
			return lis, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, err
}

// Stop shuts the node down gracefully; calling it on a stopped node does nothing.
func (n *Node) Stop() {
	if n.n == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := n.n.Shutdown(ctx); err != nil {
		n.t.Errorf("nodetest: shutdown: %v", err)
	}
	<-n.done
	n.n = nil
}
