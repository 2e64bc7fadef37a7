// Command xmtpnode runs a local XMTP-compatible node: MlsApi and IdentityApi over gRPC
// (HTTP/2 cleartext), gRPC-web and Connect on both ports, plus /ws and /health.
//
// Usage:
//
//	xmtpnode -data-dir ./data [-grpc-addr :5556] [-web-addr :5557]
//
// libxmtp's "local" environment expects gRPC on 5556 and gRPC-web on 5557; both ports serve
// every protocol. SIGINT or SIGTERM stops it gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/goxmtp/goxmtp/node"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "xmtpnode:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		dataDir  = flag.String("data-dir", "xmtpnode-data", "directory of the SQLite database (created if missing)")
		grpcAddr = flag.String("grpc-addr", "127.0.0.1:5556", "gRPC listen address; empty to disable")
		webAddr  = flag.String("web-addr", "127.0.0.1:5557", "gRPC-web listen address; empty to disable")
		logLevel = flag.String("log-level", "info", "debug, info, warn or error")
		logJSON  = flag.Bool("log-json", false, "log JSON lines instead of text")
		readRate = flag.Float64("read-rate", 0, "reads per second per client IP (0: default 200, negative: unlimited)")
		readBur  = flag.Int("read-burst", 0, "read burst per client IP (0: default 1000)")
		wRate    = flag.Float64("write-rate", 0, "writes per second per client IP (0: default 50, negative: unlimited)")
		wBurst   = flag.Int("write-burst", 0, "write burst per client IP (0: default 200)")
		maxMsg   = flag.Int("max-message-bytes", 0, "largest request or response (0: default 25 MiB)")
		maxBatch = flag.Int("max-batch", 0, "most entries in one batch request (0: default 1000)")
		maxTopic = flag.Int("max-filters", 0, "most topics in one subscription (0: default 10000)")
		subBuf   = flag.Int("subscriber-buffer", 0, "live messages a subscription may have queued before it is cut off as too slow (0: default 1024)")
		drain    = flag.Duration("shutdown-timeout", 15*time.Second, "how long in-flight requests may take to finish on shutdown")
	)
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	var handler slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if *logJSON {
		handler = slog.NewJSONHandler(os.Stderr, opts)
	}
	log := slog.New(handler)

	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	n, err := node.New(node.Config{
		DataDir: *dataDir,
		Logger:  log,
		RateLimit: node.RateLimit{
			ReadsPerSecond: *readRate, ReadBurst: *readBur,
			WritesPerSecond: *wRate, WriteBurst: *wBurst,
		},
		Limits:           node.Limits{MaxMessageBytes: *maxMsg, MaxBatch: *maxBatch, MaxFilters: *maxTopic},
		SubscriberBuffer: *subBuf,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g, gctx := errgroup.WithContext(ctx)
	for _, addr := range []string{*grpcAddr, *webAddr} {
		if addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			n.Shutdown(context.Background())
			return fmt.Errorf("listen %s: %w", addr, err)
		}
		g.Go(func() error { return n.Serve(context.Background(), ln) })
	}
	// Serve returns once the node is shut down; shut it down here, with the drain timeout,
	// when a signal arrives or a listener fails.
	g.Go(func() error {
		<-gctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), *drain)
		defer cancel()
		if err := n.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shutdown: %w", err)
		}
		return nil
	})
	return g.Wait()
}
