//go:build js && wasm

package transport

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/goxmtp/goxmtp/core/api"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// Streams selects how subscriptions travel.
type Streams int

const (
	// WebSocketStreams runs each subscription on the node's /ws endpoint (XIP-83 frames
	// over a WebSocket), which does not count against the browser's six HTTP/1.1
	// connections per origin. The default: measured in Chromium
	// (js/test/gotest-transport.test.mjs), four tabs of one profile holding a group and a
	// welcome stream each left unary calls working, and latency matched gRPC-web's. A node
	// without the endpoint is streamed from over gRPC-web instead.
	WebSocketStreams Streams = iota
	// GRPCWebStreams runs each subscription as a gRPC-web server stream over fetch, as
	// libxmtp does. Each open stream holds one HTTP/1.1 connection to the node: in the same
	// measurement only six of the eight streams opened and every unary call stalled.
	GRPCWebStreams
)

// Config configures a Client.
type Config struct {
	// AppVersion is sent as x-app-version on every call.
	AppVersion string
	// Streams picks the subscription transport; the zero value is WebSocketStreams.
	Streams Streams
	// KeepAlive is how long a WebSocket subscription may stay silent before it pings the
	// node; unanswered for as long again, the stream fails with ErrUnavailable (and a
	// Subscription reconnects). Zero follows the interval the node announces (30 s).
	KeepAlive time.Duration
}

// Client calls an XMTP node from the browser. It implements api.API and is safe for
// concurrent use.
type Client struct {
	base        string
	cfg         Config
	noWebSocket atomic.Bool // the node has no WebSocket endpoint: stream over gRPC-web
}

var _ api.API = (*Client)(nil)

// New returns a client of the node at baseURL (http:// or https://); a trailing slash is
// dropped, as libxmtp does.
func New(baseURL string, cfg Config) *Client {
	return &Client{base: strings.TrimRight(baseURL, "/"), cfg: cfg}
}

const (
	mlsService      = "/xmtp.mls.api.v1.MlsApi/"
	identityService = "/xmtp.identity.api.v1.IdentityApi/"
)

// call runs a unary call and returns its decoded response.
func call[Res any, PRes interface {
	*Res
	proto.Message
}](ctx context.Context, c *Client, method string, req proto.Message) (PRes, error) {
	res := PRes(new(Res))
	if err := c.unary(ctx, method, req, res); err != nil {
		return nil, err
	}
	return res, nil
}

// errOnly is the outcome of a call whose response carries nothing: its error.
func errOnly[Res any](_ *Res, err error) error { return err }

func (c *Client) SendGroupMessages(ctx context.Context, req *mlsv1.SendGroupMessagesRequest) error {
	return errOnly(call[emptypb.Empty](ctx, c, mlsService+"SendGroupMessages", req))
}

func (c *Client) SendWelcomeMessages(ctx context.Context, req *mlsv1.SendWelcomeMessagesRequest) error {
	return errOnly(call[emptypb.Empty](ctx, c, mlsService+"SendWelcomeMessages", req))
}

func (c *Client) UploadKeyPackage(ctx context.Context, req *mlsv1.UploadKeyPackageRequest) error {
	return errOnly(call[emptypb.Empty](ctx, c, mlsService+"UploadKeyPackage", req))
}

func (c *Client) FetchKeyPackages(ctx context.Context, req *mlsv1.FetchKeyPackagesRequest) (*mlsv1.FetchKeyPackagesResponse, error) {
	return call[mlsv1.FetchKeyPackagesResponse](ctx, c, mlsService+"FetchKeyPackages", req)
}

func (c *Client) QueryGroupMessages(ctx context.Context, req *mlsv1.QueryGroupMessagesRequest) (*mlsv1.QueryGroupMessagesResponse, error) {
	return call[mlsv1.QueryGroupMessagesResponse](ctx, c, mlsService+"QueryGroupMessages", req)
}

func (c *Client) QueryWelcomeMessages(ctx context.Context, req *mlsv1.QueryWelcomeMessagesRequest) (*mlsv1.QueryWelcomeMessagesResponse, error) {
	return call[mlsv1.QueryWelcomeMessagesResponse](ctx, c, mlsService+"QueryWelcomeMessages", req)
}

func (c *Client) BatchPublishCommitLog(ctx context.Context, req *mlsv1.BatchPublishCommitLogRequest) error {
	return errOnly(call[emptypb.Empty](ctx, c, mlsService+"BatchPublishCommitLog", req))
}

