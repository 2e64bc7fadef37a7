package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/proto/identity/api/v1/identityv1connect"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
)

// Node serves MlsApi and IdentityApi over gRPC (HTTP/2 cleartext), gRPC-web and Connect, and
// the WebSocket subscription endpoint, all on every listener it is given.
type Node struct {
	cfg    Config
	log    *slog.Logger
	store  Store
	broker *broker
	srv    *http.Server

	identities *identityChecker

	// publishMu makes storing a message and publishing it one step, so live subscribers see
	// each topic's messages in id order.
	publishMu sync.Mutex

	closing   chan struct{} // closed when Shutdown starts; ends subscriptions
	closeOnce sync.Once
	sockets   sync.WaitGroup // WebSocket connections, which http.Server does not track

	subscriptions atomic.Int64 // open subscriptions (server streams and sessions)
}

// New opens the store and builds the node; Serve starts it.
func New(cfg Config) (*Node, error) {
	cfg = cfg.withDefaults()
	n := &Node{cfg: cfg, log: cfg.Logger, store: cfg.Store, closing: make(chan struct{})}
	if n.store == nil {
		if cfg.DataDir == "" {
			return nil, errors.New("node: Config needs a DataDir or a Store")
		}
		s, err := OpenSQLiteStore(context.Background(), cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("node: %w", err)
		}
		n.store = s
	}
	n.broker = newBroker(cfg.SubscriberBuffer)
	n.identities = newIdentityChecker()

	opts := []connect.HandlerOption{
		connect.WithReadMaxBytes(cfg.Limits.MaxMessageBytes),
		connect.WithSendMaxBytes(cfg.Limits.MaxMessageBytes),
		// Responses go uncompressed even to clients that accept gzip (connect-go's do):
		// what the node serves is ciphertext and keys, on which gzip only spends CPU, e.g.
		// deflating a 400-member group's commit and key packages (0.6 MB each) for its
		// creator. Compressed requests are still accepted.
		connect.WithCompressMinBytes(math.MaxInt32),
		connect.WithInterceptors(callLogger{n.log}),
	}
	mux := http.NewServeMux()
	mux.Handle(mlsv1connect.NewMlsApiHandler(&mlsService{n: n}, opts...))
	mux.Handle(identityv1connect.NewIdentityApiHandler(&identityService{n: n}, opts...))
	mux.HandleFunc("GET /health", n.health)
	mux.HandleFunc("GET /ws", n.serveWebSocket)

	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	n.srv = &http.Server{
		Handler:           cors(rateLimit(newLimiter(cfg.RateLimit, time.Now), mux)),
		Protocols:         protocols,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       5 * time.Minute,
		ErrorLog:          slog.NewLogLogger(n.log.Handler(), slog.LevelWarn),
		HTTP2: &http.HTTP2Config{
			MaxReadFrameSize: 1 << 20,
			// Ping quiet connections so a vanished client's subscriptions end.
			SendPingTimeout: time.Minute,
			PingTimeout:     20 * time.Second,
		},
	}
	return n, nil
}

// Serve accepts connections on ln until Shutdown; it may be called for several listeners
// (gRPC and gRPC-web ports). Cancelling ctx shuts the node down.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		n.Shutdown(sctx)
	})
	defer stop()
	n.log.Info("serving", "addr", ln.Addr().String())
	if err := n.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("node: serve %s: %w", ln.Addr(), err)
	}
	return nil
}

// Shutdown stops accepting connections, ends subscriptions, waits for in-flight requests (so
// writes finish) until ctx expires, then closes the store.
func (n *Node) Shutdown(ctx context.Context) error {
	var err error
	n.closeOnce.Do(func() {
		close(n.closing)
		if err = n.srv.Shutdown(ctx); err != nil {
			n.srv.Close() // out of time: cut the stragglers off
		}
		n.sockets.Wait()
		if cerr := n.store.Close(); err == nil {
			err = cerr
		}
		n.log.Info("stopped")
	})
	return err
}

// health answers load balancers and scripts: 200 when the store answers.
func (n *Node) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := n.store.Ping(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		json.NewEncoder(w).Encode(map[string]string{"status": "unavailable", "error": err.Error()})
		return
	}
	json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
}

// storeGroupMessages stores messages and publishes the new ones to live subscribers.
func (n *Node) storeGroupMessages(ctx context.Context, msgs []GroupMessage) error {
	n.publishMu.Lock()
	defer n.publishMu.Unlock()
	stored, err := n.store.InsertGroupMessages(ctx, msgs)
	if err != nil {
		return err
	}
	for i := range stored {
		n.broker.publish(event{topic: groupTopic(stored[i].GroupID), id: stored[i].ID, group: &stored[i]})
	}
	return nil
}

// storeWelcomeMessages is storeGroupMessages for welcomes.
func (n *Node) storeWelcomeMessages(ctx context.Context, msgs []WelcomeMessage) error {
	n.publishMu.Lock()
	defer n.publishMu.Unlock()
	stored, err := n.store.InsertWelcomeMessages(ctx, msgs)
	if err != nil {
		return err
	}
	for i := range stored {
		n.broker.publish(event{topic: welcomeTopic(stored[i].InstallationKey), id: stored[i].ID, welcome: &stored[i]})
	}
	return nil
}
