package mls_test

import (
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/mls"
)

// Alice creates a group, adds Bob, and they exchange a message. Every message crosses the
// wire as bytes; the commit is merged only after the delivery service accepted it.
func ExampleGroup() {
	cs := mls.CipherSuiteX25519ChaCha20
	now := func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	cfg := mls.GroupConfig{Now: now}

	aliceKey, _, _ := cs.GenerateSignatureKeyPair()
	alice, err := mls.CreateGroup(cfg, mls.CreateOptions{
		CipherSuite:         cs,
		Credential:          mls.NewBasicCredential([]byte("alice")),
		SignaturePrivateKey: aliceKey,
	})
	if err != nil {
		panic(err)
	}

	bobKey, _, _ := cs.GenerateSignatureKeyPair()
	bobPackage, err := mls.NewKeyPackage(mls.KeyPackageOptions{
		CipherSuite:         cs,
		Credential:          mls.NewBasicCredential([]byte("bob")),
		SignaturePrivateKey: bobKey,
		Now:                 now(),
	})
	if err != nil {
		panic(err)
	}

	res, err := alice.Commit(mls.CommitOptions{Adds: []mls.KeyPackage{bobPackage.KeyPackage}})
	if err != nil {
		panic(err)
	}
	welcomeBytes := res.Welcome.Encode() // sent to Bob; res.Commit goes to the group
	if err := alice.Merge(res.Staged); err != nil {
		panic(err)
	}

	welcome, err := mls.DecodeMLSMessage(welcomeBytes)
	if err != nil {
		panic(err)
	}
	bob, err := mls.JoinGroup(cfg, welcome.Welcome, mls.JoinOptions{KeyPackage: bobPackage, SignaturePrivateKey: bobKey})
	if err != nil {
		panic(err)
	}

	msg, err := alice.Encrypt([]byte("hi Bob"), nil)
	if err != nil {
		panic(err)
	}
	received, err := mls.DecodeMLSMessage(msg.Encode())
	if err != nil {
		panic(err)
	}
	pm, err := bob.Process(&received)
	if err != nil {
		panic(err)
	}
	fmt.Printf("epoch %d, %d members, leaf %d says %q\n", bob.Epoch(), bob.MemberCount(), pm.Sender.Index, pm.ApplicationData)
	// Output: epoch 1, 2 members, leaf 0 says "hi Bob"
}
