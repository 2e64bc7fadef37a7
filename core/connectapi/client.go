package connectapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/api/v1/identityv1connect"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
)

// Protocol selects the wire protocol spoken to the node.
type Protocol int

const (
	// GRPC is gRPC over HTTP/2, what native libxmtp speaks; the default.
	GRPC Protocol = iota
	// GRPCWeb is gRPC-web over HTTP/1.1, what browsers speak.
	GRPCWeb
	// Connect is the Connect protocol (binary protobuf) over HTTP/1.1.
	Connect
)

// maxMessageBytes is libxmtp's GRPC_PAYLOAD_LIMIT (xmtp-protocol.md §1.1).
const maxMessageBytes = 25 << 20

// Config configures a Client. The zero value speaks gRPC with no app version.
type Config struct {
	Protocol Protocol
	// AppVersion is sent as x-app-version, as libxmtp sends its app's version.
	AppVersion string
	// HTTPClient replaces the HTTP client built for the protocol (h2c for gRPC over
	// http://, HTTP/1.1 otherwise).
	HTTPClient *http.Client
	// ServerStreams keeps subscriptions on the SubscribeGroupMessages and
	// SubscribeWelcomeMessages server streams. Otherwise, over gRPC, they ride the node's
	// bidirectional Subscribe RPC (XIP-83), which takes new topics without reconnecting; a
	// node that answers Unimplemented is remembered and gets server streams, as libxmtp
	// falls back.
	ServerStreams bool
}

// Client calls an XMTP node. It implements api.API and is safe for concurrent use.
type Client struct {
	mls   mlsv1connect.MlsApiClient
	id    identityv1connect.IdentityApiClient
	mux   bool        // subscriptions try the Subscribe RPC first
	noMux atomic.Bool // the node does not serve Subscribe
}

var _ api.API = (*Client)(nil)

// New returns a client of the node at baseURL (e.g. http://127.0.0.1:5556); a trailing slash
// is dropped, as libxmtp does.
func New(baseURL string, cfg Config) *Client {
	baseURL = strings.TrimRight(baseURL, "/")
	hc := cfg.HTTPClient
	if hc == nil {
		hc = httpClient(cfg.Protocol == GRPC && strings.HasPrefix(baseURL, "http://"))
	}
	opts := []connect.ClientOption{
		connect.WithReadMaxBytes(maxMessageBytes),
		connect.WithSendMaxBytes(maxMessageBytes),
		connect.WithInterceptors(headers{appVersion: cfg.AppVersion}),
	}
	switch cfg.Protocol {
	case GRPC:
		opts = append(opts, connect.WithGRPC())
	case GRPCWeb:
		opts = append(opts, connect.WithGRPCWeb())
	}
	return &Client{
		mls: mlsv1connect.NewMlsApiClient(hc, baseURL, opts...),
		id:  identityv1connect.NewIdentityApiClient(hc, baseURL, opts...),
		// Bidirectional streams need HTTP/2 end to end: only the gRPC protocol has it.
		mux: cfg.Protocol == GRPC && !cfg.ServerStreams,
	}
}

// httpClient speaks HTTP/2 without TLS when h2c is set (gRPC needs HTTP/2 and a local node
// has no certificate), and the default protocols otherwise.
func httpClient(h2c bool) *http.Client {
	if !h2c {
		return &http.Client{}
	}
	tr := &http.Transport{Protocols: new(http.Protocols)}
	tr.Protocols.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: tr}
}

// unary runs one call and converts its error; res is nil on failure.
func unary[Req, Res any](ctx context.Context, call func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error), name string, req *Req) (*Res, error) {
	res, err := call(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, convert(name, err)
	}
	return res.Msg, nil
}

// errOnly is the outcome of a call whose response carries nothing: its error.
func errOnly[Res any](_ *Res, err error) error { return err }

func (c *Client) SendGroupMessages(ctx context.Context, req *mlsv1.SendGroupMessagesRequest) error {
	return errOnly(unary(ctx, c.mls.SendGroupMessages, "SendGroupMessages", req))
}

func (c *Client) SendWelcomeMessages(ctx context.Context, req *mlsv1.SendWelcomeMessagesRequest) error {
	return errOnly(unary(ctx, c.mls.SendWelcomeMessages, "SendWelcomeMessages", req))
}

func (c *Client) UploadKeyPackage(ctx context.Context, req *mlsv1.UploadKeyPackageRequest) error {
	return errOnly(unary(ctx, c.mls.UploadKeyPackage, "UploadKeyPackage", req))
}

func (c *Client) FetchKeyPackages(ctx context.Context, req *mlsv1.FetchKeyPackagesRequest) (*mlsv1.FetchKeyPackagesResponse, error) {
	return unary(ctx, c.mls.FetchKeyPackages, "FetchKeyPackages", req)
}

