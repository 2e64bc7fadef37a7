package content

import "encoding/hex"

// Topics name what a push server subscribes to (xmtp-protocol.md §3.5): a group's messages and
// an installation's welcomes. Hex is lowercase.

// GroupTopic is the topic of the messages of a group.
func GroupTopic(groupID []byte) string {
	return "/xmtp/mls/1/g-" + hex.EncodeToString(groupID) + "/proto"
}

// WelcomeTopic is the topic of the welcomes of an installation.
func WelcomeTopic(installationKey []byte) string {
	return "/xmtp/mls/1/w-" + hex.EncodeToString(installationKey) + "/proto"
}
