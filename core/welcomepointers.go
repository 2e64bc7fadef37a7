package core

import (
	"fmt"
	"io"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Welcome pointers (XIP-74, xmtp-protocol.md §3.3 item 7, §7.2): a large group's Welcome is
// published once, encrypted under a random key, to a random "pointee" topic, and each
// installation that can resolve pointers gets a small pointer to it, HPKE-sealed like a
// welcome, instead of its own copy. libxmtp does this when more than two recipients can; it
// seals pointers with X-Wing only, so the installations that can are those whose key package
// advertises both 0xff04 (ChaCha20-Poly1305 pointees) and 0xff03 (X-Wing). goxmtp sends
// pointers to such (libxmtp) installations; it advertises neither yet, so it is never sent one.

// pointerThreshold is libxmtp's INSTALLATION_THRESHOLD_FOR_WELCOME_POINTER_SENDING: pointers
// are used when more recipients than this can resolve them.
const pointerThreshold = 2

// pointeeCapable reports whether a key package advertises ChaCha20-Poly1305 pointees (0xff04).
func pointeeCapable(kp *mls.KeyPackage) bool {
	b, ok := kp.Extensions.Find(metadata.ExtensionWelcomePointeeAEADTypes)
	if !ok {
		return false
	}
	var ext mlscontents.WelcomePointeeEncryptionAeadTypesExtension
	if proto.Unmarshal(b, &ext) != nil {
		return false
	}
	return slices.Contains(ext.GetSupportedAeadTypes(), mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305)
}

// welcomeInputs wraps the welcome for every recipient: directly, or, when more than
// pointerThreshold can resolve pointers, as one pointee (first, so it is stored before any
// pointer to it) and a pointer for each of those.
func (c *Client) welcomeInputs(welcome, meta []byte, recipients []welcomeRecipient) ([]*mlsv1.WelcomeMessageInput, []welcomeRecipient, error) {
	capable := 0
	for _, r := range recipients {
		if r.Pointers {
			capable++
		}
	}
	if capable <= pointerThreshold {
		return nil, recipients, nil
	}
	destination := make([]byte, 32)
	if _, err := io.ReadFull(c.opts.Rand, destination); err != nil {
		return nil, nil, fmt.Errorf("welcome pointee: %w", err)
	}
	key := wrap.NewPointeeKey()
	data, metaCT := key.Seal(welcome, meta)
	pointer, err := proto.Marshal(&mlscontents.WelcomePointer{Version: &mlscontents.WelcomePointer_WelcomeV1Pointer_{
		WelcomeV1Pointer: &mlscontents.WelcomePointer_WelcomeV1Pointer{
			Destination:          destination,
			AeadType:             mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305,
			EncryptionKey:        key.Key[:],
			DataNonce:            key.DataNonce[:],
			WelcomeMetadataNonce: key.MetadataNonce[:],
		},
	}})
	if err != nil {
		return nil, nil, fmt.Errorf("welcome pointer: %w", err)
	}
	inputs := []*mlsv1.WelcomeMessageInput{{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
		InstallationKey: destination, Data: data, WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm(wrap.SymmetricKey), WelcomeMetadata: metaCT,
	}}}}
	var direct []welcomeRecipient
	for _, r := range recipients {
		if !r.Pointers {
			direct = append(direct, r)
			continue
		}
		sealed, err := wrap.SealPointer(wrap.Algorithm(r.Algorithm), r.HPKEPublicKey, pointer)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap welcome pointer for %x: %w", r.InstallationKey, err)
		}
		inputs = append(inputs, &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessageInput_WelcomePointer{
			InstallationKey: r.InstallationKey, WelcomePointer: sealed, HpkePublicKey: r.HPKEPublicKey,
			WrapperAlgorithm: mlscontents.WelcomePointerWrapperAlgorithm(r.Algorithm),
		}}})
	}
	return inputs, direct, nil
}
