package node

import "log/slog"

// Config configures a Node. The zero value of every field but DataDir (or Store) means its
// default.
type Config struct {
	// DataDir holds the SQLite database; it must exist. Ignored when Store is set.
	DataDir string
	// Store replaces the SQLite store (for another backend).
	Store Store
	// Logger receives structured logs; defaults to slog.Default().
	Logger *slog.Logger

	// RateLimit bounds requests per client IP.
	RateLimit RateLimit
	// Limits bound request sizes and batch lengths.
	Limits Limits

	// SubscriberBuffer is how many live messages a subscription may have queued before it is
	// cut off as too slow. Default 1024.
	SubscriberBuffer int
}

// RateLimit configures per-IP token buckets, one for reads and one for writes. A rate of zero
// takes the default; a negative rate disables that bucket.
type RateLimit struct {
	// ReadsPerSecond and ReadBurst bound queries and subscriptions. Default 200/s, burst 1000:
	// a client syncing hundreds of groups at start-up should not be throttled.
	ReadsPerSecond float64
	ReadBurst      int
	// WritesPerSecond and WriteBurst bound sends and uploads. Default 50/s, burst 200.
	WritesPerSecond float64
	WriteBurst      int
}

// Limits bounds what one request may carry. Over a limit the client gets RESOURCE_EXHAUSTED.
type Limits struct {
	// MaxMessageBytes is the largest request or response message. Default 25 MiB, libxmtp's
	// GRPC_PAYLOAD_LIMIT.
	MaxMessageBytes int
	// MaxBatch caps the entries of one SendGroupMessages, SendWelcomeMessages,
	// FetchKeyPackages, GetIdentityUpdates, GetInboxIds or GetNewestGroupMessage. Default 1000.
	MaxBatch int
	// MaxFilters caps the topics of one subscription. Default 10000.
	MaxFilters int
}

// Commit log batch limits, as XMTP's node enforces them.
const (
	maxCommitLogPublishBatch = 10
	maxCommitLogQueryBatch   = 20
)

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.RateLimit.ReadsPerSecond == 0 {
		c.RateLimit.ReadsPerSecond = 200
	}
	if c.RateLimit.ReadBurst == 0 {
		c.RateLimit.ReadBurst = 1000
	}
	if c.RateLimit.WritesPerSecond == 0 {
		c.RateLimit.WritesPerSecond = 50
	}
	if c.RateLimit.WriteBurst == 0 {
		c.RateLimit.WriteBurst = 200
	}
	if c.Limits.MaxMessageBytes == 0 {
		c.Limits.MaxMessageBytes = 25 << 20
	}
	if c.Limits.MaxBatch == 0 {
		c.Limits.MaxBatch = 1000
	}
	if c.Limits.MaxFilters == 0 {
		c.Limits.MaxFilters = 10000
	}
	if c.SubscriberBuffer == 0 {
		c.SubscriberBuffer = 1024
	}
	return c
}
