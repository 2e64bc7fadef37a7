package core

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"

	"google.golang.org/protobuf/proto"

	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// readCommitLog pages through the group's published log, in the node's order, into a chain
// of the entries it trusts, until enough(chain) (nil: the whole log).
func (g *Group) readCommitLog(ctx context.Context, enough func(*commitLogChain) bool) (*commitLogChain, error) {
	chain := &commitLogChain{entries: map[uint64]*mlscontents.PlaintextCommitLogEntry{}}
	var cursor uint64
	for {
		req := &mlsv1.BatchQueryCommitLogRequest{Requests: []*mlsv1.QueryCommitLogRequest{{
			GroupId:    g.id,
			PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: queryPageSize, IdCursor: cursor},
		}}}
		var resp *mlsv1.BatchQueryCommitLogResponse
		err := retryRateLimited(ctx, func() (err error) {
			resp, err = g.c.opts.API.BatchQueryCommitLog(ctx, req)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("group %x: query commit log: %w", g.id, err)
		}
		var entries []*mlscontents.CommitLogEntry
		if rs := resp.GetResponses(); len(rs) > 0 {
			entries = rs[0].GetCommitLogEntries()
		}
		for _, e := range entries {
			chain.add(g.id, e)
			cursor = max(cursor, e.GetSequenceId())
		}
		if len(entries) < queryPageSize || (enough != nil && enough(chain)) {
			return chain, nil
		}
	}
}

// commitLogChain accepts a group's published entries in the node's order under libxmtp's
// rules: the key of the first entry whose signature verifies becomes the log's key; an entry
// must be signed by it, name the group, and follow the last accepted one: a later commit,
// an applied commit starting from the epoch it ended in and reaching the next, a failed one
// staying in it.
type commitLogChain struct {
	key     ed25519.PublicKey
	last    *mlscontents.PlaintextCommitLogEntry
	entries map[uint64]*mlscontents.PlaintextCommitLogEntry
}

func (c *commitLogChain) add(groupID []byte, e *mlscontents.CommitLogEntry) {
	body, sig := e.GetSerializedCommitLogEntry(), e.GetSignature()
	if len(sig.GetPublicKey()) != ed25519.PublicKeySize || !ed25519.Verify(sig.GetPublicKey(), body, sig.GetBytes()) {
		return
	}
	if c.key == nil {
		c.key = sig.GetPublicKey()
	}
	var entry mlscontents.PlaintextCommitLogEntry
	if !bytes.Equal(sig.GetPublicKey(), c.key) || proto.Unmarshal(body, &entry) != nil ||
		!bytes.Equal(entry.GetGroupId(), groupID) || entry.GetCommitSequenceId() == 0 || !c.follows(&entry) {
		return
	}
	c.entries[entry.GetCommitSequenceId()], c.last = &entry, &entry
}

func (c *commitLogChain) follows(e *mlscontents.PlaintextCommitLogEntry) bool {
	last := c.last
	if last == nil {
		return true
	}
	if e.GetCommitSequenceId() <= last.GetCommitSequenceId() {
		return false
	}
	if e.GetCommitResult() != mlscontents.CommitResult_COMMIT_RESULT_APPLIED {
		return e.GetAppliedEpochNumber() == last.GetAppliedEpochNumber() &&
			bytes.Equal(e.GetAppliedEpochAuthenticator(), last.GetAppliedEpochAuthenticator())
	}
	return e.GetAppliedEpochNumber() == last.GetAppliedEpochNumber()+1 &&
		(len(last.GetAppliedEpochAuthenticator()) == 0 || bytes.Equal(e.GetLastEpochAuthenticator(), last.GetAppliedEpochAuthenticator()))
}
