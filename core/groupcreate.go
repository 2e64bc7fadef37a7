package core

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/mls"
)

// CreateGroupOptions are the creator's choices for a new group.
type CreateGroupOptions struct {
	Name, Description, ImageURL, AppData string
	// Policies are the group's permissions; nil means permissions.Default().
	Policies *permissions.PolicySet
	// Disappearing, when set, makes messages disappear (any member's client honours it).
	Disappearing *metadata.Disappearing
}

// CreateGroup creates a group and adds the given inboxes with all their installations (and
// this inbox's other installations) in its first commit. An empty list makes a group of one.
func (cv *Conversations) CreateGroup(ctx context.Context, inboxIDs []string, opts CreateGroupOptions) (*Group, error) {
	policies := permissions.Default()
	if opts.Policies != nil {
		policies = opts.Policies.Clone()
	}
	self := cv.c.InboxID()
	mutable := metadata.NewGroupMutable(self, metadata.GroupOptions{
		Name: opts.Name, Description: opts.Description, ImageURLSquare: opts.ImageURL, AppData: opts.AppData,
		Disappearing: opts.Disappearing,
	})
	for key, value := range mutable.Attributes {
		if err := metadata.CheckAttribute(key, value); err != nil {
			return nil, err
		}
	}
	g, err := cv.newGroup(ctx, metadata.NewGroupImmutable(metadata.ConversationGroup, self), mutable, policies)
	if err != nil {
		return nil, err
	}
	if err := g.AddMembers(ctx, append([]string{self}, inboxIDs...)); err != nil {
		return g, fmt.Errorf("create group: add members: %w", err)
	}
	return g, nil
}

// CreateGroupWithIdentifiers creates a group with the inboxes of wallet addresses.
func (cv *Conversations) CreateGroupWithIdentifiers(ctx context.Context, addresses []string, opts CreateGroupOptions) (*Group, error) {
	ids, err := cv.c.inboxIDsOf(ctx, addresses)
	if err != nil {
		return nil, err
	}
	return cv.CreateGroup(ctx, ids, opts)
}

// newGroup creates the MLS group with this installation as its only member and XMTP's four
// extensions, and stores it. Members are added by a commit afterwards, as libxmtp does.
func (cv *Conversations) newGroup(ctx context.Context, imm metadata.Immutable, mutable metadata.Mutable, policies permissions.PolicySet) (*Group, error) {
	c := cv.c
	self := c.InboxID()
	seq, _, err := c.history.latest(ctx, self)
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	membership := metadata.NewMembership()
	membership.Members[self] = seq
	st := permissions.State{Immutable: imm, Mutable: mutable, Membership: membership, Policies: policies}
	required := mls.RequiredCapabilities{
		Extensions:  metadata.RequiredExtensionTypes,
		Proposals:   []mls.ProposalType{mls.ProposalGroupContextExtensions},
		Credentials: []mls.CredentialType{mls.CredentialBasic},
	}
	exts, err := st.Extensions(mls.Extensions{{Type: mls.ExtensionRequiredCapabilities, Data: required.Encode()}})
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	cred, err := identity.NewCredential(self)
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	m, err := mls.CreateGroup(c.groupConfig(), mls.CreateOptions{
		CipherSuite:         mls.CipherSuiteX25519ChaCha20,
		Credential:          cred,
		SignaturePrivateKey: c.signingKey(),
		Capabilities:        leafCapabilities,
		LeafExtensions:      leafExtensions(self),
		Extensions:          exts,
	})
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	now := uint64(c.opts.Now().UnixNano())
	rec := &groupRecord{Type: imm.ConversationType, CreatedAtNs: now, AddedBy: self, Consent: ConsentAllowed, LastActivityNs: now, InstallationsCheckedNs: now}
	if imm.DMMembers != nil {
		rec.DMID = imm.DMMembers.ID()
	}
	g, err := cv.install(ctx, m, rec, nil)
	if err != nil {
		return nil, err
	}
	// Running streams follow the new conversation as they follow a joined one, so its
	// creator sees its messages live too.
	cv.watch.joined(g)
	return g, nil
}
