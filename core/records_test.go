package core

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

func sampleClientRecord() *clientRecord {
	return &clientRecord{
		InstallationSeed: bytes.Repeat([]byte{1}, 32),
		InboxID:          "fcd18d86276d7a99fe522dba9660c420f03c8648785ada7c5daae232a3df77a9",
		Owner:            "0x1234567890abcdef1234567890abcdef12345678",
		Registered:       true,
		HMACKey:          bytes.Repeat([]byte{2}, hmacKeySize),
		KeyPackage:       bytes.Repeat([]byte{3}, 32),
		RotatedAtNs:      1_700_000_000_000_000_000,
		Retired:          []retiredKeyPackage{{InitKey: bytes.Repeat([]byte{4}, 32), RetiredAtNs: 5}},
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	rec := sampleClientRecord()
	got, err := decodeClientRecord(rec.encode())
	if err != nil || !reflect.DeepEqual(got, rec) {
		t.Fatalf("client record round trip: %+v, %v", got, err)
	}
	kp := &keyPackageRecord{KeyPackage: []byte("kp"), InitPrivate: []byte("init"), LeafPrivate: []byte("leaf"), CreatedAtNs: 7}
	gotKP, err := decodeKeyPackageRecord(kp.encode())
	if err != nil || !reflect.DeepEqual(gotKP, kp) {
		t.Fatalf("key package record round trip: %+v, %v", gotKP, err)
	}
	kp.XWingSeed = bytes.Repeat([]byte{8}, 32)
	gotKP, err = decodeKeyPackageRecord(kp.encode())
	if err != nil || !reflect.DeepEqual(gotKP, kp) {
		t.Fatalf("key package record with an X-Wing seed round trip: %+v, %v", gotKP, err)
	}
}

func TestRecordsRejectCorruption(t *testing.T) {
	enc := sampleClientRecord().encode()
	for name, b := range map[string][]byte{
		"empty":     nil,
		"version":   append([]byte{99}, enc[1:]...),
		"truncated": enc[:len(enc)-1],
		"trailing":  append(bytes.Clone(enc), 0),
	} {
		if _, err := decodeClientRecord(b); !errors.Is(err, ErrCorruptRecord) {
			t.Errorf("%s: got %v, want ErrCorruptRecord", name, err)
		}
	}
}

// FuzzDecodeRecords: stored records come back from disk or IndexedDB and may be damaged;
// decoding must fail cleanly, and whatever decodes must re-encode to the same bytes.
func FuzzDecodeRecords(f *testing.F) {
	f.Add(sampleClientRecord().encode())
	f.Add((&keyPackageRecord{KeyPackage: []byte("kp")}).encode())
	f.Add((&keyPackageRecord{KeyPackage: []byte("kp"), XWingSeed: bytes.Repeat([]byte{8}, 32)}).encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeClientRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("client record does not re-encode to its bytes")
		}
		if r, err := decodeKeyPackageRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("key package record does not re-encode to its bytes")
		}
	})
}
