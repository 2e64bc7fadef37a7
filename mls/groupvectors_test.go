package mls

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// passiveClientVector is one case of the passive-client-*.json vectors: a member that joins
// from a Welcome and then follows the group's commits without sending anything.
type passiveClientVector struct {
	CipherSuite  uint16 `json:"cipher_suite"`
	ExternalPSKs []struct {
		PSKID hexBytes `json:"psk_id"`
		PSK   hexBytes `json:"psk"`
	} `json:"external_psks"`
	KeyPackage                hexBytes `json:"key_package"`
	SignaturePriv             hexBytes `json:"signature_priv"`
	EncryptionPriv            hexBytes `json:"encryption_priv"`
	InitPriv                  hexBytes `json:"init_priv"`
	Welcome                   hexBytes `json:"welcome"`
	RatchetTree               hexBytes `json:"ratchet_tree"`
	InitialEpochAuthenticator hexBytes `json:"initial_epoch_authenticator"`
	Epochs                    []struct {
		Proposals          []hexBytes `json:"proposals"`
		Commit             hexBytes   `json:"commit"`
		EpochAuthenticator hexBytes   `json:"epoch_authenticator"`
	} `json:"epochs"`
}

// vectorPSKs is the external PSK store of a vector case.
type vectorPSKs map[string][]byte

func (v vectorPSKs) ExternalPSK(id []byte) ([]byte, bool) {
	s, ok := v[string(id)]
	return s, ok
}

func (vectorPSKs) ResumptionPSK([]byte, uint64) ([]byte, bool) { return nil, false }

// TestPassiveClientVectors runs every passive-client-*.json file in testdata: join from the
// Welcome, match the epoch authenticator, then process each epoch's proposals and commit.
func TestPassiveClientVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "passive-client-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no passive-client vectors: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		var vectors []passiveClientVector
		loadVectors(t, name, &vectors)
		for i, v := range vectors {
			t.Run(fmt.Sprintf("%s/%d", strings.TrimSuffix(name, ".json"), i), func(t *testing.T) {
				if testing.Short() && len(v.Epochs) > 20 {
					t.Skip("long scenario skipped in -short mode")
				}
				runPassiveClient(t, &v)
			})
		}
	}
}

func runPassiveClient(t *testing.T, v *passiveClientVector) {
	cs := vectorSuite(t, v.CipherSuite)
	psks := vectorPSKs{}
	for _, p := range v.ExternalPSKs {
		psks[string(p.PSKID)] = p.PSK
	}
	cfg := GroupConfig{
		Rand:                  testRand(1),
		Now:                   func() time.Time { return time.Unix(1_700_000_000, 0) },
		WireFormat:            MixedPlaintext,
		MaxKeyPackageLifetime: NoLifetimeLimit,
		PSKs:                  psks,
	}
	kpMsg, err := DecodeMLSMessage(v.KeyPackage)
	if err != nil || kpMsg.KeyPackage == nil {
		t.Fatalf("key package: %v", err)
	}
	wMsg, err := DecodeMLSMessage(v.Welcome)
	if err != nil || wMsg.Welcome == nil {
		t.Fatalf("welcome: %v", err)
	}
	var tree RatchetTree
	if v.RatchetTree != nil {
		if tree, err = DecodeRatchetTree(v.RatchetTree, cs); err != nil {
			t.Fatal(err)
		}
	}
	g, err := JoinGroup(cfg, wMsg.Welcome, JoinOptions{
		KeyPackage:          &KeyPackageBundle{KeyPackage: *kpMsg.KeyPackage, InitPrivateKey: v.InitPriv, EncryptionPrivateKey: v.EncryptionPriv},
		SignaturePrivateKey: v.SignaturePriv,
		RatchetTree:         tree,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g.EpochAuthenticator(), v.InitialEpochAuthenticator) {
		t.Fatalf("initial epoch authenticator = %x, want %x", g.EpochAuthenticator(), v.InitialEpochAuthenticator)
	}
	for n, epoch := range v.Epochs {
		for k, p := range epoch.Proposals {
			m, err := DecodeMLSMessage(p)
			if err != nil {
				t.Fatalf("epoch %d proposal %d: %v", n, k, err)
			}
			if _, err := g.Process(&m); err != nil {
				t.Fatalf("epoch %d proposal %d: %v", n, k, err)
			}
		}
		m, err := DecodeMLSMessage(epoch.Commit)
		if err != nil {
			t.Fatalf("epoch %d commit: %v", n, err)
		}
		pm, err := g.Process(&m)
		if err != nil {
			t.Fatalf("epoch %d commit: %v", n, err)
		}
		if err := g.Merge(pm.Commit); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g.EpochAuthenticator(), epoch.EpochAuthenticator) {
			t.Fatalf("epoch %d authenticator = %x, want %x", n, g.EpochAuthenticator(), epoch.EpochAuthenticator)
		}
	}
}
