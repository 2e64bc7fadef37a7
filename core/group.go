package core

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/mls"
)

// Group is one conversation of the client: a group, a DM, or a hidden device-sync or oneshot
// group. It holds the live MLS state behind its stored record; every change of the two is
// one store Apply, made under the group's lock, so what is in memory is what is stored.
// Methods are safe for concurrent use.
type Group struct {
	c  *Client
	id []byte

	mu    sync.Mutex // serialises everything that reads or changes rec, mls and fresh
	rec   *groupRecord
	mls   *mls.Group
	fresh []*messageRecord // messages added since the last save, announced to streams by it
	// failed holds why intents failed in the current sync round (they are deleted then), for
	// awaitIntent to report.
	failed map[uint64]error
	// commitLogQuiet is when (Unix ns) the commit log may next be due (commitlog.go); until
	// then SyncAll need not read the store to know it is not. 0: not known.
	commitLogQuiet int64
	// pointers are the welcome pointers of the last commit published here, sealed in the
	// background until its welcomes are sent (welcomepointers.go).
	pointers *pointerSeal
}

func newLiveGroup(c *Client, id []byte, rec *groupRecord, m *mls.Group) *Group {
	return &Group{c: c, id: clone(id), rec: rec, mls: m, failed: map[uint64]error{}}
}

// ID is the MLS group id.
func (g *Group) ID() []byte { return clone(g.id) }

// CreatedAtNs is when the group was created here (or joined, for a welcome).
func (g *Group) CreatedAtNs() int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return int64(g.rec.CreatedAtNs)
}

// AddedByInboxID is the inbox that added this installation to the group: this client's own
// inbox for groups it created.
func (g *Group) AddedByInboxID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.AddedBy
}

// ConversationType says whether the group is a group, a DM, or a hidden kind.
func (g *Group) ConversationType() metadata.ConversationType {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.Type
}

// DMID is the DM's dm_id, empty for other conversations.
func (g *Group) DMID() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rec.DMID
}

// IsActive reports whether this installation is still a member: false once a commit removed it.
func (g *Group) IsActive() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mls.Active() == nil
}

// Epoch is the group's current MLS epoch.
func (g *Group) Epoch() uint64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mls.Epoch()
}

// Metadata returns the group's XMTP state: immutable and mutable metadata, membership and
// policies, as of the current epoch.
func (g *Group) Metadata() (permissions.State, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stateLocked()
}

func (g *Group) stateLocked() (permissions.State, error) {
	st, err := permissions.ReadState(g.mls.Extensions())
	if err != nil {
		return permissions.State{}, fmt.Errorf("group %x: %w", g.id, err)
	}
	return st, nil
}

// Name, Description and ImageURL are the mutable-metadata attributes of those names.
func (g *Group) Name() string        { return g.attribute(metadata.AttrGroupName) }
func (g *Group) Description() string { return g.attribute(metadata.AttrDescription) }
func (g *Group) ImageURL() string    { return g.attribute(metadata.AttrGroupImageURLSquare) }

func (g *Group) attribute(key string) string {
	st, err := g.Metadata()
	if err != nil {
		return ""
	}
	return st.Mutable.Attributes[key]
}

// Member is one inbox of a group: its wallets (at the sequence id the group pins), the
// installations it has in the tree, and its role.
type Member struct {
	InboxID         string
	SequenceID      uint64
	Addresses       []string // Ethereum addresses of the inbox
	InstallationIDs [][]byte
	IsAdmin         bool
	IsSuperAdmin    bool
}

// Members lists the group's member inboxes, from its membership extension and tree; the
// addresses come from the members' identity logs (cached, fetched when not yet known).
func (g *Group) Members(ctx context.Context) ([]Member, error) {
	g.mu.Lock()
	st, err := g.stateLocked()
	leaves := leafInboxes(g.mls)
	g.mu.Unlock()
	if err != nil {
		return nil, err
	}
	states, err := g.c.history.statesAt(ctx, st.Membership.Members)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	installations := map[string][][]byte{}
	for key, inbox := range leaves {
		installations[inbox] = append(installations[inbox], []byte(key))
	}
	out := make([]Member, 0, len(st.Membership.Members))
	for _, id := range st.Membership.InboxIDs() {
		m := Member{InboxID: id, SequenceID: st.Membership.Members[id], IsAdmin: st.Mutable.IsAdmin(id), IsSuperAdmin: st.Mutable.IsSuperAdmin(id)}
		m.InstallationIDs = installations[id]
		slices.SortFunc(m.InstallationIDs, bytes.Compare)
		for _, w := range states[id].Members() {
			if w.ID.Kind == identity.KindEthereum {
				m.Addresses = append(m.Addresses, w.ID.Address())
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// leafInboxes maps the signature key of every leaf of the tree to the inbox its credential
// names; leaves with unreadable credentials map to "".
func leafInboxes(g *mls.Group) map[string]string {
	out := map[string]string{}
	for _, leaf := range g.Members() {
		inbox, _ := identity.CredentialInboxID(leaf.Credential)
		out[string(leaf.SignatureKey)] = inbox
	}
	return out
}

// groupConfig is the MLS configuration of every XMTP group: libxmtp's (three past epochs,
// pure ciphertext, no padding), with credentials required to name an inbox.
func (c *Client) groupConfig() mls.GroupConfig {
	return mls.GroupConfig{
		Rand: c.opts.Rand,
		Now:  c.opts.Now,
		CheckCredential: func(leaf *mls.LeafNode) error {
			_, err := identity.CredentialInboxID(leaf.Credential)
			return err
		},
	}
}

// save stores the group's next MLS state and record together with other changes in one Apply,
// then installs them. On failure the in-memory state is reloaded from the store, since
// processing may already have consumed keys of the live group. The caller holds g.mu.
func (g *Group) save(ctx context.Context, next *mls.Group, rec *groupRecord, other store.Changes) error {
	state, err := next.MarshalBinary()
	if err != nil {
		return fmt.Errorf("group %x: serialize: %w", g.id, err)
	}
	r := *rec
	r.State = state
	other.Put(tableGroups, g.id, r.encode())
	fresh := g.fresh
	g.fresh = nil
	if err := g.c.opts.Store.Apply(ctx, other); err != nil {
		if reloaded, rerr := mls.UnmarshalGroup(g.c.groupConfig(), g.rec.State); rerr == nil {
			g.mls = reloaded
		}
		return fmt.Errorf("group %x: save: %w", g.id, err)
	}
	g.rec, g.mls = &r, next
	if len(fresh) > 0 && r.Type.Listed() {
		g.c.conversations.watch.stored(g, fresh)
	}
	return nil
}
