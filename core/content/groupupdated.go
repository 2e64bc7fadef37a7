package content

import (
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// GroupUpdated is the transcript entry of one validated commit or of joining a group
// (xmtp.org/group_updated:1.0). Clients create it locally and never send it; it is still an
// EncodedContent so it is stored and listed with the other messages.
type GroupUpdated struct {
	InitiatedBy        string // inbox that committed the change
	Added              []string
	Removed            []string
	Left               []string // removed because they asked to leave
	AddedAdmins        []string
	RemovedAdmins      []string
	AddedSuperAdmins   []string
	RemovedSuperAdmins []string
	MetadataChanges    []MetadataChange
}

// MetadataChange is one mutable-metadata attribute that changed; nil means absent.
type MetadataChange struct {
	Field    string
	OldValue *string
	NewValue *string
}

func (GroupUpdated) Type() TypeID { return TypeGroupUpdated }

func (g GroupUpdated) encode() (*mlscontents.EncodedContent, error) {
	body, err := proto.Marshal(g.Proto())
	if err != nil {
		return nil, fmt.Errorf("group updated: %w", err)
	}
	return newEncoded(TypeGroupUpdated, nil, "", body), nil
}

// Proto returns g as the wire GroupUpdated.
func (g GroupUpdated) Proto() *mlscontents.GroupUpdated {
	p := &mlscontents.GroupUpdated{
		InitiatedByInboxId:       g.InitiatedBy,
		AddedInboxes:             inboxesProto(g.Added),
		RemovedInboxes:           inboxesProto(g.Removed),
		LeftInboxes:              inboxesProto(g.Left),
		AddedAdminInboxes:        inboxesProto(g.AddedAdmins),
		RemovedAdminInboxes:      inboxesProto(g.RemovedAdmins),
		AddedSuperAdminInboxes:   inboxesProto(g.AddedSuperAdmins),
		RemovedSuperAdminInboxes: inboxesProto(g.RemovedSuperAdmins),
	}
	for _, c := range g.MetadataChanges {
		p.MetadataFieldChanges = append(p.MetadataFieldChanges,
			&mlscontents.GroupUpdated_MetadataFieldChange{FieldName: c.Field, OldValue: c.OldValue, NewValue: c.NewValue})
	}
	return p
}

func decodeGroupUpdated(ec *mlscontents.EncodedContent) (Content, error) {
	var p mlscontents.GroupUpdated
	if err := proto.Unmarshal(ec.Content, &p); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("group updated: %w", err))
	}
	g := GroupUpdated{
		InitiatedBy:        p.InitiatedByInboxId,
		Added:              inboxIDs(p.AddedInboxes),
		Removed:            inboxIDs(p.RemovedInboxes),
		Left:               inboxIDs(p.LeftInboxes),
		AddedAdmins:        inboxIDs(p.AddedAdminInboxes),
		RemovedAdmins:      inboxIDs(p.RemovedAdminInboxes),
		AddedSuperAdmins:   inboxIDs(p.AddedSuperAdminInboxes),
		RemovedSuperAdmins: inboxIDs(p.RemovedSuperAdminInboxes),
	}
	for _, c := range p.MetadataFieldChanges {
		g.MetadataChanges = append(g.MetadataChanges, MetadataChange{Field: c.FieldName, OldValue: c.OldValue, NewValue: c.NewValue})
	}
	return g, nil
}

func inboxesProto(ids []string) []*mlscontents.GroupUpdated_Inbox {
	out := make([]*mlscontents.GroupUpdated_Inbox, len(ids))
	for i, id := range ids {
		out[i] = &mlscontents.GroupUpdated_Inbox{InboxId: id}
	}
	return out
}

func inboxIDs(in []*mlscontents.GroupUpdated_Inbox) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, x := range in {
		out[i] = x.GetInboxId()
	}
	return out
}
