// Package identity is XMTP's identity layer (XIP-46): inbox ids, the signature text of an
// identity update, the signatures members make over it, the association state machine that
// replays an inbox's log, the builders of new updates, and the MLS credential that ties an
// installation to its inbox.
//
// It is a leaf: no network, no storage, no client logic. The node uses it to validate what it
// accepts and core uses it to build what it publishes, so both agree byte for byte with
// libxmtp (crates/xmtp_id). go-ethereum is confined to secp256k1.go.
package identity
