// Package metadata reads and writes the XMTP group-context extensions of xmtp-protocol.md §3.2
// in their legacy form (the default of libxmtp 1.10 and 1.11): the immutable metadata
// (0xf000: conversation type, creator, DM members), the mutable metadata (0xff00: named
// attributes and the admin lists) and the group membership (0xff01: inbox id → identity
// sequence id). The policies of 0xff02 live in package permissions.
//
// Decoders take untrusted bytes from commits and welcomes; they check structure, not
// authority. Whether a change was allowed is package permissions' question.
package metadata
