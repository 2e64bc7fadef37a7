package mls

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

type keyScheduleVector struct {
	CipherSuite       uint16   `json:"cipher_suite"`
	GroupID           hexBytes `json:"group_id"`
	InitialInitSecret hexBytes `json:"initial_init_secret"`
	Epochs            []struct {
		TreeHash                hexBytes `json:"tree_hash"`
		CommitSecret            hexBytes `json:"commit_secret"`
		PSKSecret               hexBytes `json:"psk_secret"`
		ConfirmedTranscriptHash hexBytes `json:"confirmed_transcript_hash"`
		GroupContext            hexBytes `json:"group_context"`
		JoinerSecret            hexBytes `json:"joiner_secret"`
		WelcomeSecret           hexBytes `json:"welcome_secret"`
		InitSecret              hexBytes `json:"init_secret"`
		SenderDataSecret        hexBytes `json:"sender_data_secret"`
		EncryptionSecret        hexBytes `json:"encryption_secret"`
		ExporterSecret          hexBytes `json:"exporter_secret"`
		EpochAuthenticator      hexBytes `json:"epoch_authenticator"`
		ExternalSecret          hexBytes `json:"external_secret"`
		ConfirmationKey         hexBytes `json:"confirmation_key"`
		MembershipKey           hexBytes `json:"membership_key"`
		ResumptionPSK           hexBytes `json:"resumption_psk"`
		ExternalPub             hexBytes `json:"external_pub"`
		Exporter                struct {
			Label   string   `json:"label"` // used as given: the hex text itself is the label
			Context hexBytes `json:"context"`
			Length  int      `json:"length"`
			Secret  hexBytes `json:"secret"`
		} `json:"exporter"`
	} `json:"epochs"`
}

func TestKeyScheduleVectors(t *testing.T) {
	var vectors []keyScheduleVector
	loadVectors(t, "key-schedule.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			init := []byte(v.InitialInitSecret)
			for n, ep := range v.Epochs {
				eq := func(name string, got, want []byte) {
					t.Helper()
					if !bytes.Equal(got, want) {
						t.Errorf("epoch %d %s = %x, want %x", n, name, got, want)
					}
				}
				gc := GroupContext{CipherSuite: cs, GroupID: v.GroupID, Epoch: uint64(n), TreeHash: ep.TreeHash, ConfirmedTranscriptHash: ep.ConfirmedTranscriptHash}
				eq("group_context", gc.Encode(), ep.GroupContext)
				joiner := cs.JoinerSecret(init, ep.CommitSecret, ep.GroupContext)
				eq("joiner_secret", joiner, ep.JoinerSecret)
				eq("welcome_secret", cs.WelcomeSecret(joiner, ep.PSKSecret), ep.WelcomeSecret)
				s := cs.EpochSecrets(joiner, ep.PSKSecret, ep.GroupContext)
				eq("init_secret", s.Init, ep.InitSecret)
				eq("sender_data_secret", s.SenderData, ep.SenderDataSecret)
				eq("encryption_secret", s.Encryption, ep.EncryptionSecret)
				eq("exporter_secret", s.Exporter, ep.ExporterSecret)
				eq("epoch_authenticator", s.Authenticator, ep.EpochAuthenticator)
				eq("external_secret", s.External, ep.ExternalSecret)
				eq("confirmation_key", s.Confirmation, ep.ConfirmationKey)
				eq("membership_key", s.Membership, ep.MembershipKey)
				eq("resumption_psk", s.Resumption, ep.ResumptionPSK)
				pub, err := s.ExternalPub()
				if err != nil {
					t.Fatal(err)
				}
				eq("external_pub", pub, ep.ExternalPub)
				x := ep.Exporter
				eq("exported", s.Export(string(x.Label), x.Context, x.Length), x.Secret)
				init = s.Init
			}
		})
	}
}

// TestKeyScheduleZeroSecrets checks that nil commit and PSK secrets mean the zero vector.
func TestKeyScheduleZeroSecrets(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	zero := make([]byte, cs.HashSize())
	init, gc := []byte("init"), []byte("group context")
	if !bytes.Equal(cs.JoinerSecret(init, nil, gc), cs.JoinerSecret(init, zero, gc)) {
		t.Error("nil commit secret differs from zero")
	}
	if !bytes.Equal(cs.WelcomeSecret(init, nil), cs.WelcomeSecret(init, zero)) {
		t.Error("nil PSK secret differs from zero")
	}
	key, nonce := cs.WelcomeKey(cs.WelcomeSecret(init, nil))
	if len(key) != cs.AEADKeySize() || len(nonce) != cs.AEADNonceSize() {
		t.Errorf("welcome key %d bytes, nonce %d bytes", len(key), len(nonce))
	}
}

// TestExternalInit checks that a joiner and the members agree on the init secret of an
// external commit, and that it depends on the epoch's external key.
func TestExternalInit(t *testing.T) {
	for _, cs := range []CipherSuite{CipherSuiteX25519AES128GCM, CipherSuiteX25519ChaCha20} {
		s := cs.EpochSecrets([]byte("joiner"), nil, []byte("group context"))
		pub, err := s.ExternalPub()
		if err != nil {
			t.Fatal(err)
		}
		kemOutput, joinerInit, err := cs.ExternalInit(pub)
		if err != nil {
			t.Fatal(err)
		}
		memberInit, err := s.ExternalInitSecret(kemOutput)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(joinerInit, memberInit) || len(joinerInit) != cs.HashSize() {
			t.Errorf("%v: joiner %x, members %x", cs, joinerInit, memberInit)
		}
		other := cs.EpochSecrets([]byte("other joiner"), nil, []byte("group context"))
		if otherInit, err := other.ExternalInitSecret(kemOutput); err == nil && bytes.Equal(otherInit, joinerInit) {
			t.Errorf("%v: another epoch opened the same init secret", cs)
		}
		if _, _, err := cs.ExternalInit(pub[:31]); !errors.Is(err, ErrHPKEPublicKey) {
			t.Errorf("%v: short external_pub: err = %v", cs, err)
		}
	}
}
