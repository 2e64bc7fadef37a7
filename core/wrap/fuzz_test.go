package wrap

import (
	"bytes"
	"testing"
)

// FuzzOpen feeds untrusted welcome bytes to Open under fixed keys of every algorithm. Open
// must fail cleanly on anything it did not seal; the seeds are valid wrappings to start
// the fuzzer near the accepting paths.
func FuzzOpen(f *testing.F) {
	rs := newTestRecipients(f)
	for _, r := range rs {
		data, metaCT, err := Seal(r.alg, r.pub, []byte("welcome"), []byte("metadata"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(r.alg), data, metaCT)
	}
	f.Fuzz(func(t *testing.T, alg uint8, data, metaCT []byte) {
		for _, r := range rs {
			if Algorithm(alg) != r.alg {
				continue
			}
			w, m, err := Open(r.alg, r.priv, data, metaCT)
			if err == nil && (!bytes.Equal(w, []byte("welcome")) || (len(metaCT) != 0 && !bytes.Equal(m, []byte("metadata")))) {
				t.Fatalf("forged welcome opened: %q / %q", w, m)
			}
		}
		_, _, _ = Open(Algorithm(alg), data[:min(len(data), 32)], data, metaCT)
	})
}

// FuzzDecodeCiphertext checks the HpkeCiphertext decoder is the exact inverse of the
// encoder: whatever it accepts re-encodes to the same bytes.
func FuzzDecodeCiphertext(f *testing.F) {
	f.Add(encodeCiphertext([]byte("kem"), []byte("ct")))
	f.Add([]byte{0x40, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		k, c, err := decodeCiphertext(data)
		if err != nil {
			return
		}
		if again := encodeCiphertext(k, c); !bytes.Equal(again, data) {
			t.Fatalf("re-encoded %x as %x", data, again)
		}
	})
}

// FuzzPointeeOpen feeds untrusted pointee ciphertexts to a fixed pointee key.
func FuzzPointeeOpen(f *testing.F) {
	k := NewPointeeKey()
	data, metaCT := k.Seal([]byte("welcome"), []byte("metadata"))
	f.Add(data, metaCT)
	f.Fuzz(func(t *testing.T, data, metaCT []byte) {
		w, m, err := k.Open(data, metaCT)
		if err == nil && (string(w) != "welcome" || string(m) != "metadata") {
			t.Fatalf("forged pointee opened: %q / %q", w, m)
		}
	})
}
