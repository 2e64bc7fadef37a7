package mls

import (
	"bytes"
	"errors"
	"testing"
)

// TestJoinInTwoSteps: OpenWelcome shows the group context's extensions before anything is
// verified, and Join joins as JoinGroup does, naming the committer as the GroupInfo's signer;
// a GroupInfo whose signature does not verify is refused by Join, not by OpenWelcome.
func TestJoinInTwoSteps(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	newMember := func(name string, seed uint64) (*Group, *groupTestClient) {
		c := newGroupTestClient(t, cs, name)
		g, err := CreateGroup(groupTestConfig(seed), CreateOptions{CipherSuite: cs, Credential: NewBasicCredential([]byte(name)), SignaturePrivateKey: c.sigPriv})
		if err != nil {
			t.Fatal(err)
		}
		return g, c
	}
	creator, _ := newMember("creator", 1)
	bystander := newGroupTestClient(t, cs, "bystander")
	commitAndMerge(t, creator, CommitOptions{Adds: []KeyPackage{bystander.bundle.KeyPackage}})
	required := []byte{0, 0, 0} // RequiredCapabilities that require nothing
	ext := Extensions{{Type: ExtensionRequiredCapabilities, Data: required}}
	joiner := newGroupTestClient(t, cs, "joiner")
	res := commitAndMerge(t, creator, CommitOptions{Adds: []KeyPackage{joiner.bundle.KeyPackage}, GroupContextExtensions: &ext})
	opts := JoinOptions{KeyPackage: joiner.bundle, SignaturePrivateKey: joiner.sigPriv}

	o, err := OpenWelcome(groupTestConfig(2), res.Welcome.Welcome, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := o.UnverifiedExtensions().Find(ExtensionRequiredCapabilities); !ok || !bytes.Equal(got, required) {
		t.Fatalf("extensions before the join: %q, %v", got, ok)
	}
	g, signer, err := o.Join()
	if err != nil {
		t.Fatal(err)
	}
	if signer != creator.OwnLeafIndex() || g.Epoch() != creator.Epoch() {
		t.Fatalf("signer %d (want %d), epoch %d (want %d)", signer, creator.OwnLeafIndex(), g.Epoch(), creator.Epoch())
	}
	if once, err := JoinGroup(groupTestConfig(2), res.Welcome.Welcome, opts); err != nil || !bytes.Equal(once.EpochAuthenticator(), g.EpochAuthenticator()) {
		t.Fatalf("JoinGroup: %v, or another epoch than the two steps'", err)
	}

	o, err = OpenWelcome(groupTestConfig(2), res.Welcome.Welcome, opts)
	if err != nil {
		t.Fatal(err)
	}
	o.info.Signature = append([]byte(nil), o.info.Signature...)
	o.info.Signature[0] ^= 1
	if _, _, err := o.Join(); !errors.Is(err, ErrGroupInfoSignature) {
		t.Fatalf("forged GroupInfo: got %v, want %v", err, ErrGroupInfoSignature)
	}
}
