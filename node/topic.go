package node

// Topic kinds, the first byte of a topic as in XIP-83 subscriptions: the rest of the topic is
// the group id or installation key.
const (
	topicGroupMessages   byte = 0x00
	topicWelcomeMessages byte = 0x01
)

// topic is a kind byte followed by an id, kept as a string so it can key maps.
type topic string

func groupTopic(groupID []byte) topic { return topic(append([]byte{topicGroupMessages}, groupID...)) }

func welcomeTopic(installationKey []byte) topic {
	return topic(append([]byte{topicWelcomeMessages}, installationKey...))
}

func (t topic) kind() byte { return t[0] }
func (t topic) id() []byte { return []byte(t[1:]) }

// validTopic reports whether raw is a non-empty id behind a known kind.
func validTopic(raw []byte) bool {
	return len(raw) > 1 && (raw[0] == topicGroupMessages || raw[0] == topicWelcomeMessages)
}
