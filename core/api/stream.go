package api

// Stream is one open server stream.
//
// Recv blocks until the next message. It returns io.EOF when the node ended the stream
// cleanly, an error wrapping ErrCanceled once the stream's context is done or Close was
// called, and otherwise an error wrapping one of this package's sentinels. Recv is called
// from one goroutine at a time; Close may be called from any goroutine, more than once, and
// unblocks a pending Recv.
type Stream[T any] interface {
	Recv() (T, error)
	Close() error
}

// Mutable is a stream whose topic set can change in place, as on the node's multiplexed
// WebSocket session: added topics replay from their cursors and go live on the same
// connection. Subscription uses it instead of reopening the stream when topics change, and
// calls it with its lock held: Add and Remove only queue the change, never wait for the
// node. An error makes Subscription fall back to reopening.
type Mutable interface {
	Add(filters []Filter) error
	Remove(keys [][]byte) error
}
