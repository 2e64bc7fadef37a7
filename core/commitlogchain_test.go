package core

import (
	"bytes"
	"crypto/ed25519"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// FuzzCommitLogChain: published entries are anyone's bytes, signed with a key anyone in the
// group holds; whatever they hold, the chain keeps only entries of its group, in increasing
// commit order, and never panics.
func FuzzCommitLogChain(f *testing.F) {
	group := []byte("group")
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	entry := func(seq, epoch uint64, last, applied byte) []byte {
		b, _ := proto.Marshal(&mlscontents.PlaintextCommitLogEntry{
			GroupId: group, CommitSequenceId: seq, LastEpochAuthenticator: []byte{last},
			CommitResult: mlscontents.CommitResult_COMMIT_RESULT_APPLIED, AppliedEpochNumber: epoch, AppliedEpochAuthenticator: []byte{applied},
		})
		return b
	}
	f.Add(entry(1, 1, 0, 1), entry(2, 2, 1, 2))
	f.Add(entry(1, 1, 0, 1), entry(1, 1, 0, 3))
	f.Add([]byte{0xff}, entry(2, 2, 1, 2))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		c := commitLogChain{entries: map[uint64]*mlscontents.PlaintextCommitLogEntry{}}
		for _, body := range [][]byte{a, b} {
			c.add(group, &mlscontents.CommitLogEntry{
				SerializedCommitLogEntry: body,
				Signature:                &associations.RecoverableEd25519Signature{Bytes: ed25519.Sign(key, body), PublicKey: key.Public().(ed25519.PublicKey)},
			})
		}
		for seq, e := range c.entries {
			if seq == 0 || seq != e.GetCommitSequenceId() || !bytes.Equal(e.GetGroupId(), group) {
				t.Fatalf("kept entry %d of group %x", e.GetCommitSequenceId(), e.GetGroupId())
			}
		}
	})
}
