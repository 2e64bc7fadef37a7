package identity

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// Member is one member of an inbox and how it got there.
type Member struct {
	ID MemberID
	// AddedBy is the member (or recovery identifier) whose signature added this one; nil for
	// the inbox's creator. Revoking AddedBy also revokes this member if it is an installation.
	AddedBy *MemberID
	// ClientTimestampNs is the timestamp of the update that added the member; nil for the
	// creator.
	ClientTimestampNs *uint64
	// ChainID is the chain of a smart-contract wallet; later signatures must come from it.
	ChainID *uint64
}

// State is an inbox's association state: its members, its recovery identifier, and every
// signature already used. Values are never modified once returned; applying an update makes
// a new State.
type State struct {
	inboxID  string
	members  map[MemberID]Member
	recovery MemberID
	seen     map[string]struct{}
	// updates counts the updates applied, against MaxInboxUpdates.
	updates int
}

func newState(owner MemberID, inboxID string, chainID *uint64) *State {
	return &State{
		inboxID:  inboxID,
		members:  map[MemberID]Member{owner: {ID: owner, ChainID: chainID}},
		recovery: owner,
		seen:     map[string]struct{}{},
	}
}

func (s *State) clone() *State {
	return &State{inboxID: s.inboxID, members: maps.Clone(s.members), recovery: s.recovery, seen: maps.Clone(s.seen), updates: s.updates}
}

// InboxID returns the inbox this state belongs to.
func (s *State) InboxID() string { return s.inboxID }

// RecoveryIdentifier returns the member allowed to revoke members and move recovery.
func (s *State) RecoveryIdentifier() MemberID { return s.recovery }

// Member returns a member by id.
func (s *State) Member(id MemberID) (Member, bool) {
	m, ok := s.members[id]
	return m, ok
}

// Members returns every member, oldest first (the creator first), ties broken by id so the
// order is stable.
func (s *State) Members() []Member {
	members := slices.Collect(maps.Values(s.members))
	slices.SortFunc(members, func(a, b Member) int {
		if c := cmp.Compare(timestampOrLast(a), timestampOrLast(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ID.Kind, b.ID.Kind); c != 0 {
			return c
		}
		return cmp.Compare(a.ID.key, b.ID.key)
	})
	return members
}

// timestampOrLast sorts members without a timestamp last, as libxmtp does; only the creator
// has none, and a state has only one creator.
func timestampOrLast(m Member) uint64 {
	if m.ClientTimestampNs == nil {
		return ^uint64(0)
	}
	return *m.ClientTimestampNs
}

// Installations returns the public keys of the inbox's installations, oldest first.
func (s *State) Installations() [][]byte {
	var keys [][]byte
	for _, m := range s.Members() {
		if m.ID.Kind == KindInstallation {
			keys = append(keys, m.ID.PublicKey())
		}
	}
	return keys
}

// MaxInstallationsPerInbox is how many installations libxmtp lets an inbox have before it
// refuses to register another (MAX_INSTALLATIONS_PER_INBOX). It binds the registering client
// only: validation accepts longer histories, as libxmtp and XMTP's node do.
const MaxInstallationsPerInbox = 10

// CanAddInstallation is the registering client's check: ErrTooManyInstallations once the
// inbox has MaxInstallationsPerInbox installations, so the user revokes one first.
func (s *State) CanAddInstallation() error {
	if n := len(s.Installations()); n >= MaxInstallationsPerInbox {
		return fmt.Errorf("%w: inbox has %d", ErrTooManyInstallations, n)
	}
	return nil
}

// HasInstallation reports whether the installation key is a current member.
func (s *State) HasInstallation(publicKey []byte) bool {
	_, ok := s.members[InstallationMember(publicKey)]
	return ok
}

// Proto returns the wire form of the state, members oldest first and seen signatures sorted.
func (s *State) Proto() *associations.AssociationState {
	p := &associations.AssociationState{
		InboxId:                s.inboxID,
		RecoveryIdentifier:     s.recovery.String(),
		RecoveryIdentifierKind: s.recovery.identifierKind(),
	}
	for _, m := range s.Members() {
		value := &associations.Member{Identifier: m.ID.Proto(), ClientTimestampNs: m.ClientTimestampNs, AddedOnChainId: m.ChainID}
		if m.AddedBy != nil {
			value.AddedByEntity = m.AddedBy.Proto()
		}
		p.Members = append(p.Members, &associations.MemberMap{Key: m.ID.Proto(), Value: value})
	}
	for _, sig := range slices.Sorted(maps.Keys(s.seen)) {
		p.SeenSignatures = append(p.SeenSignatures, []byte(sig))
	}
	return p
}
