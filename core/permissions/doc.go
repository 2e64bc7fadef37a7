// Package permissions decides who may change an XMTP group (XIP-47, xmtp-protocol.md §3.2 and
// §7.3): the policy set stored in the group-context extension 0xff02, its presets (Default,
// AdminsOnly, DM), the numeric enums the JS SDK uses to build custom policies, and Validate,
// which every receiving client runs on a commit so that nobody can force a group into a state
// its policies forbid.
//
// The rules are libxmtp 1.11's (groups/group_permissions.rs, groups/validated_commit.rs). A
// receiver that is stricter or looser than libxmtp would fork the group from its libxmtp
// members, so where libxmtp's behaviour is surprising it is kept and documented here.
package permissions
