package idbstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/goxmtp/goxmtp/core/store"
)

func testKeys(t testing.TB, b byte) *keys {
	t.Helper()
	k, err := newKeys(bytes.Repeat([]byte{b}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := testKeys(t, 1)
	key := k.pointKey("t", []byte("id"))
	for _, v := range [][]byte{nil, {}, []byte("value"), make([]byte, 1<<16)} {
		sealed := k.seal(nonces(1), key, v)
		if len(sealed) != len(v)+sealOverhead {
			t.Fatalf("sealed %d bytes into %d", len(v), len(sealed))
		}
		got, err := k.open(key, sealed)
		if err != nil || got == nil || !bytes.Equal(got, v) {
			t.Fatalf("open = %q, %v; want %q", got, err, v)
		}
	}
	sealed := k.seal(nonces(1), key, []byte("value"))
	if bytes.Equal(sealed, k.seal(nonces(1), key, []byte("value"))) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if _, err := k.open(k.pointKey("t", []byte("other")), sealed); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("a value moved to another key opened: %v", err)
	}
	if _, err := testKeys(t, 2).open(key, sealed); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("a value opened under another store key: %v", err)
	}
	sealed[0] = recordVersion + 1
	if _, err := k.open(key, sealed); !errors.Is(err, store.ErrVersion) {
		t.Fatalf("a value of a newer version = %v, want ErrVersion", err)
	}
}

// TestRecordKeys: keys separate tables, ids, shapes and stores, and sequence numbers sort
// as their big-endian bytes.
func TestRecordKeys(t *testing.T) {
	k := testKeys(t, 1)
	seen := map[string]string{}
	for _, c := range []struct {
		name string
		key  []byte
	}{
		{"t/x", k.pointKey("t", []byte("x"))},
		{"tt/x", k.pointKey("tt", []byte("x"))},
		{"t/tx", k.pointKey("t", []byte("tx"))},
		{"t/x partition", k.partitionKey("t", []byte("x"))},
		{"t/empty", k.pointKey("t", nil)},
		{"other store t/x", testKeys(t, 2).pointKey("t", []byte("x"))},
	} {
		if prev, dup := seen[string(c.key)]; dup {
			t.Fatalf("%s and %s share a key", prev, c.name)
		}
		seen[string(c.key)] = c.name
	}
	prefix := k.partitionKey("m", []byte("group"))
	var last []byte
	for _, seq := range []uint64{0, 1, 255, 256, 1<<63 - 1, 1 << 63, math.MaxUint64} {
		key := seqKey(prefix, seq)
		if last != nil && bytes.Compare(last, key) >= 0 {
			t.Fatalf("key of %d does not sort after the previous one", seq)
		}
		last = key
	}
	if !bytes.Equal(prefix, k.partitionKey("m", []byte("group"))) {
		t.Fatal("seqKey changed its prefix")
	}
}

// TestSealSeq: an ordered record's value names its sequence number, which it was sealed
// for, and opens in no other partition.
func TestSealSeq(t *testing.T) {
	k := testKeys(t, 1)
	prefix := k.partitionKey("m", []byte("group"))
	for _, seq := range []uint64{0, 7, math.MaxUint64} {
		sealed := k.sealSeq(nonces(1), prefix, seq, []byte("message"))
		got, v, err := k.openSeq(prefix, sealed)
		if err != nil || got != seq || string(v) != "message" {
			t.Fatalf("openSeq = %d, %q, %v; want %d", got, v, err, seq)
		}
		if v, err := k.open(seqKey(prefix, seq), sealed); err != nil || string(v) != "message" {
			t.Fatalf("open at its key = %q, %v", v, err)
		}
		if _, _, err := k.openSeq(k.partitionKey("m", []byte("other")), sealed); !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("opened in another partition: %v", err)
		}
		sealed[nonceSeqAt+7] ^= 1 // claim another sequence number
		if _, _, err := k.openSeq(prefix, sealed); !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("opened under a forged sequence number: %v", err)
		}
	}
}

