//go:build !goxmtp_testhooks

package core

// skipSenderPolicyCheck is false in every build without the goxmtp_testhooks tag (see
// testhooks.go): the check it guards stands as if it had no condition.
const skipSenderPolicyCheck = false
