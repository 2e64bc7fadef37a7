// Package idbstore implements core's Store interface on the browser's IndexedDB, with every
// value encrypted and every lookup key HMACed, so nothing about groups or messages is readable
// at rest. The store itself is js/wasm only; the record codec (key.go, record.go) is portable
// so that its decoders are fuzzed natively. It holds storage logic and nothing of XMTP's
// client rules. README.md describes the schema and what a reader of the raw database sees.
package idbstore
