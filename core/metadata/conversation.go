package metadata

import "strconv"

// ConversationType is what kind of conversation a group is. Its values are the proto's.
type ConversationType int32

const (
	ConversationGroup ConversationType = 1
	ConversationDM    ConversationType = 2
	// ConversationSync is the device-sync group of one inbox's installations (§3.8).
	ConversationSync ConversationType = 3
	// ConversationOneshot carries one request in its metadata and is then discarded.
	ConversationOneshot ConversationType = 4
)

// Known reports whether t is one of the types above. Groups of unknown types are kept and
// ignored rather than rejected, so a newer peer's conversation does not break sync.
func (t ConversationType) Known() bool { return t >= ConversationGroup && t <= ConversationOneshot }

// Listed reports whether conversations of type t are shown to the app: groups and DMs.
func (t ConversationType) Listed() bool { return t == ConversationGroup || t == ConversationDM }

func (t ConversationType) String() string {
	switch t {
	case ConversationGroup:
		return "group"
	case ConversationDM:
		return "dm"
	case ConversationSync:
		return "sync"
	case ConversationOneshot:
		return "oneshot"
	}
	return "unknown(" + strconv.Itoa(int(t)) + ")"
}
