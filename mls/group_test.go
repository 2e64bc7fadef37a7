package mls

import (
	"bytes"
	"errors"
	"testing"
)

func seededConfig(i int) GroupConfig { return groupTestConfig(uint64(100 + i)) }

func sameEpoch(t *testing.T, groups ...*Group) {
	t.Helper()
	for _, g := range groups[1:] {
		if g.Epoch() != groups[0].Epoch() || !bytes.Equal(g.EpochAuthenticator(), groups[0].EpochAuthenticator()) {
			t.Fatalf("leaf %d at epoch %d disagrees with leaf %d at epoch %d", g.OwnLeafIndex(), g.Epoch(), groups[0].OwnLeafIndex(), groups[0].Epoch())
		}
	}
}

func TestGroupLifecycle(t *testing.T) {
	gs := newTestGroupOf(t, 4, seededConfig)
	a, b, c, d := gs[0], gs[1], gs[2], gs[3]
	sameEpoch(t, gs...)

	msg, err := a.Encrypt([]byte("hello"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range deliver(t, msg, b, c, d) {
		if string(pm.ApplicationData) != "hello" || string(pm.AuthenticatedData) != "aad" || pm.Sender.Index != 0 {
			t.Fatalf("got %+v", pm)
		}
	}
	if _, err := b.Process(viaWire(t, msg)); !errors.Is(err, ErrGenerationConsumed) {
		t.Fatalf("replay: %v", err)
	}

	// A self-update by b, committed with a path.
	res := commitAndMerge(t, b, CommitOptions{})
	deliver(t, res.Commit, a, c, d)
	sameEpoch(t, gs...)

	// c removes d; d learns it was removed and can no longer read the group.
	res = commitAndMerge(t, c, CommitOptions{Removes: []LeafIndex{d.OwnLeafIndex()}})
	deliver(t, res.Commit, a, b)
	pm := deliver(t, res.Commit, d)[0]
	if !pm.Commit.SelfRemoved || d.Active() == nil {
		t.Fatal("removed member not told")
	}
	sameEpoch(t, a, b, c)
	msg, err = c.Encrypt([]byte("secret"), nil)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, msg, a, b)
	if _, err := d.Process(viaWire(t, msg)); !errors.Is(err, ErrWrongEpoch) {
		t.Fatalf("removed member decrypts: %v", err)
	}
	if a.MemberCount() != 3 {
		t.Fatalf("%d members", a.MemberCount())
	}
}

// TestPastEpochs shows late application messages opening for MaxPastEpochs epochs after
// their own, and never after: the epoch's keys are deleted, not merely refused.
func TestPastEpochs(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a, b := gs[0], gs[1]
	var late []*MLSMessage
	for range DefaultMaxPastEpochs + 1 {
		m, err := a.Encrypt([]byte("late"), nil)
		if err != nil {
			t.Fatal(err)
		}
		late = append(late, m)
		deliver(t, commitAndMerge(t, a, CommitOptions{}).Commit, b)
	}
	// late[0] is now DefaultMaxPastEpochs+1 epochs old, the others within reach.
	for k, m := range late[1:] {
		if pm := deliver(t, m, b)[0]; pm.Epoch != uint64(k+2) {
			t.Fatalf("late message %d reports epoch %d", k+1, pm.Epoch)
		}
	}
	_, err := b.Process(viaWire(t, late[0]))
	wantErr(t, err, ErrEpochUnavailable)
	for _, p := range b.past {
		if p.gc.Epoch == late[0].PrivateMessage.Epoch {
			t.Fatal("keys of a deleted epoch are still held")
		}
	}
	if len(b.past) != DefaultMaxPastEpochs {
		t.Fatalf("%d past epochs kept", len(b.past))
	}
}

// TestForwardSecrecyOfDeletedEpoch proves that the state a member keeps after an epoch is
// deleted cannot open that epoch's messages, whatever the code path: its serialized state
// holds no key for it.
func TestForwardSecrecyOfDeletedEpoch(t *testing.T) {
	one := func(i int) GroupConfig {
		cfg := seededConfig(i)
		cfg.MaxPastEpochs = 1
		return cfg
	}
	gs := newTestGroupOf(t, 2, one)
	a, b := gs[0], gs[1]
	m, err := a.Encrypt([]byte("gone"), nil)
	if err != nil {
		t.Fatal(err)
	}
	senderData := b.cur.secrets.SenderData
	for range 2 {
		deliver(t, commitAndMerge(t, a, CommitOptions{}).Commit, b)
	}
	state, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	restored, err := UnmarshalGroup(one(1), state)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range restored.past {
		if string(p.senderData) == string(senderData) {
			t.Fatal("the deleted epoch's sender data secret survived")
		}
	}
	if _, err := restored.Process(viaWire(t, m)); !errors.Is(err, ErrEpochUnavailable) {
		t.Fatalf("deleted epoch: %v", err)
	}
}

// TestOutOfOrderApplicationMessages delivers messages out of order and replays one.
func TestOutOfOrderApplicationMessages(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a, b := gs[0], gs[1]
	var ms []*MLSMessage
	for range RatchetOutOfOrder + 1 {
		m, err := a.Encrypt([]byte("m"), nil)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	deliver(t, ms[len(ms)-1], b)
	for _, m := range ms[1 : len(ms)-1] {
		deliver(t, m, b)
	}
	_, err := b.Process(viaWire(t, ms[len(ms)-2]))
	wantErr(t, err, ErrGenerationConsumed)
}

// TestProposalsByReference has members propose adds, removes and updates that another
// member commits, and checks what the StagedCommit reports to the layer above.
func TestProposalsByReference(t *testing.T) {
	gs := newTestGroupOf(t, 4, seededConfig)
	a, b, c, d := gs[0], gs[1], gs[2], gs[3]
	newcomer := newGroupTestClient(t, a.CipherSuite(), "newcomer")
	add, _, err := b.Propose(AddProposal{KeyPackage: newcomer.bundle.KeyPackage})
	if err != nil {
		t.Fatal(err)
	}
	remove, _, err := b.Propose(RemoveProposal{Removed: uint32(d.OwnLeafIndex())})
	if err != nil {
		t.Fatal(err)
	}
	update, _, err := c.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, add, a, c, d)
	deliver(t, remove, a, c, d)
	deliver(t, update, a, b, d)
	oldLeaf := c.Member(c.OwnLeafIndex())
	res := commitAndMerge(t, a, CommitOptions{})
	pms := deliver(t, res.Commit, b, c, d)
	sc := pms[0].Commit
	if len(sc.Adds) != 1 || sc.Adds[0].Proposer.Index != uint32(b.OwnLeafIndex()) || len(sc.Removes) != 1 ||
		sc.Removes[0].Leaf != d.OwnLeafIndex() || len(sc.Updates) != 1 || !bytes.Equal(sc.Updates[0].Old.Encode(), oldLeaf.Encode()) || sc.Committer != 0 || !sc.HasPath {
		t.Fatalf("staged commit reports %+v", sc)
	}
	if !pms[2].Commit.SelfRemoved {
		t.Fatal("d not told of its removal")
	}
	n, err := JoinGroup(seededConfig(7), viaWire(t, res.Welcome).Welcome, JoinOptions{KeyPackage: newcomer.bundle, SignaturePrivateKey: newcomer.sigPriv})
	if err != nil {
		t.Fatal(err)
	}
	if n.OwnLeafIndex() != sc.Adds[0].Leaf {
		t.Fatalf("newcomer at leaf %d, commit says %d", n.OwnLeafIndex(), sc.Adds[0].Leaf)
	}
	sameEpoch(t, a, b, c, n)
	msg, err := c.Encrypt([]byte("with the new key"), nil)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, msg, a, b, n)
}

