package node

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/proto/identity"
	"github.com/goxmtp/goxmtp/proto/identity/api/v1/identityv1connect"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
)

// testNode is a node serving on an ephemeral loopback port for one test.
type testNode struct {
	*Node
	url string
	dir string

	mu      sync.Mutex
	clients []*http.Client // closed before shutdown: HTTP/2 waits a second for open connections
}

// startNode runs a node in-process with cfg (DataDir defaults to a temporary directory) and
// stops it when the test ends.
func startNode(t testing.TB, cfg Config) *testNode {
	t.Helper()
	if cfg.DataDir == "" && cfg.Store == nil {
		cfg.DataDir = t.TempDir()
	}
	if cfg.RateLimit == (RateLimit{}) {
		cfg.RateLimit = RateLimit{ReadsPerSecond: -1, WritesPerSecond: -1}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Serve(context.Background(), ln) }()
	tn := &testNode{Node: n, url: "http://" + ln.Addr().String(), dir: cfg.DataDir}
	t.Cleanup(func() {
		tn.mu.Lock()
		for _, hc := range tn.clients {
			hc.CloseIdleConnections()
		}
		tn.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := n.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return tn
}

// protocols are the three ways a client can call the node, each over the transport it needs:
// gRPC over HTTP/2 cleartext, gRPC-web and Connect over HTTP/1.1.
var protocols = []struct {
	name   string
	option connect.ClientOption
	h2c    bool
}{
	{"grpc", connect.WithGRPC(), true},
	{"grpcweb", connect.WithGRPCWeb(), false},
	{"connect", connect.WithProtoJSON(), false},
}

func httpClient(h2c bool) *http.Client {
	tr := &http.Transport{Protocols: new(http.Protocols)}
	if h2c {
		tr.Protocols.SetUnencryptedHTTP2(true)
	} else {
		tr.Protocols.SetHTTP1(true)
	}
	return &http.Client{Transport: tr}
}

type clients struct {
	mls mlsv1connect.MlsApiClient
	id  identityv1connect.IdentityApiClient
}

func (tn *testNode) clientsFor(h2c bool, opts ...connect.ClientOption) clients {
	hc := httpClient(h2c)
	tn.mu.Lock()
	tn.clients = append(tn.clients, hc)
	tn.mu.Unlock()
	opts = append(opts, connect.WithReadMaxBytes(32<<20), connect.WithSendMaxBytes(32<<20))
	return clients{
		mls: mlsv1connect.NewMlsApiClient(hc, tn.url, opts...),
		id:  identityv1connect.NewIdentityApiClient(hc, tn.url, opts...),
	}
}

// grpcClients talks gRPC over h2c, as native libxmtp does.
func (tn *testNode) grpcClients() clients { return tn.clientsFor(true, connect.WithGRPC()) }

// privateMessage builds a TLS-serialized MLSMessage holding a PrivateMessage; the node reads
// only its cleartext header, so the rest is filler.
func privateMessage(groupID []byte, contentType mls.ContentType, body []byte) []byte {
	e := mls.NewEncoder(64 + len(body))
	e.U16(uint16(mls.ProtocolVersionMLS10))
	e.U16(uint16(mls.WireFormatPrivateMessage))
	e.Opaque(groupID)
	e.U64(1)
	e.U8(uint8(contentType))
	e.Opaque(nil)              // authenticated_data
	e.Opaque([]byte("sender")) // encrypted_sender_data
	e.Opaque(body)             // ciphertext
	return e.Bytes()
}

func groupInput(data []byte) *mlsv1.GroupMessageInput {
	return &mlsv1.GroupMessageInput{Version: &mlsv1.GroupMessageInput_V1_{V1: &mlsv1.GroupMessageInput_V1{
		Data: data, SenderHmac: []byte("hmac"), ShouldPush: true,
	}}}
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// sendGroup sends one message per body to groupID and fails the test on error.
func sendGroup(t testing.TB, c clients, groupID []byte, bodies ...string) {
	t.Helper()
	req := &mlsv1.SendGroupMessagesRequest{}
	for _, b := range bodies {
		req.Messages = append(req.Messages, groupInput(privateMessage(groupID, mls.ContentTypeApplication, []byte(b))))
	}
	if _, err := c.mls.SendGroupMessages(context.Background(), connect.NewRequest(req)); err != nil {
		t.Fatalf("SendGroupMessages: %v", err)
	}
}

// newKeyPackage returns a valid XMTP key package for a fresh installation of inboxID.
func newKeyPackage(t testing.TB, inboxID string, now time.Time) (kp []byte, installationKey []byte) {
	t.Helper()
	seed := randomBytes(t, ed25519.SeedSize)
	cred, err := proto.Marshal(&identity.MlsCredential{InboxId: inboxID})
	if err != nil {
		t.Fatal(err)
	}
	b, err := mls.NewKeyPackage(mls.KeyPackageOptions{
		CipherSuite: mls.CipherSuiteX25519ChaCha20, Credential: mls.NewBasicCredential(cred),
		SignaturePrivateKey: seed, LastResort: true, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.KeyPackage.Encode(), b.KeyPackage.LeafNode.SignatureKey
}

func randomInboxID(t testing.TB) string { return hex.EncodeToString(randomBytes(t, 32)) }

// waitSubscribed waits until n (subscriber, topic) pairs are registered with the broker: a
// streaming client learns it is subscribed only from headers, which connect-go's client
// reveals with the first message.
func (tn *testNode) waitSubscribed(t testing.TB, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); tn.broker.subscribers() < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscriptions registered, want %d", tn.broker.subscribers(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// wantCode fails the test unless err carries code.
func wantCode(t testing.TB, err error, code connect.Code) {
	t.Helper()
	if connect.CodeOf(err) != code {
		t.Fatalf("got %v, want code %v", err, code)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }
