package store

// Error is a store failure with a stable code that crosses the JavaScript boundary
// unchanged (DESIGN.md "Errors"). Implementations wrap the sentinels below with context;
// callers test them with errors.Is.
type Error struct {
	code, text string
}

func (e *Error) Error() string { return e.text }

// Code returns the stable machine-readable code, e.g. "store.closed".
func (e *Error) Code() string { return e.code }

var (
	// ErrClosed: the store was closed.
	ErrClosed = &Error{"store.closed", "store: closed"}
	// ErrLocked: another owner (process, tab) holds the store.
	ErrLocked = &Error{"store.locked", "store: in use by another owner"}
	// ErrWrongKey: the database key does not open the store. Stores fail closed.
	ErrWrongKey = &Error{"store.wrong_key", "store: wrong database key"}
	// ErrCorrupt: stored bytes are damaged or were not written by this store.
	ErrCorrupt = &Error{"store.corrupt", "store: corrupt data"}
	// ErrVersion: the store was written by a newer schema version than this code knows.
	ErrVersion = &Error{"store.unsupported_version", "store: written by a newer version"}
	// ErrInvalid: a bad argument, such as an empty table name or an unknown Op.
	ErrInvalid = &Error{"store.invalid_argument", "store: invalid argument"}
)
