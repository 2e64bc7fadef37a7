package mls

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hpke"
	"errors"
	"fmt"
	"testing"
)

// stdlibHPKE returns crypto/hpke's KDF and AEAD for cs, the reference this package's HPKE is
// checked against.
func stdlibHPKE(t *testing.T, cs CipherSuite) (hpke.KEM, hpke.KDF, hpke.AEAD) {
	t.Helper()
	aead, err := hpke.NewAEAD(cs.mustParams().hpkeAEADID)
	if err != nil {
		t.Fatal(err)
	}
	return hpke.DHKEM(ecdh.X25519()), hpke.HKDFSHA256(), aead
}

// TestHPKEAgainstStdlib seals, opens, exports and derives keys with this package and with
// crypto/hpke, each side reading the other's output.
func TestHPKEAgainstStdlib(t *testing.T) {
	for _, cs := range []CipherSuite{CipherSuiteX25519AES128GCM, CipherSuiteX25519ChaCha20} {
		t.Run(fmt.Sprintf("suite%d", cs), func(t *testing.T) {
			kem, kdf, aead := stdlibHPKE(t, cs)
			for i := range 4 {
				ikm := bytes.Repeat([]byte{byte(i)}, 32+i)
				priv, pub, err := cs.DeriveHPKEKeyPair(ikm)
				if err != nil {
					t.Fatal(err)
				}
				ref, _ := kem.DeriveKeyPair(ikm)
				refPriv, _ := ref.Bytes()
				if !bytes.Equal(priv, refPriv) || !bytes.Equal(pub, ref.PublicKey().Bytes()) {
					t.Fatalf("DeriveHPKEKeyPair(%x) = %x/%x, crypto/hpke %x/%x", ikm, priv, pub, refPriv, ref.PublicKey().Bytes())
				}

				ctx, msg := []byte("context"), []byte(fmt.Sprintf("message %d", i))
				info := encryptContext("L", ctx)
				enc, sender, err := hpke.NewSender(ref.PublicKey(), kdf, aead, info)
				if err != nil {
					t.Fatal(err)
				}
				ct, _ := sender.Seal(nil, msg)
				if pt, err := cs.DecryptWithLabel(priv, "L", ctx, enc, ct); err != nil || !bytes.Equal(pt, msg) {
					t.Errorf("opening crypto/hpke's ciphertext: %q, %v", pt, err)
				}

				enc, ct, err = cs.EncryptWithLabel(pub, "L", ctx, msg)
				if err != nil {
					t.Fatal(err)
				}
				r, err := hpke.NewRecipient(enc, ref, kdf, aead, info)
				if err != nil {
					t.Fatal(err)
				}
				if pt, err := r.Open(nil, ct); err != nil || !bytes.Equal(pt, msg) {
					t.Errorf("crypto/hpke opening ours: %q, %v", pt, err)
				}

				enc, secret, err := cs.hpkeExportSend(pub, "exported", 42)
				if err != nil {
					t.Fatal(err)
				}
				r, _ = hpke.NewRecipient(enc, ref, kdf, aead, nil)
				if want, _ := r.Export("exported", 42); !bytes.Equal(secret, want) {
					t.Errorf("export = %x, crypto/hpke %x", secret, want)
				}
			}
		})
	}
}

func TestHPKERejects(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	priv, pub, _ := cs.GenerateHPKEKeyPair()
	enc, ct, _ := cs.EncryptWithLabel(pub, "L", nil, []byte("m"))
	lowOrder := make([]byte, 32) // the zero point: DH with it gives the all-zero secret
	for name, c := range map[string]struct {
		err  error
		want error
	}{
		"low-order public key": {hpkeSealErr(cs.EncryptWithLabel(lowOrder, "L", nil, nil)), ErrHPKEPublicKey},
		"short public key":     {hpkeSealErr(cs.EncryptWithLabel(pub[:31], "L", nil, nil)), ErrHPKEPublicKey},
		"low-order kem output": {hpkeOpenErr(cs.DecryptWithLabel(priv, "L", nil, lowOrder, ct)), ErrHPKEOpen},
		"short kem output":     {hpkeOpenErr(cs.DecryptWithLabel(priv, "L", nil, enc[:31], ct)), ErrHPKEOpen},
		"short private key":    {hpkeOpenErr(cs.DecryptWithLabel(priv[:31], "L", nil, enc, ct)), ErrHPKEPrivateKey},
		"other label":          {hpkeOpenErr(cs.DecryptWithLabel(priv, "M", nil, enc, ct)), ErrHPKEOpen},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, c.err, c.want)
		}
	}
}

func hpkeSealErr(_, _ []byte, err error) error { return err }
func hpkeOpenErr(_ []byte, err error) error    { return err }
