package node

import (
	"context"
	"errors"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// mlsService implements xmtp.mls.api.v1.MlsApi with xmtp-node-go's semantics.
type mlsService struct {
	mlsv1connect.UnimplementedMlsApiHandler // RevokeInstallation, GetIdentityUpdates: XMTP's node does not serve them either
	n                                       *Node
}

func invalid(format string, args ...any) error {
	return connect.NewError(connect.CodeInvalidArgument, fmt.Errorf(format, args...))
}

func internal(err error) error { return connect.NewError(connect.CodeInternal, err) }

// checkBatch rejects a request with more than max entries.
func checkBatch(what string, n, max int) error {
	if n > max {
		return connect.NewError(connect.CodeResourceExhausted, fmt.Errorf("%d %s in one request, at most %d allowed", n, what, max))
	}
	return nil
}

func (s *mlsService) SendGroupMessages(ctx context.Context, req *connect.Request[mlsv1.SendGroupMessagesRequest]) (*connect.Response[emptypb.Empty], error) {
	in := req.Msg.GetMessages()
	if err := checkBatch("messages", len(in), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	msgs := make([]GroupMessage, len(in))
	for i, m := range in {
		v1 := m.GetV1()
		if v1 == nil {
			return nil, invalid("message %d: no V1 payload", i)
		}
		h, err := parseGroupMessage(v1.GetData())
		if err != nil {
			return nil, invalid("message %d: %v", i, err)
		}
		msgs[i] = GroupMessage{GroupID: h.groupID, Data: v1.GetData(), SenderHmac: v1.GetSenderHmac(),
			ShouldPush: v1.GetShouldPush(), IsCommit: h.isCommit}
	}
	if err := s.n.storeGroupMessages(ctx, msgs); err != nil {
		return nil, internal(err)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (s *mlsService) SendWelcomeMessages(ctx context.Context, req *connect.Request[mlsv1.SendWelcomeMessagesRequest]) (*connect.Response[emptypb.Empty], error) {
	in := req.Msg.GetMessages()
	if err := checkBatch("welcomes", len(in), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	msgs := make([]WelcomeMessage, len(in))
	for i, m := range in {
		w, err := welcomeOf(m)
		if err != nil {
			return nil, invalid("welcome %d: %v", i, err)
		}
		msgs[i] = w
	}
	if err := s.n.storeWelcomeMessages(ctx, msgs); err != nil {
		return nil, internal(err)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

// welcomeOf checks a welcome as XMTP's node does: a V1 welcome needs data, an installation
// key and (unless symmetric-key wrapped) an HPKE key; a pointer needs all three and X-Wing.
func welcomeOf(m *mlsv1.WelcomeMessageInput) (WelcomeMessage, error) {
	if v1 := m.GetV1(); v1 != nil {
		switch {
		case len(v1.GetData()) == 0:
			return WelcomeMessage{}, errors.New("empty data")
		case len(v1.GetInstallationKey()) == 0:
			return WelcomeMessage{}, errors.New("empty installation key")
		case len(v1.GetHpkePublicKey()) == 0 && v1.GetWrapperAlgorithm() != mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_SYMMETRIC_KEY:
			return WelcomeMessage{}, errors.New("empty HPKE public key")
		}
		return WelcomeMessage{InstallationKey: v1.GetInstallationKey(), Data: v1.GetData(), HpkePublicKey: v1.GetHpkePublicKey(),
			WrapperAlgorithm: int32(v1.GetWrapperAlgorithm()), WelcomeMetadata: v1.GetWelcomeMetadata()}, nil
	}
	if p := m.GetWelcomePointer(); p != nil {
		switch {
		case len(p.GetWelcomePointer()) == 0:
			return WelcomeMessage{}, errors.New("empty welcome pointer")
		case len(p.GetInstallationKey()) == 0:
			return WelcomeMessage{}, errors.New("empty installation key")
		case len(p.GetHpkePublicKey()) == 0:
			return WelcomeMessage{}, errors.New("empty HPKE public key")
		case p.GetWrapperAlgorithm() != mlscontents.WelcomePointerWrapperAlgorithm_WELCOME_POINTER_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6:
			return WelcomeMessage{}, fmt.Errorf("welcome pointer wrapper algorithm %v, want X-Wing", p.GetWrapperAlgorithm())
		}
		return WelcomeMessage{InstallationKey: p.GetInstallationKey(), Data: p.GetWelcomePointer(), HpkePublicKey: p.GetHpkePublicKey(),
			WrapperAlgorithm: int32(p.GetWrapperAlgorithm()), IsPointer: true}, nil
	}
	return WelcomeMessage{}, errors.New("no V1 or welcome pointer payload")
}

// uploadKeyPackage validates a key package and stores it as its installation's latest.
func (s *mlsService) uploadKeyPackage(ctx context.Context, kp *mlsv1.KeyPackageUpload) ([]byte, error) {
	data := kp.GetKeyPackageTlsSerialized()
	installationKey, err := validateKeyPackage(data, time.Now())
	if err != nil {
		return nil, invalid("key package: %v", err)
	}
	if err := s.n.store.PutKeyPackage(ctx, installationKey, data); err != nil {
		return nil, internal(err)
	}
	return installationKey, nil
}

func (s *mlsService) RegisterInstallation(ctx context.Context, req *connect.Request[mlsv1.RegisterInstallationRequest]) (*connect.Response[mlsv1.RegisterInstallationResponse], error) {
	key, err := s.uploadKeyPackage(ctx, req.Msg.GetKeyPackage())
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&mlsv1.RegisterInstallationResponse{InstallationKey: key}), nil
}

func (s *mlsService) UploadKeyPackage(ctx context.Context, req *connect.Request[mlsv1.UploadKeyPackageRequest]) (*connect.Response[emptypb.Empty], error) {
	if _, err := s.uploadKeyPackage(ctx, req.Msg.GetKeyPackage()); err != nil {
		return nil, err
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (s *mlsService) FetchKeyPackages(ctx context.Context, req *connect.Request[mlsv1.FetchKeyPackagesRequest]) (*connect.Response[mlsv1.FetchKeyPackagesResponse], error) {
	keys := req.Msg.GetInstallationKeys()
	if err := checkBatch("installation keys", len(keys), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	kps, err := s.n.store.KeyPackages(ctx, keys)
	if err != nil {
		return nil, internal(err)
	}
	res := &mlsv1.FetchKeyPackagesResponse{KeyPackages: make([]*mlsv1.FetchKeyPackagesResponse_KeyPackage, len(kps))}
	for i, kp := range kps {
		res.KeyPackages[i] = &mlsv1.FetchKeyPackagesResponse_KeyPackage{KeyPackageTlsSerialized: kp}
	}
	return connect.NewResponse(res), nil
}

func (s *mlsService) QueryGroupMessages(ctx context.Context, req *connect.Request[mlsv1.QueryGroupMessagesRequest]) (*connect.Response[mlsv1.QueryGroupMessagesResponse], error) {
	if len(req.Msg.GetGroupId()) == 0 {
		return nil, invalid("empty group id")
	}
	page := pageOf(req.Msg.GetPagingInfo())
	msgs, err := s.n.store.QueryGroupMessages(ctx, req.Msg.GetGroupId(), page)
	if err != nil {
		return nil, internal(err)
	}
	var last uint64
	if len(msgs) > 0 {
		last = msgs[len(msgs)-1].ID
	}
	return connect.NewResponse(&mlsv1.QueryGroupMessagesResponse{
		Messages: groupMessagesProto(msgs), PagingInfo: pagingInfoOf(page, len(msgs), last),
	}), nil
}

func (s *mlsService) QueryWelcomeMessages(ctx context.Context, req *connect.Request[mlsv1.QueryWelcomeMessagesRequest]) (*connect.Response[mlsv1.QueryWelcomeMessagesResponse], error) {
	if len(req.Msg.GetInstallationKey()) == 0 {
		return nil, invalid("empty installation key")
	}
	page := pageOf(req.Msg.GetPagingInfo())
	msgs, err := s.n.store.QueryWelcomeMessages(ctx, req.Msg.GetInstallationKey(), page)
	if err != nil {
		return nil, internal(err)
	}
	var last uint64
	if len(msgs) > 0 {
		last = msgs[len(msgs)-1].ID
	}
	return connect.NewResponse(&mlsv1.QueryWelcomeMessagesResponse{
		Messages: welcomeMessagesProto(msgs), PagingInfo: pagingInfoOf(page, len(msgs), last),
	}), nil
}

func (s *mlsService) SubscribeGroupMessages(ctx context.Context, req *connect.Request[mlsv1.SubscribeGroupMessagesRequest], stream *connect.ServerStream[mlsv1.GroupMessage]) error {
	filters := req.Msg.GetFilters()
	topics := make([]topic, len(filters))
	cursors := make([]uint64, len(filters))
	for i, f := range filters {
		if len(f.GetGroupId()) == 0 {
			return invalid("filter %d: empty group id", i)
		}
		topics[i], cursors[i] = groupTopic(f.GetGroupId()), f.GetIdCursor()
	}
	return s.n.serveStream(ctx, stream.ResponseHeader(), func() error { return stream.Send(nil) }, topics, cursors,
		func(ev event) error { return stream.Send(ev.group.proto()) })
}

func (s *mlsService) SubscribeWelcomeMessages(ctx context.Context, req *connect.Request[mlsv1.SubscribeWelcomeMessagesRequest], stream *connect.ServerStream[mlsv1.WelcomeMessage]) error {
	filters := req.Msg.GetFilters()
	topics := make([]topic, len(filters))
	cursors := make([]uint64, len(filters))
	for i, f := range filters {
		if len(f.GetInstallationKey()) == 0 {
			return invalid("filter %d: empty installation key", i)
		}
		topics[i], cursors[i] = welcomeTopic(f.GetInstallationKey()), f.GetIdCursor()
	}
	return s.n.serveStream(ctx, stream.ResponseHeader(), func() error { return stream.Send(nil) }, topics, cursors,
		func(ev event) error { return stream.Send(ev.welcome.proto()) })
}

func (s *mlsService) BatchPublishCommitLog(ctx context.Context, req *connect.Request[mlsv1.BatchPublishCommitLogRequest]) (*connect.Response[emptypb.Empty], error) {
	reqs := req.Msg.GetRequests()
	if err := checkBatch("commit log entries", len(reqs), maxCommitLogPublishBatch); err != nil {
		return nil, err
	}
	entries := make([]CommitLogEntry, len(reqs))
	for i, r := range reqs {
		if len(r.GetGroupId()) == 0 || len(r.GetSerializedCommitLogEntry()) == 0 {
			return nil, invalid("commit log entry %d: empty group id or entry", i)
		}
		var sig []byte
		if r.GetSignature() != nil {
			var err error
			if sig, err = proto.Marshal(r.GetSignature()); err != nil {
				return nil, invalid("commit log entry %d: %v", i, err)
			}
		}
		entries[i] = CommitLogEntry{GroupID: r.GetGroupId(), Entry: r.GetSerializedCommitLogEntry(), Signature: sig}
	}
	if err := s.n.store.AppendCommitLog(ctx, entries); err != nil {
		return nil, internal(err)
	}
	return connect.NewResponse(&emptypb.Empty{}), nil
}

func (s *mlsService) BatchQueryCommitLog(ctx context.Context, req *connect.Request[mlsv1.BatchQueryCommitLogRequest]) (*connect.Response[mlsv1.BatchQueryCommitLogResponse], error) {
	reqs := req.Msg.GetRequests()
	if err := checkBatch("commit log queries", len(reqs), maxCommitLogQueryBatch); err != nil {
		return nil, err
	}
	res := &mlsv1.BatchQueryCommitLogResponse{Responses: make([]*mlsv1.QueryCommitLogResponse, len(reqs))}
	for i, r := range reqs {
		if len(r.GetGroupId()) == 0 {
			return nil, invalid("commit log query %d: empty group id", i)
		}
		page := pageOf(r.GetPagingInfo())
		entries, err := s.n.store.QueryCommitLog(ctx, r.GetGroupId(), page)
		if err != nil {
			return nil, internal(err)
		}
		out := &mlsv1.QueryCommitLogResponse{GroupId: r.GetGroupId(), CommitLogEntries: make([]*mlscontents.CommitLogEntry, len(entries))}
		var last uint64
		for j, e := range entries {
			entry := &mlscontents.CommitLogEntry{SequenceId: e.SequenceID, SerializedCommitLogEntry: e.Entry}
			if len(e.Signature) > 0 {
				entry.Signature = new(associations.RecoverableEd25519Signature)
				if err := proto.Unmarshal(e.Signature, entry.Signature); err != nil {
					return nil, internal(fmt.Errorf("stored commit log signature: %w", err))
				}
			}
			out.CommitLogEntries[j] = entry
			last = e.SequenceID
		}
		out.PagingInfo = pagingInfoOf(page, len(entries), last)
		res.Responses[i] = out
	}
	return connect.NewResponse(res), nil
}

func (s *mlsService) GetNewestGroupMessage(ctx context.Context, req *connect.Request[mlsv1.GetNewestGroupMessageRequest]) (*connect.Response[mlsv1.GetNewestGroupMessageResponse], error) {
	ids := req.Msg.GetGroupIds()
	if err := checkBatch("group ids", len(ids), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	res := &mlsv1.GetNewestGroupMessageResponse{Responses: make([]*mlsv1.GetNewestGroupMessageResponse_Response, len(ids))}
	for i, id := range ids {
		m, ok, err := s.n.store.NewestGroupMessage(ctx, id)
		if err != nil {
			return nil, internal(err)
		}
		r := &mlsv1.GetNewestGroupMessageResponse_Response{}
		if ok {
			if !req.Msg.GetIncludeContent() {
				m.Data = nil
			}
			r.GroupMessage = m.proto()
		}
		res.Responses[i] = r
	}
	return connect.NewResponse(res), nil
}

// Subscribe is the bidirectional XIP-83 subscription over gRPC, the same session as the
// WebSocket endpoint.
func (s *mlsService) Subscribe(ctx context.Context, stream *connect.BidiStream[mlsv1.SubscribeRequest, mlsv1.SubscribeResponse]) error {
	return s.n.runSession(ctx, stream.Receive, stream.Send)
}
