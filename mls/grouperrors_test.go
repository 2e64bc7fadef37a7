package mls

import (
	"errors"
	"testing"
)

// forgeCommit has g send a commit of the given proposals and path without any of the checks
// Commit makes, as a buggy or malicious member could; its confirmation tag is garbage, so
// only errors found before the key schedule can be provoked with it.
func forgeCommit(t *testing.T, g *Group, commit *Commit) *MLSMessage {
	t.Helper()
	ac, err := g.sign(WireFormatPrivateMessage, FramedContent{ContentType: ContentTypeCommit, Commit: commit})
	if err != nil {
		t.Fatal(err)
	}
	ac.Auth.ConfirmationTag = make([]byte, g.CipherSuite().HashSize())
	msg, err := g.wrap(ac)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// retag recomputes the membership tag of a PublicMessage altered by a test, so that the
// check under test is the one that fails.
func retag(g *Group, pm *PublicMessage) {
	pm.MembershipTag = g.CipherSuite().membershipTag(g.cur.secrets.Membership, &pm.Content, &pm.Auth, &g.cur.gc)
}

func byValue(ps ...Proposal) []ProposalOrRef {
	out := make([]ProposalOrRef, len(ps))
	for k, p := range ps {
		out[k] = ProposalOrRef{Proposal: p}
	}
	return out
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
}

// TestCommitValidationErrors sends one invalid commit per rule of RFC 9420 §12.2 and
// §12.4.2 and checks that the receiver refuses it with the rule's own error.
func TestCommitValidationErrors(t *testing.T) {
	gs := newTestGroupOf(t, 4, seededConfig)
	a, b, c := gs[0], gs[1], gs[2]
	cs := a.CipherSuite()
	fresh := newGroupTestClient(t, cs, "fresh").bundle.KeyPackage
	other := newGroupTestClient(t, CipherSuiteX25519AES128GCM, "suite-1").bundle.KeyPackage
	updateMsg, updateRef, err := c.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, updateMsg, a, b)
	ownMsg, ownRef, err := a.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, ownMsg, b)
	ext := Extensions{}
	cases := []struct {
		name   string
		commit Commit
		want   error
	}{
		{"path required", Commit{Proposals: byValue(RemoveProposal{Removed: 3})}, ErrPathRequired},
		{"committer removed", Commit{Proposals: byValue(RemoveProposal{Removed: 0})}, ErrCommitterRemoved},
		{"remove twice", Commit{Proposals: byValue(RemoveProposal{Removed: 3}, RemoveProposal{Removed: 3})}, ErrDuplicateRemove},
		{"remove blank", Commit{Proposals: byValue(RemoveProposal{Removed: 9})}, ErrRemoveNonMember},
		{"update and remove", Commit{Proposals: append([]ProposalOrRef{{Reference: updateRef}}, byValue(RemoveProposal{Removed: 2})...)}, ErrDuplicateUpdate},
		{"committer update", Commit{Proposals: []ProposalOrRef{{Reference: ownRef}}}, ErrCommitterUpdate},
		{"add twice", Commit{Proposals: byValue(AddProposal{KeyPackage: fresh}, AddProposal{KeyPackage: fresh})}, ErrDuplicateAdd},
		{"add other suite", Commit{Proposals: byValue(AddProposal{KeyPackage: other})}, ErrAddCipherSuite},
		{"add member again", Commit{Proposals: byValue(AddProposal{KeyPackage: newGroupTestClient(t, cs, "member-1").bundle.KeyPackage})}, ErrDuplicateSignatureKey},
		{"reinit not alone", Commit{Proposals: byValue(ReInitProposal{GroupID: []byte("g2"), Version: ProtocolVersionMLS10, CipherSuite: cs}, AddProposal{KeyPackage: fresh})}, ErrReInitNotAlone},
		{"external init", Commit{Proposals: byValue(ExternalInitProposal{KEMOutput: make([]byte, 32)})}, ErrExternalInitInMemberCommit},
		{"two GCE", Commit{Proposals: byValue(GroupContextExtensionsProposal{Extensions: ext}, GroupContextExtensionsProposal{Extensions: ext})}, ErrMultipleGCE},
		{"GCE unsupported", Commit{Proposals: byValue(GroupContextExtensionsProposal{Extensions: Extensions{{Type: 0xff99, Data: []byte{1}}}})}, ErrGCEUnsupported},
		{"proposal unsupported", Commit{Proposals: byValue(UnknownProposal{ProposalType: 0x0f0f, Data: []byte{1}})}, ErrProposalUnsupported},
		{"unknown reference", Commit{Proposals: []ProposalOrRef{{Reference: make([]byte, 32)}}}, ErrUnknownProposalRef},
		{"reference twice", Commit{Proposals: []ProposalOrRef{{Reference: updateRef}, {Reference: updateRef}}}, ErrDuplicateProposal},
		{"PSK nonce", Commit{Proposals: byValue(PreSharedKeyProposal{PSK: PreSharedKeyID{Type: PSKExternal, ID: []byte("x"), Nonce: []byte{1}}})}, ErrPSKNonceSize},
		{"PSK unknown", Commit{Proposals: byValue(PreSharedKeyProposal{PSK: PreSharedKeyID{Type: PSKExternal, ID: []byte("x"), Nonce: make([]byte, 32)}})}, ErrPSKUnknown},
		{"confirmation tag", Commit{Proposals: byValue(AddProposal{KeyPackage: fresh})}, ErrConfirmationTag},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := b.Process(forgeCommit(t, a, &tc.commit))
			wantErr(t, err, tc.want)
		})
	}
	if b.Epoch() != a.Epoch() {
		t.Fatal("a refused commit changed the receiver's epoch")
	}
}

