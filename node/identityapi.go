package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/api/v1/identityv1connect"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// identityService implements xmtp.identity.api.v1.IdentityApi: an append-only log of identity
// updates per inbox, and the index from wallet addresses and passkeys to inboxes.
type identityService struct {
	identityv1connect.UnimplementedIdentityApiHandler // VerifySmartContractWalletSignatures: no chain access
	n                                                 *Node
}

func (s *identityService) PublishIdentityUpdate(ctx context.Context, req *connect.Request[identityv1.PublishIdentityUpdateRequest]) (*connect.Response[identityv1.PublishIdentityUpdateResponse], error) {
	u := req.Msg.GetIdentityUpdate()
	if u == nil {
		return nil, invalid("no identity update")
	}
	if id, err := hex.DecodeString(u.GetInboxId()); err != nil || len(id) != 32 {
		return nil, invalid("inbox id %q is not 64 hex digits", u.GetInboxId())
	}
	if len(u.GetActions()) == 0 {
		return nil, invalid("identity update has no actions")
	}
	raw, err := proto.Marshal(u)
	if err != nil {
		return nil, invalid("identity update: %v", err)
	}
	var next *identity.State
	entry, err := s.n.store.AppendIdentityUpdate(ctx, u.GetInboxId(), raw, func(log []IdentityLogEntry) ([]IdentifierChange, error) {
		var changes []IdentifierChange
		var err error
		next, changes, err = s.n.identities.check(ctx, u.GetInboxId(), log, u)
		return changes, err
	})
	var rejected *rejectedUpdate
	switch {
	case errors.Is(err, ErrInboxLogFull):
		return nil, connect.NewError(connect.CodeResourceExhausted, err)
	case errors.As(err, &rejected):
		return nil, connect.NewError(connect.CodeInvalidArgument, rejected.err)
	case err != nil:
		return nil, internal(err)
	}
	s.n.identities.remember(u.GetInboxId(), entry.SequenceID, next)
	return connect.NewResponse(&identityv1.PublishIdentityUpdateResponse{}), nil
}

// rejectedUpdate marks an identity update refused by the association rules, as opposed to a
// storage failure.
type rejectedUpdate struct{ err error }

func (r *rejectedUpdate) Error() string { return r.err.Error() }

func (s *identityService) GetIdentityUpdates(ctx context.Context, req *connect.Request[identityv1.GetIdentityUpdatesRequest]) (*connect.Response[identityv1.GetIdentityUpdatesResponse], error) {
	reqs := req.Msg.GetRequests()
	if err := checkBatch("inboxes", len(reqs), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	res := &identityv1.GetIdentityUpdatesResponse{Responses: make([]*identityv1.GetIdentityUpdatesResponse_Response, len(reqs))}
	for i, r := range reqs {
		entries, err := s.n.store.IdentityUpdates(ctx, r.GetInboxId(), r.GetSequenceId())
		if err != nil {
			return nil, internal(err)
		}
		out := &identityv1.GetIdentityUpdatesResponse_Response{InboxId: r.GetInboxId()}
		for _, e := range entries {
			u := new(associations.IdentityUpdate)
			if err := proto.Unmarshal(e.Update, u); err != nil {
				return nil, internal(fmt.Errorf("stored identity update %d: %w", e.SequenceID, err))
			}
			out.Updates = append(out.Updates, &identityv1.GetIdentityUpdatesResponse_IdentityUpdateLog{
				SequenceId: e.SequenceID, ServerTimestampNs: e.ServerTimestampNs, Update: u,
			})
		}
		res.Responses[i] = out
	}
	return connect.NewResponse(res), nil
}

// GetInboxIds resolves each identifier by exact match. Like XMTP's node it leaves
// identifier_kind unset in responses (clients read 0 as Ethereum); an UNSPECIFIED kind in a
// request means Ethereum for the same reason.
func (s *identityService) GetInboxIds(ctx context.Context, req *connect.Request[identityv1.GetInboxIdsRequest]) (*connect.Response[identityv1.GetInboxIdsResponse], error) {
	reqs := req.Msg.GetRequests()
	if err := checkBatch("identifiers", len(reqs), s.n.cfg.Limits.MaxBatch); err != nil {
		return nil, err
	}
	res := &identityv1.GetInboxIdsResponse{Responses: make([]*identityv1.GetInboxIdsResponse_Response, len(reqs))}
	for i, r := range reqs {
		kind := r.GetIdentifierKind()
		if kind == associations.IdentifierKind_IDENTIFIER_KIND_UNSPECIFIED {
			kind = associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM
		}
		inbox, ok, err := s.n.store.InboxID(ctx, int32(kind), r.GetIdentifier())
		if err != nil {
			return nil, internal(err)
		}
		out := &identityv1.GetInboxIdsResponse_Response{Identifier: r.GetIdentifier()}
		if ok {
			out.InboxId = &inbox
		}
		res.Responses[i] = out
	}
	return connect.NewResponse(res), nil
}
