package node

import (
	"context"
	"errors"
)

// Store is the node's persistence. It is an interface so that a backend for more than one
// machine (PostgreSQL) can follow the SQLite one; every implementation must assign ids that
// strictly increase per table and never reuse them.
type Store interface {
	// InsertGroupMessages stores messages in order and returns them with id and created_ns
	// set. A message whose (group id, data) is already stored is dropped and left out of the
	// result.
	InsertGroupMessages(ctx context.Context, msgs []GroupMessage) ([]GroupMessage, error)
	QueryGroupMessages(ctx context.Context, groupID []byte, p Page) ([]GroupMessage, error)
	// NewestGroupMessage reports the group's message with the highest id.
	NewestGroupMessage(ctx context.Context, groupID []byte) (GroupMessage, bool, error)

	// InsertWelcomeMessages is InsertGroupMessages for welcomes, deduped on
	// (installation key, data).
	InsertWelcomeMessages(ctx context.Context, msgs []WelcomeMessage) ([]WelcomeMessage, error)
	QueryWelcomeMessages(ctx context.Context, installationKey []byte, p Page) ([]WelcomeMessage, error)

	// PutKeyPackage replaces the installation's key package.
	PutKeyPackage(ctx context.Context, installationKey, keyPackage []byte) error
	// KeyPackages returns the latest key package of each installation, nil where none.
	KeyPackages(ctx context.Context, installationKeys [][]byte) ([][]byte, error)

	// AppendIdentityUpdate runs check against the inbox's stored log and, if it passes, appends
	// the update and applies the identifier changes check returns, all in one transaction.
	AppendIdentityUpdate(ctx context.Context, inboxID string, update []byte, check IdentityCheck) (IdentityLogEntry, error)
	// IdentityUpdates returns the inbox's log entries after sequence id `after`, ascending.
	IdentityUpdates(ctx context.Context, inboxID string, after uint64) ([]IdentityLogEntry, error)
	// InboxID returns the inbox an identifier currently belongs to.
	InboxID(ctx context.Context, kind int32, identifier string) (string, bool, error)

	AppendCommitLog(ctx context.Context, entries []CommitLogEntry) error
	QueryCommitLog(ctx context.Context, groupID []byte, p Page) ([]CommitLogEntry, error)

	// Ping reports whether the store can serve requests, for the health endpoint.
	Ping(ctx context.Context) error
	Close() error
}

// IdentityCheck validates a new update against the stored log of its inbox and says which
// identifiers it links to or unlinks from the inbox.
type IdentityCheck func(log []IdentityLogEntry) ([]IdentifierChange, error)

// ErrInboxLogFull reports an inbox whose log already holds identity.MaxInboxUpdates updates,
// with the text XMTP's node uses.
var ErrInboxLogFull = errors.New("inbox log is full")

// GroupMessage is a stored group message.
type GroupMessage struct {
	ID         uint64
	CreatedNs  uint64
	GroupID    []byte
	Data       []byte
	SenderHmac []byte
	ShouldPush bool
	IsCommit   bool
}

// WelcomeMessage is a stored welcome: a V1 welcome, or a welcome pointer when IsPointer (then
// Data holds the sealed pointer).
type WelcomeMessage struct {
	ID               uint64
	CreatedNs        uint64
	InstallationKey  []byte
	Data             []byte
	HpkePublicKey    []byte
	WrapperAlgorithm int32
	WelcomeMetadata  []byte
	IsPointer        bool
}

// IdentityLogEntry is one stored identity update (a serialized IdentityUpdate).
type IdentityLogEntry struct {
	SequenceID        uint64
	ServerTimestampNs uint64
	Update            []byte
}

// IdentifierChange links (or, when Revoked, unlinks) an identifier to an inbox.
type IdentifierChange struct {
	Kind       int32
	Identifier string
	Revoked    bool
}

// CommitLogEntry is one stored commit log entry; Signature is a serialized
// RecoverableEd25519Signature.
type CommitLogEntry struct {
	SequenceID uint64
	GroupID    []byte
	Entry      []byte
	Signature  []byte
}

// Page is a normalized paging request: Limit in 1..maxPageSize, Cursor exclusive (0 = none).
type Page struct {
	Ascending bool
	Limit     int
	Cursor    uint64
}
