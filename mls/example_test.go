package mls_test

import (
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/mls"
)

// A client publishes a key package; a server or a group member later checks it.
func ExampleNewKeyPackage() {
	cs := mls.CipherSuiteX25519ChaCha20
	signPriv, _, err := cs.GenerateSignatureKeyPair()
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	bundle, err := mls.NewKeyPackage(mls.KeyPackageOptions{
		CipherSuite:         cs,
		Credential:          mls.NewBasicCredential([]byte("alice")),
		SignaturePrivateKey: signPriv,
		LastResort:          true,
		Now:                 now,
	})
	if err != nil {
		panic(err)
	}
	// Keep bundle.InitPrivateKey and bundle.EncryptionPrivateKey; publish the message.
	msg := mls.MLSMessage{WireFormat: mls.WireFormatKeyPackage, KeyPackage: &bundle.KeyPackage}
	published := msg.Encode()

	received, err := mls.DecodeMLSMessage(published)
	if err != nil {
		panic(err)
	}
	kp := received.KeyPackage
	fmt.Println(kp.Verify(now.Add(24*time.Hour), mls.KeyPackageLifetime+mls.KeyPackageBackdate))
	fmt.Println(kp.LastResort())
	// Output:
	// <nil>
	// true
}

// A server files a message under its group and epoch without any group state.
func ExampleParseMessageHeader() {
	msg := mls.MLSMessage{
		WireFormat: mls.WireFormatPrivateMessage,
		PrivateMessage: &mls.PrivateMessage{
			GroupID:     []byte("group-1"),
			Epoch:       42,
			ContentType: mls.ContentTypeApplication,
		},
	}
	h, err := mls.ParseMessageHeader(msg.Encode())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s epoch %d content type %d\n", h.GroupID, h.Epoch, h.ContentType)
	// Output: group-1 epoch 42 content type 1
}
