package permissions_test

import (
	"errors"
	"fmt"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
)

// A receiver checks a commit that renames the group and adds a member: first as sent by a
// plain member of an admins-only group, then by its super admin.
func ExampleValidate() {
	members := metadata.NewMembership()
	members.Members["creator"], members.Members["alice"] = 1, 1
	old := permissions.State{
		Immutable:  metadata.NewGroupImmutable(metadata.ConversationGroup, "creator"),
		Mutable:    metadata.NewGroupMutable("creator", metadata.GroupOptions{Name: "team"}),
		Membership: members,
		Policies:   permissions.AdminsOnly(),
	}
	next := old
	next.Mutable, _ = old.Mutable.WithAttribute(metadata.AttrGroupName, "team 2")
	next.Membership = old.Membership.Clone()
	next.Membership.Members["bob"] = 3

	_, err := permissions.Validate("alice", old, next)
	fmt.Println(errors.Is(err, permissions.ErrDenied), err)

	summary, _ := permissions.Validate("creator", old, next)
	fmt.Printf("%+v\n", summary.Transcript("creator", nil).Added)
	// Output:
	// true add [bob]: permissions: not allowed by the group's policies
	// [bob]
}