func (c *Client) QueryGroupMessages(ctx context.Context, req *mlsv1.QueryGroupMessagesRequest) (*mlsv1.QueryGroupMessagesResponse, error) {
	return unary(ctx, c.mls.QueryGroupMessages, "QueryGroupMessages", req)
}

func (c *Client) QueryWelcomeMessages(ctx context.Context, req *mlsv1.QueryWelcomeMessagesRequest) (*mlsv1.QueryWelcomeMessagesResponse, error) {
	return unary(ctx, c.mls.QueryWelcomeMessages, "QueryWelcomeMessages", req)
}

func (c *Client) BatchPublishCommitLog(ctx context.Context, req *mlsv1.BatchPublishCommitLogRequest) error {
	return errOnly(unary(ctx, c.mls.BatchPublishCommitLog, "BatchPublishCommitLog", req))
}

func (c *Client) BatchQueryCommitLog(ctx context.Context, req *mlsv1.BatchQueryCommitLogRequest) (*mlsv1.BatchQueryCommitLogResponse, error) {
	return unary(ctx, c.mls.BatchQueryCommitLog, "BatchQueryCommitLog", req)
}

func (c *Client) GetNewestGroupMessage(ctx context.Context, req *mlsv1.GetNewestGroupMessageRequest) (*mlsv1.GetNewestGroupMessageResponse, error) {
	return unary(ctx, c.mls.GetNewestGroupMessage, "GetNewestGroupMessage", req)
}

func (c *Client) SubscribeGroupMessages(ctx context.Context, req *mlsv1.SubscribeGroupMessagesRequest) (api.Stream[*mlsv1.GroupMessage], error) {
	return subscribeTopics(ctx, c, api.TopicGroupMessages, api.GroupFilters(req), (*mlsv1.SubscribeResponse_V1_Messages).GetGroupMessages,
		c.mls.SubscribeGroupMessages, "SubscribeGroupMessages", req)
}

func (c *Client) SubscribeWelcomeMessages(ctx context.Context, req *mlsv1.SubscribeWelcomeMessagesRequest) (api.Stream[*mlsv1.WelcomeMessage], error) {
	return subscribeTopics(ctx, c, api.TopicWelcomeMessages, api.WelcomeFilters(req), (*mlsv1.SubscribeResponse_V1_Messages).GetWelcomeMessages,
		c.mls.SubscribeWelcomeMessages, "SubscribeWelcomeMessages", req)
}

// subscribeTopics rides the Subscribe RPC when the client multiplexes, and opens the
// server stream req names otherwise, or once the node turned out not to serve Subscribe.
func subscribeTopics[Req, Res any](ctx context.Context, c *Client, kind byte, filters []api.Filter, pick func(*mlsv1.SubscribeResponse_V1_Messages) []*Res,
	open func(context.Context, *connect.Request[Req]) (*connect.ServerStreamForClient[Res], error), call string, req *Req) (api.Stream[*Res], error) {
	if c.multiplexed() {
		st, err := subscribeMux(ctx, c, kind, filters, pick)
		if !c.unimplemented(err) {
			return st, err
		}
	}
	return subscribe(ctx, open, call, req)
}

func (c *Client) multiplexed() bool { return c.mux && !c.noMux.Load() }

// unimplemented reports whether err says the node lacks the Subscribe RPC, and remembers it.
func (c *Client) unimplemented(err error) bool {
	if errors.Is(err, api.ErrUnimplemented) {
		c.noMux.Store(true)
		return true
	}
	return false
}

func (c *Client) PublishIdentityUpdate(ctx context.Context, req *identityv1.PublishIdentityUpdateRequest) error {
	return errOnly(unary(ctx, c.id.PublishIdentityUpdate, "PublishIdentityUpdate", req))
}

func (c *Client) GetIdentityUpdates(ctx context.Context, req *identityv1.GetIdentityUpdatesRequest) (*identityv1.GetIdentityUpdatesResponse, error) {
	return unary(ctx, c.id.GetIdentityUpdates, "GetIdentityUpdates", req)
}

func (c *Client) GetInboxIds(ctx context.Context, req *identityv1.GetInboxIdsRequest) (*identityv1.GetInboxIdsResponse, error) {
	return unary(ctx, c.id.GetInboxIds, "GetInboxIds", req)
}

func (c *Client) VerifySmartContractWalletSignatures(ctx context.Context, req *identityv1.VerifySmartContractWalletSignaturesRequest) (*identityv1.VerifySmartContractWalletSignaturesResponse, error) {
	return unary(ctx, c.id.VerifySmartContractWalletSignatures, "VerifySmartContractWalletSignatures", req)
}
