package identity

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/mls"
	identitypb "github.com/goxmtp/goxmtp/proto/identity"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	"google.golang.org/protobuf/proto"
)

// NewCredential returns the MLS credential of an installation of the inbox: a basic
// credential whose identity is the serialized MlsCredential{inbox_id}. The installation's
// key is the leaf's signature key, not part of the credential.
func NewCredential(inboxID string) (mls.Credential, error) {
	if !validInboxID(inboxID) {
		return mls.Credential{}, ErrInvalidInboxID
	}
	identity, err := proto.Marshal(&identitypb.MlsCredential{InboxId: inboxID})
	if err != nil {
		return mls.Credential{}, fmt.Errorf("mls credential: %w", err)
	}
	return mls.NewBasicCredential(identity), nil
}

// CredentialInboxID reads the inbox id out of an installation's MLS credential.
func CredentialInboxID(c mls.Credential) (string, error) {
	if c.Type != mls.CredentialBasic {
		return "", ErrNotBasicCredential
	}
	var mc identitypb.MlsCredential
	if err := proto.Unmarshal(c.Data, &mc); err != nil {
		return "", fmt.Errorf("mls credential: %w", ErrMissingField)
	}
	if !validInboxID(mc.GetInboxId()) {
		return "", ErrInvalidInboxID
	}
	return mc.GetInboxId(), nil
}

// LogEntry is one update of an inbox's log with the sequence id the node gave it.
type LogEntry struct {
	SequenceID uint64
	Update     *associations.IdentityUpdate
}

// CheckInstallation checks that a key package's installation belongs to the inbox its
// credential names, as of the identity sequence id a group recorded for that inbox: it
// replays the log up to and including sequenceID, which must be in the log.
func (v Validator) CheckInstallation(ctx context.Context, c mls.Credential, installationKey []byte, log []LogEntry, sequenceID uint64) error {
	inboxID, err := CredentialInboxID(c)
	if err != nil {
		return err
	}
	var updates []*associations.IdentityUpdate
	found := false
	for _, e := range log {
		if e.SequenceID > sequenceID {
			break
		}
		updates = append(updates, e.Update)
		found = e.SequenceID == sequenceID
	}
	if !found {
		return fmt.Errorf("%w: %d", ErrSequenceIDNotInLog, sequenceID)
	}
	st, err := v.Replay(ctx, updates)
	if err != nil {
		return err
	}
	if st.InboxID() != inboxID {
		return fmt.Errorf("log of inbox %s for credential of %s: %w", st.InboxID(), inboxID, ErrWrongInboxID)
	}
	if !st.HasInstallation(installationKey) {
		return ErrInstallationNotMember
	}
	return nil
}