// staticPSKs serves one external PSK.
type staticPSKs struct{ id, secret []byte }

func (s staticPSKs) ExternalPSK(id []byte) ([]byte, bool) {
	return s.secret, string(id) == string(s.id)
}
func (staticPSKs) ResumptionPSK([]byte, uint64) ([]byte, bool) { return nil, false }

// TestPSKAndExtensions commits an external PSK (to members and a joiner), a resumption PSK,
// and new group context extensions with a custom type and required capabilities.
func TestPSKAndExtensions(t *testing.T) {
	psk := staticPSKs{id: []byte("shared"), secret: []byte("a shared secret")}
	withPSK := func(i int) GroupConfig {
		cfg := seededConfig(i)
		cfg.PSKs = psk
		return cfg
	}
	gs := newTestGroupOf(t, 2, withPSK)
	a, b := gs[0], gs[1]
	external, err := a.ExternalPSKID(psk.id)
	if err != nil {
		t.Fatal(err)
	}
	joinerClient := newGroupTestClient(t, a.CipherSuite(), "psk joiner")
	res := commitAndMerge(t, a, CommitOptions{PSKs: []PreSharedKeyID{external}, Adds: []KeyPackage{joinerClient.bundle.KeyPackage}})
	deliver(t, res.Commit, b)
	joiner, err := JoinGroup(withPSK(3), res.Welcome.Welcome, JoinOptions{KeyPackage: joinerClient.bundle, SignaturePrivateKey: joinerClient.sigPriv})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := JoinGroup(seededConfig(4), res.Welcome.Welcome, JoinOptions{KeyPackage: joinerClient.bundle, SignaturePrivateKey: joinerClient.sigPriv}); !errors.Is(err, ErrPSKUnknown) {
		t.Fatalf("join without the PSK: %v", err)
	}
	sameEpoch(t, a, b, joiner)

	resumption, err := b.ResumptionPSKID(b.Epoch() - 1)
	if err != nil {
		t.Fatal(err)
	}
	res = commitAndMerge(t, b, CommitOptions{PSKs: []PreSharedKeyID{resumption}})
	deliver(t, res.Commit, a)
	_, err = joiner.Process(viaWire(t, res.Commit))
	wantErr(t, err, ErrPSKUnknown) // the joiner was not there in that epoch

	custom := Extension{Type: 0xff00, Data: []byte("custom")}
	if _, err := a.Commit(CommitOptions{GroupContextExtensions: &Extensions{custom}}); !errors.Is(err, ErrGCEUnsupported) {
		t.Fatalf("custom extension no member supports: %v", err)
	}
	req := RequiredCapabilities{Proposals: []ProposalType{ProposalAdd}}
	exts := Extensions{{Type: ExtensionRequiredCapabilities, Data: req.Encode()}}
	res = commitAndMerge(t, a, CommitOptions{GroupContextExtensions: &exts})
	pm := deliver(t, res.Commit, b)[0]
	if !pm.Commit.NewExtensions.Has(ExtensionRequiredCapabilities) || !b.Extensions().Has(ExtensionRequiredCapabilities) {
		t.Fatal("new extensions not reported or not installed")
	}
}

