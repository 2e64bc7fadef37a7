package wrap

import (
	"bytes"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"testing"
)

// testRecipient is a key pair in the byte forms Seal and Open take.
type testRecipient struct {
	alg       Algorithm
	pub, priv []byte
}

func newTestRecipients(t testing.TB) []testRecipient {
	t.Helper()
	x, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	xw, err := GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	return []testRecipient{
		{Curve25519, x.PublicKey().Bytes(), x.Bytes()},
		{XWing, xw.PublicKey().Bytes(), xw.Bytes()},
	}
}

func TestWelcomeInfo(t *testing.T) {
	want := append(append([]byte{0x13}, "MLS 1.0 MLS_WELCOME"...), 0x00)
	if !bytes.Equal(welcomeInfo, want) {
		t.Fatalf("info = %x, want %x", welcomeInfo, want)
	}
}

func TestSealOpen(t *testing.T) {
	welcome := bytes.Repeat([]byte("welcome "), 1000)
	metadata := []byte{0x08, 0x2a}
	for _, r := range newTestRecipients(t) {
		t.Run(r.alg.String(), func(t *testing.T) {
			data, metaCT, err := Seal(r.alg, r.pub, welcome, metadata)
			if err != nil {
				t.Fatal(err)
			}
			gotW, gotM, err := Open(r.alg, r.priv, data, metaCT)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotW, welcome) || !bytes.Equal(gotM, metadata) {
				t.Fatal("round trip changed the plaintext")
			}
			// Senders before WelcomeMetadata sent none; the welcome still opens.
			gotW, gotM, err = Open(r.alg, r.priv, data, nil)
			if err != nil || !bytes.Equal(gotW, welcome) || gotM != nil {
				t.Fatalf("open without metadata = %d bytes, %v, %v", len(gotW), gotM, err)
			}
			// The metadata is bound to sequence 1 of the same context.
			if _, _, err := Open(r.alg, r.priv, data, data); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("swapped metadata: %v, want ErrDecrypt", err)
			}
			// Empty metadata is still sealed (a bare tag), as libxmtp does.
			_, metaCT, err = Seal(r.alg, r.pub, welcome, nil)
			if err != nil || len(metaCT) != 16 {
				t.Fatalf("empty metadata sealed to %d bytes, %v", len(metaCT), err)
			}
		})
	}
}

func TestOpenWrongKey(t *testing.T) {
	a, b := newTestRecipients(t), newTestRecipients(t)
	for i := range a {
		data, metaCT, err := Seal(a[i].alg, a[i].pub, []byte("w"), []byte("m"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Open(a[i].alg, b[i].priv, data, metaCT); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%v: wrong key gave %v, want ErrDecrypt", a[i].alg, err)
		}
	}
}

func TestUnspecifiedOpensAsCurve25519(t *testing.T) {
	r := newTestRecipients(t)[0]
	data, metaCT, err := Seal(Curve25519, r.pub, []byte("w"), []byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	if w, _, err := Open(Unspecified, r.priv, data, metaCT); err != nil || string(w) != "w" {
		t.Fatalf("open as Unspecified = %q, %v", w, err)
	}
}

func TestAlgorithmErrors(t *testing.T) {
	r := newTestRecipients(t)
	for _, alg := range []Algorithm{Unspecified, SymmetricKey, 99} {
		if _, _, err := Seal(alg, r[0].pub, nil, nil); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Errorf("Seal(%v) = %v, want ErrUnsupportedAlgorithm", alg, err)
		}
	}
	if _, _, err := Open(SymmetricKey, r[0].priv, []byte{0, 0}, nil); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Errorf("Open(SymmetricKey) = %v", err)
	}
	// A key of the other algorithm is refused, never misused.
	if _, _, err := Seal(XWing, r[0].pub, nil, nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Seal(XWing, x25519 key) = %v, want ErrInvalidKey", err)
	}
	if _, _, err := Seal(Curve25519, r[1].pub, nil, nil); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Seal(Curve25519, x-wing key) = %v, want ErrInvalidKey", err)
	}
	if _, _, err := Open(XWing, r[1].priv, []byte{0xff}, nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("Open of garbage = %v, want ErrMalformed", err)
	}
}

// libxmtpFixture is a welcome wrapped by libxmtp's own code (hpke-rs with libcrux, X-Wing
// draft-06 under kem_id 0x004D); see testdata/README.md.
type libxmtpFixture struct {
	PrivateKey          hexBytes `json:"private_key"`
	PublicKey           hexBytes `json:"public_key"`
	WrappedPayload      hexBytes `json:"wrapped_payload"`
	SecondaryCiphertext hexBytes `json:"secondary_ciphertext"`
	Payload             string   `json:"payload"`
	SecondaryPayload    string   `json:"secondary_payload"`
}

// TestOpenLibxmtpXWingWelcome is the interop check of xmtp-protocol.md §7.1: a welcome that
// libxmtp wrapped opens here, and its stored key seed expands to the key libxmtp published.
func TestOpenLibxmtpXWingWelcome(t *testing.T) {
	var f libxmtpFixture
	readJSON(t, "testdata/libxmtp-legacy-xwing.json", &f)
	sk, err := NewXWingPrivateKey(f.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sk.PublicKey().Bytes(), f.PublicKey) {
		t.Fatal("seed does not expand to libxmtp's public key")
	}
	w, m, err := Open(XWing, f.PrivateKey, f.WrappedPayload, f.SecondaryCiphertext)
	if err != nil {
		t.Fatal(err)
	}
	if string(w) != f.Payload || string(m) != f.SecondaryPayload {
		t.Fatalf("opened %q / %q", w, m)
	}
}

func TestCiphertextEncoding(t *testing.T) {
	for _, n := range []int{0, 63, 64, 16383, 16384, 200_000} {
		body := bytes.Repeat([]byte{1}, n)
		enc := encodeCiphertext([]byte("kem"), body)
		k, c, err := decodeCiphertext(enc)
		if err != nil || string(k) != "kem" || !bytes.Equal(c, body) {
			t.Fatalf("n=%d: decode = %q, %d bytes, %v", n, k, len(c), err)
		}
	}
	for _, bad := range [][]byte{
		nil,
		{0x01},                // truncated body
		{0x40, 0x01, 0, 0x00}, // non-minimal length
		{0xc0, 0, 0, 0},       // reserved prefix
		{0x00, 0x00, 0x00},    // trailing byte
	} {
		if _, _, err := decodeCiphertext(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("decode(%x) = %v, want ErrMalformed", bad, err)
		}
	}
}
