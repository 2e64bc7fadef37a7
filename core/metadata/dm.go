package metadata

import (
	"slices"
	"strings"
)

// DMMembers are the two inboxes of a DM: the creator first, as libxmtp writes them.
type DMMembers struct {
	One, Two string
}

// DMID is the id that identifies a DM between two inboxes whoever created it: "dm:" and the
// two lowercased inbox ids in sorted order, joined by ":" (libxmtp group_metadata.rs). Two
// DMs with the same id are the same conversation and are stitched together.
func DMID(inboxA, inboxB string) string {
	ids := []string{strings.ToLower(inboxA), strings.ToLower(inboxB)}
	slices.Sort(ids)
	return "dm:" + ids[0] + ":" + ids[1]
}

// ID returns DMID of the two members.
func (d DMMembers) ID() string { return DMID(d.One, d.Two) }

// Has reports whether inboxID is one of the two members.
func (d DMMembers) Has(inboxID string) bool { return inboxID == d.One || inboxID == d.Two }
