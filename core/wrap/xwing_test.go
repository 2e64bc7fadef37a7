package wrap

import (
	"bytes"
	"crypto/mlkem"
	"crypto/mlkem/mlkemtest"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	"github.com/cloudflare/circl/dh/x25519"
	circlxwing "github.com/cloudflare/circl/kem/xwing"
)

// hexBytes decodes the hex strings of the JSON test vectors.
type hexBytes []byte

func (h *hexBytes) UnmarshalText(text []byte) error {
	b, err := hex.DecodeString(string(text))
	*h = b
	return err
}

type xwingVector struct {
	Seed  hexBytes `json:"seed"`
	ESeed hexBytes `json:"eseed"`
	SS    hexBytes `json:"ss"`
	SK    hexBytes `json:"sk"`
	PK    hexBytes `json:"pk"`
	CT    hexBytes `json:"ct"`
}

func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func xwingVectors(t testing.TB) []xwingVector {
	var vs []xwingVector
	readJSON(t, "testdata/xwing-draft06.json", &vs)
	if len(vs) == 0 {
		t.Fatal("no X-Wing vectors")
	}
	return vs
}

// TestXWingVectors replays the draft-06 known answers: key expansion from the seed,
// derandomized encapsulation (eseed = ML-KEM randomness ‖ X25519 ephemeral key) and
// decapsulation.
func TestXWingVectors(t *testing.T) {
	for i, v := range xwingVectors(t) {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			sk, err := NewXWingPrivateKey(v.Seed)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sk.Bytes(), v.SK) {
				t.Errorf("sk = %x, want %x", sk.Bytes(), v.SK)
			}
			if !bytes.Equal(sk.PublicKey().Bytes(), v.PK) {
				t.Fatal("public key differs from the vector")
			}
			pk, err := NewXWingPublicKey(v.PK)
			if err != nil {
				t.Fatal(err)
			}
			var eph x25519.Key
			copy(eph[:], v.ESeed[32:])
			ss, ct, err := pk.encapsulate(&eph, func(ek *mlkem.EncapsulationKey768) ([]byte, []byte, error) {
				return mlkemtest.Encapsulate768(ek, v.ESeed[:32])
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ct, v.CT) {
				t.Error("ciphertext differs from the vector")
			}
			if !bytes.Equal(ss, v.SS) {
				t.Errorf("encapsulated secret = %x, want %x", ss, v.SS)
			}
			got, err := sk.Decapsulate(v.CT)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, v.SS) {
				t.Errorf("decapsulated secret = %x, want %x", got, v.SS)
			}
		})
	}
}

// TestXWingCirclAgrees pins circl's X-Wing, the alternative measured in the benchmarks, to
// the same vectors, so the comparison is between equal implementations.
func TestXWingCirclAgrees(t *testing.T) {
	for i, v := range xwingVectors(t) {
		_, pk := circlxwing.DeriveKeyPairPacked(v.Seed)
		if !bytes.Equal(pk, v.PK) {
			t.Errorf("vector %d: circl public key differs", i)
		}
		ss, ct, err := circlxwing.Encapsulate(v.PK, v.ESeed)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ss, v.SS) || !bytes.Equal(ct, v.CT) {
			t.Errorf("vector %d: circl encapsulation differs", i)
		}
	}
}

func TestXWingRoundTrip(t *testing.T) {
	sk, err := GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	pk, err := NewXWingPublicKey(sk.PublicKey().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	ss, ct, err := pk.Encapsulate()
	if err != nil {
		t.Fatal(err)
	}
	if len(ct) != XWingCiphertextSize || len(ss) != XWingSharedSecretSize {
		t.Fatalf("sizes ct=%d ss=%d", len(ct), len(ss))
	}
	got, err := sk.Decapsulate(ct)
	if err != nil || !bytes.Equal(got, ss) {
		t.Fatalf("decapsulate = %x, %v; want %x", got, err, ss)
	}
}

func TestXWingRejectsBadSizes(t *testing.T) {
	if _, err := NewXWingPrivateKey(make([]byte, 31)); err == nil {
		t.Error("31-byte seed accepted")
	}
	if _, err := NewXWingPublicKey(make([]byte, XWingPublicKeySize-1)); err == nil {
		t.Error("short public key accepted")
	}
	sk, err := GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sk.Decapsulate(make([]byte, XWingCiphertextSize+1)); err == nil {
		t.Error("long ciphertext accepted")
	}
}
