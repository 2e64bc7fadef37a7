package mls

import (
	"bytes"
	"crypto/rand"
	"errors"
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

// pskSource is an in-memory PSKSource: external PSKs by id, resumption PSKs by group id and
// epoch.
type pskSource struct {
	external   map[string][]byte
	resumption map[string][]byte
}

func resumptionKey(groupID []byte, epoch uint64) string { return fmt.Sprintf("%x/%d", groupID, epoch) }

func (s pskSource) ExternalPSK(id []byte) ([]byte, bool) {
	secret, ok := s.external[string(id)]
	return secret, ok
}

func (s pskSource) ResumptionPSK(groupID []byte, epoch uint64) ([]byte, bool) {
	secret, ok := s.resumption[resumptionKey(groupID, epoch)]
	return secret, ok
}

func TestResolvePSKs(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	src := pskSource{
		external:   map[string][]byte{"ext": bytes.Repeat([]byte{1}, 32)},
		resumption: map[string][]byte{resumptionKey([]byte("g"), 4): bytes.Repeat([]byte{2}, 32)},
	}
	nonce := func() []byte {
		n, err := cs.NewPSKNonce(rand.Reader)
		if err != nil || len(n) != cs.HashSize() {
			t.Fatalf("nonce %x, %v", n, err)
		}
		return n
	}
	ext := PreSharedKeyID{Type: PSKExternal, ID: []byte("ext"), Nonce: nonce()}
	res := PreSharedKeyID{Type: PSKResumption, Usage: ResumptionApplication, GroupID: []byte("g"), Epoch: 4, Nonce: nonce()}
	psks, err := cs.ResolvePSKs([]PreSharedKeyID{ext, res}, ResumptionApplication, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(psks) != 2 || !bytes.Equal(psks[0].Secret, src.external["ext"]) || !bytes.Equal(psks[1].Secret, src.resumption[resumptionKey([]byte("g"), 4)]) {
		t.Fatalf("resolved %+v", psks)
	}
	swapped, _ := cs.ResolvePSKs([]PreSharedKeyID{res, ext}, ResumptionApplication, src)
	a, _ := cs.PSKSecret(psks)
	b, _ := cs.PSKSecret(swapped)
	if bytes.Equal(a, b) {
		t.Error("psk_secret does not depend on the order of the PSKs")
	}

	reinit := res
	reinit.Usage = ResumptionReInit
	if _, err := cs.ResolvePSKs([]PreSharedKeyID{reinit}, ResumptionReInit, src); err != nil {
		t.Errorf("reinit PSK in a reinit: %v", err)
	}
	again := ext
	again.Nonce = nonce()
	short := ext
	short.Nonce = short.Nonce[1:]
	unknown := ext
	unknown.ID = []byte("other")
	for name, c := range map[string]struct {
		ids  []PreSharedKeyID
		want error
	}{
		"short nonce":            {[]PreSharedKeyID{short}, ErrPSKNonceSize},
		"same PSK, other nonce":  {[]PreSharedKeyID{ext, again}, ErrPSKDuplicate},
		"reinit in a commit":     {[]PreSharedKeyID{reinit}, ErrPSKUsage},
		"unknown external PSK":   {[]PreSharedKeyID{unknown}, ErrPSKUnknown},
		"unknown resumption PSK": {[]PreSharedKeyID{{Type: PSKResumption, Usage: ResumptionApplication, GroupID: []byte("g"), Epoch: 5, Nonce: nonce()}}, ErrPSKUnknown},
		"reserved PSK type":      {[]PreSharedKeyID{{Type: 0, Nonce: nonce()}}, ErrPSKType},
	} {
		if _, err := cs.ResolvePSKs(c.ids, ResumptionApplication, src); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	if _, err := cs.NewPSKNonce(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Error("NewPSKNonce accepted a short read")
	}
}
