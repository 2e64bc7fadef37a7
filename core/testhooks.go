//go:build goxmtp_testhooks

package core

// Built only with the goxmtp_testhooks tag, which tests use to play a modified client: with it,
// a client publishes changes its own policy check would refuse, so that tests can watch every
// receiver (goxmtp's and libxmtp's) reject them. Published builds never carry the tag; the
// browser tests check the wasm they ship for it.

// skipSenderPolicyCheck makes prepareCommit publish a commit the group's policies forbid.
// Receivers' checks and the sender's own check when it reads its commit back are unchanged.
const skipSenderPolicyCheck = true
