package content

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
	contenttypes "github.com/goxmtp/goxmtp/proto/mls/message_contents/content_types"
)

// LeaveRequest asks the group's admins to remove the sender (xmtp.org/leave_request:1.0,
// XIP-75): a member cannot commit its own removal when the remove policy needs an admin.
type LeaveRequest struct {
	AuthenticatedNote []byte // optional; nil when absent
}

func (LeaveRequest) Type() TypeID { return TypeLeaveRequest }

func (l LeaveRequest) encode() (*mlscontents.EncodedContent, error) {
	body, err := proto.Marshal(&contenttypes.LeaveRequest{AuthenticatedNote: l.AuthenticatedNote})
	if err != nil {
		return nil, fmt.Errorf("leave request: %w", err)
	}
	return newEncoded(TypeLeaveRequest, nil, "", body), nil
}

func decodeLeaveRequest(ec *mlscontents.EncodedContent) (Content, error) {
	var v contenttypes.LeaveRequest
	if err := proto.Unmarshal(ec.Content, &v); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("leave request: %w", err))
	}
	return LeaveRequest{AuthenticatedNote: v.AuthenticatedNote}, nil
}