// TestMessageErrors checks the refusals of Process that concern framing and authentication.
func TestMessageErrors(t *testing.T) {
	plain := func(i int) GroupConfig {
		cfg := seededConfig(i)
		cfg.WireFormat = MixedPlaintext
		return cfg
	}
	gs := newTestGroupOf(t, 3, plain)
	a, b, c := gs[0], gs[1], gs[2]
	proposal := func() *PublicMessage {
		t.Helper()
		msg, _, err := a.Propose(RemoveProposal{Removed: 2})
		if err != nil {
			t.Fatal(err)
		}
		return viaWire(t, msg).PublicMessage
	}
	public := func(pm *PublicMessage) *MLSMessage {
		return &MLSMessage{WireFormat: WireFormatPublicMessage, PublicMessage: pm}
	}

	t.Run("wrong group", func(t *testing.T) {
		msg, err := a.Encrypt([]byte("x"), nil)
		if err != nil {
			t.Fatal(err)
		}
		msg.PrivateMessage.GroupID = []byte("another group")
		_, err = b.Process(msg)
		wantErr(t, err, ErrWrongGroup)
	})
	t.Run("tampered ciphertext", func(t *testing.T) {
		for _, tc := range []struct {
			at   func(n int) int
			want error
		}{
			{func(int) int { return 0 }, ErrSenderData},           // inside the sender data key's sample
			{func(n int) int { return n - 1 }, ErrPrivateContent}, // only the content's tag
		} {
			msg, err := a.Encrypt([]byte("a message long enough to extend past the sample"), nil)
			if err != nil {
				t.Fatal(err)
			}
			ct := msg.PrivateMessage.Ciphertext
			ct[tc.at(len(ct))] ^= 1
			_, err = b.Process(viaWire(t, msg))
			wantErr(t, err, tc.want)
		}
	})
	t.Run("membership tag", func(t *testing.T) {
		pm := proposal()
		pm.MembershipTag[0] ^= 1
		_, err := b.Process(public(pm))
		wantErr(t, err, ErrMembershipTag)
	})
	t.Run("sender not member", func(t *testing.T) {
		pm := proposal()
		pm.Content.Sender.Index = 7
		retag(a, pm)
		_, err := b.Process(public(pm))
		wantErr(t, err, ErrSenderNotMember)
	})
	t.Run("signature", func(t *testing.T) {
		pm := proposal()
		pm.Content.AuthenticatedData = []byte("tampered")
		retag(a, pm)
		_, err := b.Process(public(pm))
		wantErr(t, err, ErrContentSignature)
	})
	t.Run("external sender", func(t *testing.T) {
		pm := proposal()
		pm.Content.Sender = Sender{Type: SenderExternal}
		_, err := b.Process(public(pm))
		wantErr(t, err, ErrExternalSender)
	})
	t.Run("new member proposal", func(t *testing.T) {
		pm := proposal()
		pm.Content.Sender = Sender{Type: SenderNewMemberProposal}
		_, err := b.Process(public(pm))
		wantErr(t, err, ErrProposalSender)
	})
	t.Run("external commit without path", func(t *testing.T) {
		res, err := a.Commit(CommitOptions{SkipPending: true, Adds: []KeyPackage{newGroupTestClient(t, a.CipherSuite(), "pathless").bundle.KeyPackage}})
		if err != nil {
			t.Fatal(err)
		}
		pm := viaWire(t, res.Commit).PublicMessage
		pm.Content.Sender = Sender{Type: SenderNewMemberCommit}
		_, err = b.Process(public(pm))
		wantErr(t, err, ErrPathRequired)
	})
	t.Run("own commit", func(t *testing.T) {
		res, err := a.Commit(CommitOptions{SkipPending: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Process(viaWire(t, res.Commit))
		wantErr(t, err, ErrOwnCommit)
	})
	t.Run("confirmation tag", func(t *testing.T) {
		res, err := a.Commit(CommitOptions{SkipPending: true})
		if err != nil {
			t.Fatal(err)
		}
		pm := viaWire(t, res.Commit).PublicMessage
		pm.Auth.ConfirmationTag[0] ^= 1
		retag(a, pm)
		_, err = b.Process(public(pm))
		wantErr(t, err, ErrConfirmationTag)
	})
	t.Run("not a group message", func(t *testing.T) {
		gi, err := a.GroupInfo(GroupInfoOptions{WithoutRatchetTree: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.Process(gi)
		wantErr(t, err, ErrUnexpectedWireFormat)
	})
	t.Run("wire format policy", func(t *testing.T) {
		strict := seededConfig(9)
		strict.WireFormat = PureCiphertext
		state, err := c.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		cc, err := UnmarshalGroup(strict, state)
		if err != nil {
			t.Fatal(err)
		}
		_, err = cc.Process(public(proposal()))
		wantErr(t, err, ErrWireFormatPolicy)
	})
	t.Run("wrong epoch", func(t *testing.T) {
		old := public(proposal())
		commitAndMerge(t, c, CommitOptions{SkipPending: true})
		msg, err := c.Encrypt([]byte("from the future"), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.Process(msg)
		wantErr(t, err, ErrWrongEpoch)
		_, err = c.Process(old)
		wantErr(t, err, ErrWrongEpoch)
	})
}

// TestOwnUpdateKeyMissing commits a member's update after the member lost the new leaf's
// private key: it cannot follow and must say so.
func TestOwnUpdateKeyMissing(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a, b := gs[0], gs[1]
	update, _, err := b.ProposeSelfUpdate()
	if err != nil {
		t.Fatal(err)
	}
	deliver(t, update, a)
	res := commitAndMerge(t, a, CommitOptions{})
	b.ownUpdates = nil
	_, err = b.Process(viaWire(t, res.Commit))
	wantErr(t, err, ErrOwnUpdateKeyMissing)
}

// TestCallErrors checks the refusals of the Group's own operations.
func TestCallErrors(t *testing.T) {
	gs := newTestGroupOf(t, 3, seededConfig)
	a, b := gs[0], gs[1]
	if _, _, err := a.Propose(UpdateProposal{}); !errors.Is(err, ErrCommitOptions) {
		t.Errorf("propose update: %v", err)
	}
	if _, err := a.Commit(CommitOptions{Proposals: []Proposal{UpdateProposal{}}}); !errors.Is(err, ErrCommitOptions) {
		t.Errorf("commit update: %v", err)
	}
	if _, err := a.Commit(CommitOptions{Proposals: []Proposal{UnknownProposal{ProposalType: ProposalRemove}}}); !errors.Is(err, ErrCommitOptions) {
		t.Errorf("commit unknown proposal of a known type: %v", err)
	}
	first, err := a.Commit(CommitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	second := commitAndMerge(t, a, CommitOptions{})
	wantErr(t, a.Merge(first.Staged), ErrStaleCommit)
	wantErr(t, b.Merge(second.Staged), ErrStaleCommit)
	res := commitAndMerge(t, a, CommitOptions{SkipPending: true, Removes: []LeafIndex{b.OwnLeafIndex()}})
	deliver(t, second.Commit, b)
	deliver(t, res.Commit, b)
	if _, err := b.Encrypt([]byte("x"), nil); !errors.Is(err, ErrGroupInactive) {
		t.Errorf("encrypt after removal: %v", err)
	}
	if _, err := b.Commit(CommitOptions{}); !errors.Is(err, ErrGroupInactive) {
		t.Errorf("commit after removal: %v", err)
	}
}

// TestJoinErrors builds Welcomes that fail each check of JoinGroup after the secrets open.
func TestJoinErrors(t *testing.T) {
	gs := newTestGroupOf(t, 2, seededConfig)
	a := gs[0]
	cs := a.CipherSuite()
	member := newGroupTestClient(t, cs, "member-1") // b's key package leaf is in a's tree
	outsider := newGroupTestClient(t, cs, "outsider")
	joiner := make([]byte, cs.HashSize())
	forged := func(kp *KeyPackage, withoutTree bool) *Welcome {
		t.Helper()
		gi, err := a.GroupInfo(GroupInfoOptions{WithoutRatchetTree: withoutTree})
		if err != nil {
			t.Fatal(err)
		}
		w, err := NewWelcome(gi.GroupInfo, cs.WelcomeSecret(joiner, nil), []WelcomeRecipient{{KeyPackage: kp, Secrets: GroupSecrets{JoinerSecret: joiner}}})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	join := func(w *Welcome, c *groupTestClient, tree RatchetTree) error {
		_, err := JoinGroup(seededConfig(5), w, JoinOptions{KeyPackage: c.bundle, SignaturePrivateKey: c.sigPriv, RatchetTree: tree})
		return err
	}
	// A key package whose leaf is b's, so that the leaf is found and the tag is what fails.
	member.bundle = newTestGroupKeyPackageOf(t, a, 1)
	wantErr(t, join(forged(&outsider.bundle.KeyPackage, false), outsider, nil), ErrOwnLeafNotFound)
	wantErr(t, join(forged(&outsider.bundle.KeyPackage, true), outsider, nil), ErrRatchetTreeMissing)
	wantErr(t, join(forged(&outsider.bundle.KeyPackage, true), outsider, a.RatchetTree()), ErrOwnLeafNotFound)
	wantErr(t, join(forged(&member.bundle.KeyPackage, false), member, nil), ErrConfirmationTag)
	wrongKey := *outsider
	wrongKey.bundle = member.bundle
	wantErr(t, join(forged(&member.bundle.KeyPackage, false), &wrongKey, nil), ErrSignatureKeyMismatch)
}

// newTestGroupKeyPackageOf returns a key package bundle whose leaf is the one at leaf i of g's
// tree, as if it were the package the member joined with (only its leaf matters to
// JoinGroup's lookup; its signature is not checked there).
func newTestGroupKeyPackageOf(t *testing.T, g *Group, i LeafIndex) *KeyPackageBundle {
	t.Helper()
	leaf := g.Member(i)
	if leaf == nil {
		t.Fatalf("leaf %d blank", i)
	}
	initPriv, initPub, err := g.CipherSuite().GenerateHPKEKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	kp := KeyPackage{Version: ProtocolVersionMLS10, CipherSuite: g.CipherSuite(), InitKey: initPub, LeafNode: *leaf}
	return &KeyPackageBundle{KeyPackage: kp, InitPrivateKey: initPriv}
}
