package wrap

import (
	"bytes"
	"errors"
	"testing"
)

func TestPointee(t *testing.T) {
	k := NewPointeeKey()
	if k.DataNonce == k.MetadataNonce {
		t.Fatal("nonces repeat")
	}
	data, metaCT := k.Seal([]byte("welcome"), []byte("metadata"))
	parsed, err := ParsePointeeKey(k.Key[:], k.DataNonce[:], k.MetadataNonce[:])
	if err != nil {
		t.Fatal(err)
	}
	w, m, err := parsed.Open(data, metaCT)
	if err != nil || string(w) != "welcome" || string(m) != "metadata" {
		t.Fatalf("open = %q, %q, %v", w, m, err)
	}
	if _, _, err := parsed.Open(data, nil); !errors.Is(err, ErrDecrypt) {
		t.Errorf("missing metadata: %v, want ErrDecrypt", err)
	}
	other := NewPointeeKey()
	if _, _, err := other.Open(data, metaCT); !errors.Is(err, ErrDecrypt) {
		t.Errorf("wrong key: %v, want ErrDecrypt", err)
	}
	if _, err := ParsePointeeKey(k.Key[:16], k.DataNonce[:], k.MetadataNonce[:]); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("short key: %v, want ErrInvalidKey", err)
	}
}

func TestPointer(t *testing.T) {
	for _, r := range newTestRecipients(t) {
		pointer := []byte("serialized WelcomePointer")
		sealed, err := SealPointer(r.alg, r.pub, pointer)
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenPointer(r.alg, r.priv, sealed)
		if err != nil || !bytes.Equal(got, pointer) {
			t.Fatalf("%v: open pointer = %q, %v", r.alg, got, err)
		}
	}
}
