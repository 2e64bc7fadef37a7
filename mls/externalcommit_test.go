package mls

import (
	"errors"
	"testing"
)

// TestJoinExternal has a client join by external commit from a GroupInfo with external_pub;
// the members follow, and the joiner can then talk with them.
func TestJoinExternal(t *testing.T) {
	plain := func(i int) GroupConfig {
		cfg := seededConfig(i)
		cfg.WireFormat = MixedPlaintext
		return cfg
	}
	gs := newTestGroupOf(t, 3, plain)
	a, b := gs[0], gs[1]
	// Leave a blank leaf for the joiner to take.
	deliver(t, commitAndMerge(t, a, CommitOptions{Removes: []LeafIndex{2}}).Commit, b)
	gi, err := a.GroupInfo(GroupInfoOptions{ExternalPub: true})
	if err != nil {
		t.Fatal(err)
	}
	joinerClient := newGroupTestClient(t, a.CipherSuite(), "external joiner")
	opts := ExternalJoinOptions{
		GroupInfo:           viaWire(t, gi).GroupInfo,
		Credential:          NewBasicCredential([]byte(joinerClient.name)),
		SignaturePrivateKey: joinerClient.sigPriv,
	}
	joiner, commit, err := JoinExternal(plain(5), opts)
	if err != nil {
		t.Fatal(err)
	}
	pms := deliver(t, commit, a, b)
	if sc := pms[0].Commit; !sc.External || sc.Committer != joiner.OwnLeafIndex() || joiner.OwnLeafIndex() != 2 ||
		string(sc.Member(sc.Committer).Credential.Data) != joinerClient.name {
		t.Fatalf("external commit staged as %+v, joiner at leaf %d", sc, joiner.OwnLeafIndex())
	}
	sameEpoch(t, a, b, joiner)
	msg, err := joiner.Encrypt([]byte("hello from outside"), nil)
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, msg, a, b)
	deliver(t, commitAndMerge(t, b, CommitOptions{}).Commit, a, joiner)
	sameEpoch(t, a, b, joiner)

	gi, err = a.GroupInfo(GroupInfoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opts.GroupInfo = gi.GroupInfo
	if _, _, err := JoinExternal(plain(6), opts); !errors.Is(err, ErrExternalPubMissing) {
		t.Fatalf("group info without external_pub: %v", err)
	}
}

// TestExternalCommitProposals checks RFC 9420 §12.4.3.2's limits on what an external commit
// may propose.
func TestExternalCommitProposals(t *testing.T) {
	g := newTestGroupOf(t, 2, seededConfig)[0]
	joiner := Sender{Type: SenderNewMemberCommit}
	init := proposalEntry{proposal: ExternalInitProposal{KEMOutput: make([]byte, 32)}, sender: joiner}
	add := proposalEntry{proposal: AddProposal{KeyPackage: newGroupTestClient(t, g.CipherSuite(), "x").bundle.KeyPackage}, sender: joiner}
	for name, entries := range map[string][]proposalEntry{
		"no ExternalInit":  {},
		"two ExternalInit": {init, init},
		"an Add":           {init, add},
		"by reference":     {init, {proposal: RemoveProposal{Removed: 1}, sender: joiner, ref: make([]byte, 32)}},
	} {
		if _, err := g.applyProposals(joiner, entries); !errors.Is(err, ErrExternalCommitProposals) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