func (c *Client) BatchQueryCommitLog(ctx context.Context, req *mlsv1.BatchQueryCommitLogRequest) (*mlsv1.BatchQueryCommitLogResponse, error) {
	return call[mlsv1.BatchQueryCommitLogResponse](ctx, c, mlsService+"BatchQueryCommitLog", req)
}

func (c *Client) GetNewestGroupMessage(ctx context.Context, req *mlsv1.GetNewestGroupMessageRequest) (*mlsv1.GetNewestGroupMessageResponse, error) {
	return call[mlsv1.GetNewestGroupMessageResponse](ctx, c, mlsService+"GetNewestGroupMessage", req)
}

func (c *Client) PublishIdentityUpdate(ctx context.Context, req *identityv1.PublishIdentityUpdateRequest) error {
	return errOnly(call[identityv1.PublishIdentityUpdateResponse](ctx, c, identityService+"PublishIdentityUpdate", req))
}

func (c *Client) GetIdentityUpdates(ctx context.Context, req *identityv1.GetIdentityUpdatesRequest) (*identityv1.GetIdentityUpdatesResponse, error) {
	return call[identityv1.GetIdentityUpdatesResponse](ctx, c, identityService+"GetIdentityUpdates", req)
}

func (c *Client) GetInboxIds(ctx context.Context, req *identityv1.GetInboxIdsRequest) (*identityv1.GetInboxIdsResponse, error) {
	return call[identityv1.GetInboxIdsResponse](ctx, c, identityService+"GetInboxIds", req)
}

func (c *Client) VerifySmartContractWalletSignatures(ctx context.Context, req *identityv1.VerifySmartContractWalletSignaturesRequest) (*identityv1.VerifySmartContractWalletSignaturesResponse, error) {
	return call[identityv1.VerifySmartContractWalletSignaturesResponse](ctx, c, identityService+"VerifySmartContractWalletSignatures", req)
}

// SubscribeGroupMessages streams the filters' group messages over the configured transport.
func (c *Client) SubscribeGroupMessages(ctx context.Context, req *mlsv1.SubscribeGroupMessagesRequest) (api.Stream[*mlsv1.GroupMessage], error) {
	return subscribe(ctx, c, api.TopicGroupMessages, api.GroupFilters(req), (*mlsv1.SubscribeResponse_V1_Messages).GetGroupMessages,
		mlsService+"SubscribeGroupMessages", req, func() *mlsv1.GroupMessage { return new(mlsv1.GroupMessage) })
}

// SubscribeWelcomeMessages streams the filters' welcomes over the configured transport.
func (c *Client) SubscribeWelcomeMessages(ctx context.Context, req *mlsv1.SubscribeWelcomeMessagesRequest) (api.Stream[*mlsv1.WelcomeMessage], error) {
	return subscribe(ctx, c, api.TopicWelcomeMessages, api.WelcomeFilters(req), (*mlsv1.SubscribeResponse_V1_Messages).GetWelcomeMessages,
		mlsService+"SubscribeWelcomeMessages", req, func() *mlsv1.WelcomeMessage { return new(mlsv1.WelcomeMessage) })
}

// subscribe opens a stream on the node's WebSocket when so configured, and as a gRPC-web
// stream otherwise. A node whose WebSocket cannot be opened while its gRPC-web stream can
// (XMTP's hosted networks sit behind a gRPC-web proxy with no /ws) is remembered, and the
// client's later streams go straight to gRPC-web. A node that is down fails both and is
// tried on WebSocket again next time.
func subscribe[T proto.Message](ctx context.Context, c *Client, kind byte, filters []api.Filter, pick func(*mlsv1.SubscribeResponse_V1_Messages) []T, method string, req proto.Message, newMsg func() T) (api.Stream[T], error) {
	if c.cfg.Streams != WebSocketStreams || c.noWebSocket.Load() {
		return subscribeGRPCWeb(ctx, c, method, req, newMsg)
	}
	st, err := subscribeWebSocket(ctx, c, kind, filters, pick)
	if !errors.Is(err, errNoWebSocket) {
		return st, err
	}
	st, err = subscribeGRPCWeb(ctx, c, method, req, newMsg)
	if err == nil {
		c.noWebSocket.Store(true)
	}
	return st, err
}

// subscribeGRPCWeb opens a gRPC-web server stream.
func subscribeGRPCWeb[T proto.Message](ctx context.Context, c *Client, method string, req proto.Message, newMsg func() T) (api.Stream[T], error) {
	call, err := c.startGRPCWeb(ctx, method, req)
	if err != nil {
		return nil, err
	}
	return &grpcWebStream[T]{call: call, newMsg: newMsg}, nil
}
