package node

import (
	"errors"
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/mls"
)

// groupMessageHeader is what the node reads from a group message before storing it.
type groupMessageHeader struct {
	groupID  []byte
	isCommit bool
}

// parseGroupMessage accepts only public and private MLS messages (what members send to a
// group), a private message only if it is complete and well-formed, and takes the group id
// from them. Commits and proposals both count as commits, as
// on XMTP's node: both change the group's state.
func parseGroupMessage(data []byte) (groupMessageHeader, error) {
	if len(data) == 0 {
		return groupMessageHeader{}, errors.New("empty MLS message")
	}
	h, err := mls.ParseMessageHeader(data)
	if err != nil {
		return groupMessageHeader{}, err
	}
	switch h.WireFormat {
	case mls.WireFormatPrivateMessage:
		// Everything after the header is opaque, so the whole message can be checked.
		if _, err := mls.DecodeMLSMessage(data); err != nil {
			return groupMessageHeader{}, err
		}
	case mls.WireFormatPublicMessage:
		// The body may hold proposal and extension types newer than this node; members judge
		// it, as XMTP's node only reads what it needs.
	default:
		return groupMessageHeader{}, fmt.Errorf("MLS wire format %d is not a public or private message", h.WireFormat)
	}
	if len(h.GroupID) == 0 {
		return groupMessageHeader{}, errors.New("MLS message has an empty group id")
	}
	isCommit := h.ContentType == mls.ContentTypeCommit || h.ContentType == mls.ContentTypeProposal
	return groupMessageHeader{groupID: h.GroupID, isCommit: isCommit}, nil
}

// maxKeyPackageLifetime is the longest validity window accepted, libxmtp's 84 days plus the
// hour a key package is backdated by.
const maxKeyPackageLifetime = mls.KeyPackageLifetime + mls.KeyPackageBackdate

// validateKeyPackage checks a bare TLS-serialized KeyPackage as libxmtp's validation service
// does (structure, signatures, lifetime at now) and that its credential is a Basic credential
// holding an MlsCredential with an inbox id. It returns the installation key: the leaf's
// signature key.
func validateKeyPackage(data []byte, now time.Time) ([]byte, error) {
	kp, err := mls.DecodeKeyPackage(data)
	if err != nil {
		return nil, err
	}
	if err := kp.Verify(now, maxKeyPackageLifetime); err != nil {
		return nil, err
	}
	if _, err := identity.CredentialInboxID(kp.LeafNode.Credential); err != nil {
		return nil, err
	}
	return kp.LeafNode.SignatureKey, nil
}
