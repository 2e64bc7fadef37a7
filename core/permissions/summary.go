package permissions

import (
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/metadata"
)

// Summary is what a validated change does, the material of its group_updated transcript.
type Summary struct {
	Added, Removed []string // inboxes, sorted
	// Updated are members whose identity sequence id rose: their installations changed.
	Updated                              []string
	MetadataChanges                      []content.MetadataChange // sorted by field
	AddedAdmins, RemovedAdmins           []string
	AddedSuperAdmins, RemovedSuperAdmins []string
	PermissionsChanged                   bool
}

// Empty reports whether the change needs no transcript: libxmtp records a group_updated
// message only when members, attributes or admin lists change, not for key updates,
// sequence-id bumps or policy changes alone.
func (s Summary) Empty() bool {
	return len(s.Added)+len(s.Removed)+len(s.MetadataChanges)+len(s.AddedAdmins)+len(s.RemovedAdmins)+
		len(s.AddedSuperAdmins)+len(s.RemovedSuperAdmins) == 0
}

// summarize lists what differs between old and new.
func summarize(old, next State) Summary {
	d := metadata.Diff(old.Membership, next.Membership)
	return Summary{
		Added: d.Added, Removed: d.Removed, Updated: d.Updated,
		MetadataChanges:    attributeChanges(old.Mutable.Attributes, next.Mutable.Attributes),
		AddedAdmins:        missingFrom(next.Mutable.Admins, old.Mutable.Admins),
		RemovedAdmins:      missingFrom(old.Mutable.Admins, next.Mutable.Admins),
		AddedSuperAdmins:   missingFrom(next.Mutable.SuperAdmins, old.Mutable.SuperAdmins),
		RemovedSuperAdmins: missingFrom(old.Mutable.SuperAdmins, next.Mutable.SuperAdmins),
		PermissionsChanged: !old.Policies.Equal(next.Policies),
	}
}

// missingFrom returns the ids of list that are not in other, in list's order.
func missingFrom(list, other []string) []string {
	var out []string
	for _, id := range list {
		if !slices.Contains(other, id) {
			out = append(out, id)
		}
	}
	return out
}

func attributeChanges(old, next map[string]string) []content.MetadataChange {
	union := make(map[string]string, len(old)+len(next))
	maps.Copy(union, old)
	maps.Copy(union, next)
	var out []content.MetadataChange
	for _, k := range slices.Sorted(maps.Keys(union)) {
		o, hadOld := old[k]
		n, hasNew := next[k]
		if hadOld == hasNew && o == n {
			continue
		}
		c := content.MetadataChange{Field: k}
		if hadOld {
			c.OldValue = &o
		}
		if hasNew {
			c.NewValue = &n
		}
		out = append(out, c)
	}
	return out
}

// Transcript returns the group_updated content of the change, committed by actor. Removed
// inboxes that had asked to leave (a leave_request) are listed as having left.
func (s Summary) Transcript(actor string, leaveRequested []string) content.GroupUpdated {
	g := content.GroupUpdated{
		InitiatedBy: actor, Added: s.Added, MetadataChanges: s.MetadataChanges,
		AddedAdmins: s.AddedAdmins, RemovedAdmins: s.RemovedAdmins,
		AddedSuperAdmins: s.AddedSuperAdmins, RemovedSuperAdmins: s.RemovedSuperAdmins,
	}
	for _, id := range s.Removed {
		if slices.Contains(leaveRequested, id) {
			g.Left = append(g.Left, id)
		} else {
			g.Removed = append(g.Removed, id)
		}
	}
	return g
}
