package core

import (
	"bytes"
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/core/store"
)

// ForkStatus is what a group's published commit log says of this member's state.
type ForkStatus uint8

const (
	// ForkUnknown: the log has no entry yet for this member's latest commit.
	ForkUnknown ForkStatus = iota
	// ForkNone: the log agrees with this member on its latest commit.
	ForkNone
	// ForkDetected: the log names another epoch authenticator than this member reached for
	// a commit both processed: its state forked from the publishers'.
	ForkDetected
)

func (s ForkStatus) String() string {
	switch s {
	case ForkNone:
		return "none"
	case ForkDetected:
		return "forked"
	}
	return "unknown"
}

// ForkStatus reads the group's commit log from the node and compares it with what this member
// recorded, as libxmtp 1.11's fork check does: the log's entries are trusted only when signed
// by the log's key (that of its first validly signed entry) and chained one epoch after the
// other; then the newest commit this member recorded that the log also holds decides. The
// log is read whole on every call.
func (g *Group) ForkStatus(ctx context.Context) (ForkStatus, error) {
	remote, err := g.readCommitLog(ctx, nil)
	if err != nil {
		return ForkUnknown, err
	}
	local, err := g.c.opts.Store.Scan(ctx, tableCommitLog, g.id, store.Range{Reverse: true})
	if err != nil {
		return ForkUnknown, fmt.Errorf("group %x: commit log: %w", g.id, err)
	}
	upToDate := true
	for _, l := range local {
		r, found := remote.entries[l.Seq]
		if !found {
			upToDate = false
			continue
		}
		rec, err := decodeCommitLogRecord(l.Value)
		if err != nil {
			continue
		}
		switch {
		case !bytes.Equal(rec.AppliedEpochAuthenticator, r.GetAppliedEpochAuthenticator()):
			return ForkDetected, nil
		case upToDate:
			return ForkNone, nil
		}
		return ForkUnknown, nil
	}
	return ForkUnknown, nil
}
