//go:build js && wasm

// Package idbstore implements core's Store interface on the browser's IndexedDB, with every
// value encrypted and every lookup key HMACed, so nothing about groups or messages is readable
// at rest. It is js/wasm only; it holds storage logic and nothing of XMTP's client rules.
package idbstore
