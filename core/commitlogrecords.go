package core

import (
	"fmt"

	"github.com/goxmtp/goxmtp/mls"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Tables of the commit log (XIP-68). New tables need no store migration: the stores keep
// every table in the same two record shapes.
const (
	// tableCommitLog: partition group id, seq = the commit's id on the node → commitLogRecord.
	// Keyed by the node's id, an entry processed twice (a replay after a crash) is written
	// once, and the partition reads back in the node's order.
	tableCommitLog = "commit_log"
	// tableCommitLogPublished: group id → commitLogPublished, how far the log is published.
	tableCommitLogPublished = "commit_log_published"
)

const commitLogRecordVersion = 1

// commitLogRecord is what processing one commit did to this member's group state: the fields
// of a PlaintextCommitLogEntry but the group id (the partition) and the commit's id (the seq).
type commitLogRecord struct {
	LastEpochAuthenticator    []byte
	Result                    mlscontents.CommitResult
	AppliedEpoch              uint64
	AppliedEpochAuthenticator []byte
}

func (r *commitLogRecord) encode() []byte {
	e := mls.NewEncoder(len(r.LastEpochAuthenticator) + len(r.AppliedEpochAuthenticator) + 16)
	e.U8(commitLogRecordVersion)
	e.Opaque(r.LastEpochAuthenticator)
	e.U8(uint8(r.Result))
	e.U64(r.AppliedEpoch)
	e.Opaque(r.AppliedEpochAuthenticator)
	return e.Bytes()
}

func decodeCommitLogRecord(b []byte) (*commitLogRecord, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != commitLogRecordVersion {
		return nil, fmt.Errorf("%w: commit log record version %d", ErrCorruptRecord, v)
	}
	r := &commitLogRecord{
		LastEpochAuthenticator:    clone(d.Opaque()),
		Result:                    mlscontents.CommitResult(d.U8()),
		AppliedEpoch:              d.U64(),
		AppliedEpochAuthenticator: clone(d.Opaque()),
	}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("commit log record: %w", err))
	}
	if _, known := mlscontents.CommitResult_name[int32(r.Result)]; !known {
		return nil, fmt.Errorf("%w: commit log record: result %d", ErrCorruptRecord, r.Result)
	}
	return r, nil
}

const commitLogPublishedVersion = 1

// commitLogPublished is a group's publishing progress: every entry up to Through is on the
// node, and the last attempt (successful or not) was at AttemptedAtNs.
type commitLogPublished struct {
	Through       uint64
	AttemptedAtNs uint64
}

func (r *commitLogPublished) encode() []byte {
	e := mls.NewEncoder(17)
	e.U8(commitLogPublishedVersion)
	e.U64(r.Through)
	e.U64(r.AttemptedAtNs)
	return e.Bytes()
}

func decodeCommitLogPublished(b []byte) (*commitLogPublished, error) {
	d := mls.NewDecoder(b)
	if v := d.U8(); d.Err() == nil && v != commitLogPublishedVersion {
		return nil, fmt.Errorf("%w: commit log cursor version %d", ErrCorruptRecord, v)
	}
	r := &commitLogPublished{Through: d.U64(), AttemptedAtNs: d.U64()}
	if err := d.Finish(); err != nil {
		return nil, ErrCorruptRecord.Wrap(fmt.Errorf("commit log cursor: %w", err))
	}
	return r, nil
}
