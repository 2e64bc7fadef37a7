package store

import "context"

// Store is implemented by every storage backend. Implementations are safe for concurrent
// use. Values passed in are copied before Apply returns and values handed out belong to the
// caller, so neither side can change the other's bytes.
//
// After Close every method returns [ErrClosed]; Close itself may be called again.
type Store interface {
	// Get reads the point record id of table.
	Get(ctx context.Context, table string, id []byte) (value []byte, found bool, err error)

	// GetSeq reads the ordered record seq of partition in table.
	GetSeq(ctx context.Context, table string, partition []byte, seq uint64) (value []byte, found bool, err error)

	// Scan returns the ordered records of partition in table whose sequence numbers fall in
	// r, ascending or (r.Reverse) descending, at most r.Limit of them when it is positive.
	Scan(ctx context.Context, table string, partition []byte, r Range) ([]Record, error)

	// Apply makes all changes, in order, or none of them. A later change to the same key
	// wins over an earlier one in the same Changes.
	Apply(ctx context.Context, changes Changes) error

	// Close releases the store.
	Close() error
}

// Record is one ordered record returned by Scan.
type Record struct {
	Seq   uint64
	Value []byte
}

// Range selects sequence numbers From ≤ seq < To; To == 0 leaves the range open above, so
// the zero Range selects a whole partition. Limit ≤ 0 means no limit.
type Range struct {
	From, To uint64
	Reverse  bool
	Limit    int
}
