// Package idbstore implements core's Store interface on the browser's IndexedDB, with every
// value encrypted and every lookup key HMACed, so nothing about groups or messages is readable
// at rest. It holds storage logic and nothing of XMTP's client rules.
//
// Open opens one database per env and inbox (the caller names it) and makes this tab or
// worker its only owner through a Web Lock: another opener gets store.locked, or asks the
// owner to step down (Options.TakeOver), which the owner sees on OwnershipLost. The store key
// comes from the app's dbEncryptionKey, or is random and wrapped by a non-extractable
// WebCrypto key; a key that does not open the data fails with store.wrong_key. Delete
// removes a database and its wrapping key.
//
// The store is js/wasm only; the record codec (key.go, record.go) is portable so that its
// decoders are fuzzed natively. README.md describes the schema, what a reader of the raw
// database sees, and what the keys protect against.
package idbstore
