package core

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func sampleCommitLogRecord() *commitLogRecord {
	return &commitLogRecord{
		LastEpochAuthenticator:    bytes.Repeat([]byte{1}, 32),
		Result:                    mlscontents.CommitResult_COMMIT_RESULT_APPLIED,
		AppliedEpoch:              7,
		AppliedEpochAuthenticator: bytes.Repeat([]byte{2}, 32),
	}
}

func TestCommitLogRecordsRoundTrip(t *testing.T) {
	r := sampleCommitLogRecord()
	if got, err := decodeCommitLogRecord(r.encode()); err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("commit log record round trip: %+v, %v", got, err)
	}
	p := &commitLogPublished{Through: 42, AttemptedAtNs: 1_700_000_000_000_000_000}
	if got, err := decodeCommitLogPublished(p.encode()); err != nil || *got != *p {
		t.Fatalf("commit log cursor round trip: %+v, %v", got, err)
	}
}

func TestCommitLogRecordsRejectCorruption(t *testing.T) {
	enc := sampleCommitLogRecord().encode()
	unknown := bytes.Clone(enc)
	unknown[1+1+32] = 9 // the result byte, after the version and the first authenticator
	for name, b := range map[string][]byte{
		"empty":          nil,
		"version":        append([]byte{99}, enc[1:]...),
		"truncated":      enc[:len(enc)-1],
		"trailing":       append(bytes.Clone(enc), 0),
		"unknown result": unknown,
	} {
		if _, err := decodeCommitLogRecord(b); !errors.Is(err, ErrCorruptRecord) {
			t.Errorf("%s: got %v, want ErrCorruptRecord", name, err)
		}
	}
	if _, err := decodeCommitLogPublished([]byte{commitLogPublishedVersion, 0}); !errors.Is(err, ErrCorruptRecord) {
		t.Errorf("truncated cursor: got %v, want ErrCorruptRecord", err)
	}
}

// FuzzDecodeCommitLogRecords: the commit log's records come back from disk or IndexedDB and
// may be damaged; decoding must fail cleanly, and whatever decodes must re-encode to the
// same bytes.
func FuzzDecodeCommitLogRecords(f *testing.F) {
	f.Add(sampleCommitLogRecord().encode())
	f.Add((&commitLogPublished{Through: 3, AttemptedAtNs: 4}).encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := decodeCommitLogRecord(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("commit log record does not re-encode to its bytes")
		}
		if r, err := decodeCommitLogPublished(b); err == nil && !bytes.Equal(r.encode(), b) {
			t.Fatal("commit log cursor does not re-encode to its bytes")
		}
	})
}