func TestKeyCheck(t *testing.T) {
	a, b := testKeys(t, 1), testKeys(t, 2)
	if !a.checkMatches(testKeys(t, 1).check) || a.checkMatches(b.check) || a.checkMatches(nil) {
		t.Fatal("the key check does not tell store keys apart")
	}
	dbKey := bytes.Repeat([]byte{7}, KeySize)
	sk, err := storeKeyFrom(dbKey)
	if err != nil || bytes.Equal(sk, dbKey) || len(sk) != KeySize {
		t.Fatalf("storeKeyFrom = %x, %v", sk, err)
	}
	if _, err := storeKeyFrom(dbKey[:16]); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("a 16-byte database key = %v, want ErrInvalid", err)
	}
}

func TestWrapped(t *testing.T) {
	iv, ct := bytes.Repeat([]byte{1}, wrapIVSize), bytes.Repeat([]byte{2}, KeySize+16)
	gotIV, gotCT, err := decodeWrapped(encodeWrapped(iv, ct))
	if err != nil || !bytes.Equal(gotIV, iv) || !bytes.Equal(gotCT, ct) {
		t.Fatalf("decodeWrapped = %x, %x, %v", gotIV, gotCT, err)
	}
	if _, _, err := decodeWrapped(encodeWrapped(iv, ct[1:])); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("a short wrapped key = %v, want ErrCorrupt", err)
	}
}

// FuzzOpen: stored values are attacker-controlled bytes to whoever can write the
// database; opening them never panics, and only what seal wrote opens.
func FuzzOpen(f *testing.F) {
	k := testKeys(f, 1)
	key := k.pointKey("t", []byte("id"))
	f.Add(k.seal(nonces(1), key, []byte("value")))
	f.Add(k.seal(nonces(1), key, nil))
	f.Add([]byte{recordVersion})
	f.Fuzz(func(t *testing.T, sealed []byte) {
		v, err := k.open(key, sealed)
		if err == nil && (sealed[0] != recordVersion || len(v) != len(sealed)-sealOverhead) {
			t.Fatalf("opened %d bytes of version %d from %d", len(v), sealed[0], len(sealed))
		}
	})
}

// FuzzOpenSeq: values read by a scan name their own sequence number; whatever their
// bytes, only what sealSeq wrote for the partition opens.
func FuzzOpenSeq(f *testing.F) {
	k := testKeys(f, 1)
	prefix := k.partitionKey("m", []byte("p"))
	f.Add(k.sealSeq(nonces(1), prefix, 7, []byte("message")))
	f.Add(make([]byte, sealOverhead))
	f.Fuzz(func(t *testing.T, sealed []byte) {
		seq, v, err := k.openSeq(prefix, sealed)
		if err == nil && (len(v) != len(sealed)-sealOverhead || seq != binary.BigEndian.Uint64(sealed[nonceSeqAt:])) {
			t.Fatalf("openSeq accepted %x as %d", sealed, seq)
		}
	})
}

// FuzzDecodeWrapped: the wrapped store key is read from the data database.
func FuzzDecodeWrapped(f *testing.F) {
	f.Add(encodeWrapped(make([]byte, wrapIVSize), make([]byte, KeySize+16)))
	f.Add([]byte{wrappedVersion})
	f.Fuzz(func(t *testing.T, b []byte) {
		iv, ct, err := decodeWrapped(b)
		if err == nil && !bytes.Equal(encodeWrapped(iv, ct), b) {
			t.Fatal("decodeWrapped does not invert encodeWrapped")
		}
	})
}

// BenchmarkSealSeq and BenchmarkOpenSeq: the cipher's share of an Apply and a Scan, per 512-byte
// message of one partition.
func BenchmarkSealSeq(b *testing.B) {
	k := testKeys(b, 1)
	prefix := k.partitionKey("messages", []byte("group"))
	value := make([]byte, 512)
	b.SetBytes(int64(len(value)))
	nonce := nonces(1)
	var seq uint64
	for b.Loop() {
		seq++
		k.sealSeq(nonce, prefix, seq, value)
	}
}

func BenchmarkOpenSeq(b *testing.B) {
	k := testKeys(b, 1)
	prefix := k.partitionKey("messages", []byte("group"))
	sealed := k.sealSeq(nonces(1), prefix, 1, make([]byte, 512))
	b.SetBytes(512)
	for b.Loop() {
		if _, _, err := k.openSeq(prefix, sealed); err != nil {
			b.Fatal(err)
		}
	}
}
