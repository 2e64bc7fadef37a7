package mls

import (
	"bytes"
	"fmt"
	"testing"
)

type pskSecretVector struct {
	CipherSuite uint16 `json:"cipher_suite"`
	PSKs        []struct {
		PSKID    hexBytes `json:"psk_id"`
		PSK      hexBytes `json:"psk"`
		PSKNonce hexBytes `json:"psk_nonce"`
	} `json:"psks"`
	PSKSecret hexBytes `json:"psk_secret"`
}

func TestPSKSecretVectors(t *testing.T) {
	var vectors []pskSecretVector
	loadVectors(t, "psk_secret.json", &vectors)
	for i, v := range vectors {
		t.Run(fmt.Sprintf("%d/suite%d/%dpsks", i, v.CipherSuite, len(v.PSKs)), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			var psks []PSK
			for _, p := range v.PSKs {
				psks = append(psks, PSK{ID: PreSharedKeyID{Type: PSKExternal, ID: p.PSKID, Nonce: p.PSKNonce}, Secret: p.PSK})
			}
			got, err := cs.PSKSecret(psks)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(cs.orZero(got), v.PSKSecret) {
				t.Errorf("psk_secret = %x, want %x", got, v.PSKSecret)
			}
		})
	}
}