// TestCommitSkipsConflictingPending has two members propose removing the same member and the
// member update too; the committer commits one removal and drops the conflicting proposals.
func TestCommitSkipsConflictingPending(t *testing.T) {
	gs := newTestGroupOf(t, 4, seededConfig)
	a, b, c, d := gs[0], gs[1], gs[2], gs[3]
	for _, g := range []*Group{b, c} {
		msg, _, err := g.Propose(RemoveProposal{Removed: uint32(d.OwnLeafIndex())})
		if err != nil {
			t.Fatal(err)
		}
		deliver(t, msg, a)
	}
	update, _, err := d.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, update, a)
	res := commitAndMerge(t, a, CommitOptions{})
	if len(res.Staged.Removes) != 1 || len(res.Staged.Updates) != 0 || len(res.Staged.Proposals) != 1 {
		t.Fatalf("committed %d proposals", len(res.Staged.Proposals))
	}
}

// TestReInit commits a ReInit proposal: the group's last epoch is reached and no member can
// send in it any more.
func TestReInit(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a, b := gs[0], gs[1]
	reinit := ReInitProposal{GroupID: []byte("next group"), Version: ProtocolVersionMLS10, CipherSuite: a.CipherSuite()}
	res := commitAndMerge(t, a, CommitOptions{Proposals: []Proposal{reinit}})
	pm := deliver(t, res.Commit, b)[0]
	if pm.Commit.ReInit == nil || string(pm.Commit.ReInit.GroupID) != "next group" || pm.Commit.HasPath {
		t.Fatalf("reinit reported as %+v", pm.Commit.ReInit)
	}
	for _, g := range gs {
		if _, err := g.Encrypt([]byte("x"), nil); !errors.Is(err, ErrGroupInactive) {
			t.Fatalf("send after reinit: %v", err)
		}
	}
}

// TestRatchetTreeOutOfBand adds a member with a GroupInfo that leaves the tree out; the
// joiner gets the tree separately.
func TestRatchetTreeOutOfBand(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a, b := gs[0], gs[1]
	newcomer := newGroupTestClient(t, a.CipherSuite(), "out of band")
	res := commitAndMerge(t, a, CommitOptions{Adds: []KeyPackage{newcomer.bundle.KeyPackage}, RatchetTreeOutOfBand: true, ForcePath: true})
	deliver(t, res.Commit, b)
	if res.GroupInfo.GroupInfo.Extensions.Has(ExtensionRatchetTree) {
		t.Fatal("group info carries the tree")
	}
	opts := JoinOptions{KeyPackage: newcomer.bundle, SignaturePrivateKey: newcomer.sigPriv}
	if _, err := JoinGroup(seededConfig(8), res.Welcome.Welcome, opts); !errors.Is(err, ErrRatchetTreeMissing) {
		t.Fatalf("join without a tree: %v", err)
	}
	opts.RatchetTree = a.RatchetTree()
	n, err := JoinGroup(seededConfig(8), res.Welcome.Welcome, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameEpoch(t, a, b, n)
	// The path secret from the Welcome gives the newcomer the committer's path keys: it can
	// follow a commit that encrypts to them.
	deliver(t, commitAndMerge(t, b, CommitOptions{}).Commit, a, n)
	sameEpoch(t, a, b, n)
}
