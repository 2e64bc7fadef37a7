//go:build !js

package core

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func randomKey() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}

// TestWelcomePointersToXWingInstallations sends a welcome to three installations that take
// pointers (X-Wing keys, as libxmtp's key packages carry with 0xff04) and one that does not:
// the three get pointers to one pointee, resolved here as libxmtp resolves them, the fourth
// its own copy.
func TestWelcomePointersToXWingInstallations(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice := net.newClient()
	welcome := bytes.Repeat([]byte("an MLS welcome "), 1000)
	const cursor = 42

	var (
		keys       []*wrap.XWingPrivateKey
		recipients []welcomeRecipient
	)
	for range 3 {
		k, err := wrap.GenerateXWingKey()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		recipients = append(recipients, welcomeRecipient{InstallationKey: randomKey(), HPKEPublicKey: k.PublicKey().Bytes(), Algorithm: uint8(wrap.XWing), Pointers: true})
	}
	plainKey, err := wrap.GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	plain := welcomeRecipient{InstallationKey: randomKey(), HPKEPublicKey: plainKey.PublicKey().Bytes(), Algorithm: uint8(wrap.XWing)}
	if err := alice.sendWelcomes(ctx, welcome, append(recipients, plain), cursor, nil); err != nil {
		t.Fatal(err)
	}

	fetch := func(installation []byte) *mlsv1.WelcomeMessage {
		t.Helper()
		resp, err := alice.opts.API.QueryWelcomeMessages(ctx, &mlsv1.QueryWelcomeMessagesRequest{InstallationKey: installation})
		if err != nil || len(resp.GetMessages()) != 1 {
			t.Fatalf("welcomes of %x: %d (%v)", installation, len(resp.GetMessages()), err)
		}
		return resp.GetMessages()[0]
	}
	checkMeta := func(meta []byte) {
		t.Helper()
		var m mlsv1.WelcomeMetadata
		if err := proto.Unmarshal(meta, &m); err != nil || m.GetMessageCursor() != cursor {
			t.Fatalf("welcome metadata cursor %d (%v)", m.GetMessageCursor(), err)
		}
	}
	for i, r := range recipients {
		p := fetch(r.InstallationKey).GetWelcomePointer()
		if p == nil {
			t.Fatalf("recipient %d got no pointer", i)
		}
		b, err := wrap.OpenPointer(wrap.XWing, keys[i].Bytes(), p.GetWelcomePointer())
		if err != nil {
			t.Fatal(err)
		}
		var ptr mlscontents.WelcomePointer
		if err := proto.Unmarshal(b, &ptr); err != nil {
			t.Fatal(err)
		}
		v1 := ptr.GetWelcomeV1Pointer()
		key, err := wrap.ParsePointeeKey(v1.GetEncryptionKey(), v1.GetDataNonce(), v1.GetWelcomeMetadataNonce())
		if err != nil {
			t.Fatal(err)
		}
		pointee := fetch(v1.GetDestination()).GetV1()
		if wrap.Algorithm(pointee.GetWrapperAlgorithm()) != wrap.SymmetricKey {
			t.Fatalf("pointee algorithm %v", pointee.GetWrapperAlgorithm())
		}
		got, meta, err := key.Open(pointee.GetData(), pointee.GetWelcomeMetadata())
		if err != nil || !bytes.Equal(got, welcome) {
			t.Fatalf("recipient %d: pointee does not open to the welcome (%v)", i, err)
		}
		checkMeta(meta)
	}
	direct := fetch(plain.InstallationKey).GetV1()
	got, meta, err := wrap.Open(wrap.XWing, plainKey.Bytes(), direct.GetData(), direct.GetWelcomeMetadata())
	if err != nil || !bytes.Equal(got, welcome) {
		t.Fatalf("direct welcome does not open (%v)", err)
	}
	checkMeta(meta)
}

// FuzzDecodeWelcomePointer: an opened pointer is the sender's bytes. Decoding must fail with
// ErrInvalidWelcomePointer or yield a 32-byte destination and the key and nonces it carries.
func FuzzDecodeWelcomePointer(f *testing.F) {
	k := wrap.NewPointeeKey()
	valid, err := proto.Marshal(&mlscontents.WelcomePointer{Version: &mlscontents.WelcomePointer_WelcomeV1Pointer_{WelcomeV1Pointer: &mlscontents.WelcomePointer_WelcomeV1Pointer{
		Destination: randomKey(), AeadType: mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305,
		EncryptionKey: k.Key[:], DataNonce: k.DataNonce[:], WelcomeMetadataNonce: k.MetadataNonce[:],
	}}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add([]byte{0x0a, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		destination, key, err := decodeWelcomePointer(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidWelcomePointer) {
				t.Fatalf("unnamed error %v", err)
			}
			return
		}
		var ptr mlscontents.WelcomePointer
		if proto.Unmarshal(b, &ptr) != nil {
			t.Fatal("decoded bytes that are not a WelcomePointer")
		}
		v1 := ptr.GetWelcomeV1Pointer()
		if len(destination) != pointeeDestinationSize || !bytes.Equal(key.Key[:], v1.GetEncryptionKey()) ||
			!bytes.Equal(key.DataNonce[:], v1.GetDataNonce()) || !bytes.Equal(key.MetadataNonce[:], v1.GetWelcomeMetadataNonce()) {
			t.Fatal("decoded pointer differs from its bytes")
		}
	})
}
