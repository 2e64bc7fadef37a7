package api

import (
	"context"

	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// API is everything the client core asks of an XMTP V3 node. Implementations return errors
// that wrap this package's sentinels (see Status), so callers branch with errors.Is whatever
// the transport.
type API interface {
	MLS
	Identity
}

// MLS holds the xmtp.mls.api.v1.MlsApi calls libxmtp 1.10/1.11 makes. RPCs whose response
// is google.protobuf.Empty return only an error. The deprecated RegisterInstallation, the
// unimplemented RevokeInstallation and legacy GetIdentityUpdates, and the gRPC-only bidi
// Subscribe are left out: no client path uses them.
type MLS interface {
	SendGroupMessages(ctx context.Context, req *mlsv1.SendGroupMessagesRequest) error
	SendWelcomeMessages(ctx context.Context, req *mlsv1.SendWelcomeMessagesRequest) error
	UploadKeyPackage(ctx context.Context, req *mlsv1.UploadKeyPackageRequest) error
	FetchKeyPackages(ctx context.Context, req *mlsv1.FetchKeyPackagesRequest) (*mlsv1.FetchKeyPackagesResponse, error)
	QueryGroupMessages(ctx context.Context, req *mlsv1.QueryGroupMessagesRequest) (*mlsv1.QueryGroupMessagesResponse, error)
	QueryWelcomeMessages(ctx context.Context, req *mlsv1.QueryWelcomeMessagesRequest) (*mlsv1.QueryWelcomeMessagesResponse, error)
	BatchPublishCommitLog(ctx context.Context, req *mlsv1.BatchPublishCommitLogRequest) error
	BatchQueryCommitLog(ctx context.Context, req *mlsv1.BatchQueryCommitLogRequest) (*mlsv1.BatchQueryCommitLogResponse, error)
	GetNewestGroupMessage(ctx context.Context, req *mlsv1.GetNewestGroupMessageRequest) (*mlsv1.GetNewestGroupMessageResponse, error)

	// SubscribeGroupMessages and SubscribeWelcomeMessages open a server stream: each
	// filter's history after its cursor, then live messages. The stream lives until ctx is
	// done, Close is called, or the node ends it.
	SubscribeGroupMessages(ctx context.Context, req *mlsv1.SubscribeGroupMessagesRequest) (Stream[*mlsv1.GroupMessage], error)
	SubscribeWelcomeMessages(ctx context.Context, req *mlsv1.SubscribeWelcomeMessagesRequest) (Stream[*mlsv1.WelcomeMessage], error)
}

// Identity holds the xmtp.identity.api.v1.IdentityApi calls.
type Identity interface {
	PublishIdentityUpdate(ctx context.Context, req *identityv1.PublishIdentityUpdateRequest) error
	GetIdentityUpdates(ctx context.Context, req *identityv1.GetIdentityUpdatesRequest) (*identityv1.GetIdentityUpdatesResponse, error)
	GetInboxIds(ctx context.Context, req *identityv1.GetInboxIdsRequest) (*identityv1.GetInboxIdsResponse, error)
	VerifySmartContractWalletSignatures(ctx context.Context, req *identityv1.VerifySmartContractWalletSignaturesRequest) (*identityv1.VerifySmartContractWalletSignaturesResponse, error)
}
