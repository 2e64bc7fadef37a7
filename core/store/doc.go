// Package store defines the storage interface of the XMTP client core, small enough that an
// in-memory map, SQLite and IndexedDB implement it alike.
//
// The model is an ordered key-value store of named tables holding two shapes of record:
//
//   - point records, keyed by an opaque id (an installation, a group's MLS state);
//   - ordered records, keyed by a partition id and a uint64 sequence number (the messages of
//     one group), read back in order with [Store.Scan].
//
// Keys are opaque bytes and sequence numbers, never timestamps or text the store must
// understand, so an encrypting store can replace every key with HMAC(key, table ‖ partition)
// followed by the big-endian sequence number and still answer ranges.
//
// Reads return (value, found, err): absence is not an error. All writes go through one
// [Store.Apply] of [Changes], which is atomic: a group's new epoch and the messages it
// produced are saved together or not at all.
//
// Errors callers branch on are the sentinels of errors.go; each has a stable [Error.Code]
// for the JavaScript boundary. The conformance suite in core/storetest pins every behaviour.
package store
