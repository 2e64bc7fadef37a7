package mls

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

type welcomeVector struct {
	CipherSuite uint16   `json:"cipher_suite"`
	InitPriv    hexBytes `json:"init_priv"`
	SignerPub   hexBytes `json:"signer_pub"`
	KeyPackage  hexBytes `json:"key_package"`
	Welcome     hexBytes `json:"welcome"`
}

// openWelcome joins as the vector's key package: group secrets, GroupInfo, its signature and
// its confirmation tag, with no PSKs.
func openWelcome(t *testing.T, w *Welcome, kp *KeyPackage, initPriv, signerPub []byte) (*GroupSecrets, *GroupInfo) {
	t.Helper()
	cs := w.CipherSuite
	gs, err := w.OpenGroupSecrets(kp, initPriv)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs.PSKs) != 0 {
		t.Fatalf("%d PSKs, want none", len(gs.PSKs))
	}
	gi, err := w.OpenGroupInfo(cs.WelcomeSecret(gs.JoinerSecret, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := gi.VerifySignature(signerPub); err != nil {
		t.Error(err)
	}
	secrets := cs.EpochSecrets(gs.JoinerSecret, nil, gi.GroupContext.Encode())
	if !cs.VerifyMAC(secrets.Confirmation, gi.GroupContext.ConfirmedTranscriptHash, gi.ConfirmationTag) {
		t.Error("confirmation tag does not verify")
	}
	return gs, gi
}

func TestWelcomeVectors(t *testing.T) {
	var vectors []welcomeVector
	loadVectors(t, "welcome.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			kpMsg, err := DecodeMLSMessage(v.KeyPackage)
			if err != nil {
				t.Fatal(err)
			}
			wMsg, err := DecodeMLSMessage(v.Welcome)
			if err != nil {
				t.Fatal(err)
			}
			kp, w := kpMsg.KeyPackage, wMsg.Welcome
			if kp == nil || w == nil || w.CipherSuite != cs {
				t.Fatalf("vector does not hold a key package and a welcome of suite %d", cs)
			}
			gs, gi := openWelcome(t, w, kp, v.InitPriv, v.SignerPub)

			// Seal the same secrets and GroupInfo again, and join from our own Welcome.
			mine, err := NewWelcome(gi, cs.WelcomeSecret(gs.JoinerSecret, nil), []WelcomeRecipient{{KeyPackage: kp, Secrets: *gs}})
			if err != nil {
				t.Fatal(err)
			}
			again, err := DecodeWelcome(mine.Encode())
			if err != nil {
				t.Fatal(err)
			}
			gs2, gi2 := openWelcome(t, &again, kp, v.InitPriv, v.SignerPub)
			if !bytes.Equal(gs2.Encode(), gs.Encode()) || !bytes.Equal(gi2.Encode(), gi.Encode()) {
				t.Error("our Welcome does not carry the same group secrets and GroupInfo")
			}

			if _, err := w.OpenGroupSecrets(kp, bytes.Repeat([]byte{1}, 32)); !errors.Is(err, ErrWelcomeGroupSecrets) {
				t.Errorf("wrong init key: err = %v", err)
			}
			other := *kp
			other.InitKey = append([]byte(nil), kp.InitKey...)
			other.InitKey[0] ^= 1
			if _, err := w.OpenGroupSecrets(&other, v.InitPriv); !errors.Is(err, ErrWelcomeNoEntry) {
				t.Errorf("other key package: err = %v", err)
			}
			if _, err := w.OpenGroupInfo(bytes.Repeat([]byte{2}, cs.HashSize())); !errors.Is(err, ErrWelcomeGroupInfo) {
				t.Errorf("wrong welcome secret: err = %v", err)
			}
			// The entry is bound to the encrypted GroupInfo it came with.
			moved := *w
			moved.EncryptedGroupInfo = append([]byte{0}, w.EncryptedGroupInfo...)
			if _, err := moved.OpenGroupSecrets(kp, v.InitPriv); !errors.Is(err, ErrWelcomeGroupSecrets) {
				t.Errorf("entry moved to another GroupInfo: err = %v", err)
			}
		})
	}
}
