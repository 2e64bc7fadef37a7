package identity

import (
	"context"
	"sync"
	"testing"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// testLog is an inbox log of n updates: a registration, then installations added and
// revoked in turn by the owner, so that every update carries wallet signatures.
type testLog struct {
	wallet  *LocalWallet
	updates []*associations.IdentityUpdate
}

var (
	logsMu sync.Mutex
	logs   = map[int]*testLog{}
)

// inboxLog builds (once per size) a valid log of n updates.
func inboxLog(tb testing.TB, n int) *testLog {
	tb.Helper()
	logsMu.Lock()
	defer logsMu.Unlock()
	if l, ok := logs[n]; ok {
		return l
	}
	ctx := context.Background()
	l := &testLog{wallet: newWallet(tb)}
	u, inboxID, err := Register(ctx, l.wallet, DefaultNonce, newInstallation(tb), testTime)
	if err != nil {
		tb.Fatal(err)
	}
	l.updates = append(l.updates, u)
	var last *InstallationKey
	for i := 1; i < n; i++ {
		ts := testTime + uint64(i)
		if last != nil && i%2 == 0 {
			u, err = RevokeInstallations(ctx, inboxID, l.wallet, [][]byte{last.PublicKey()}, ts)
			last = nil
		} else {
			last = newInstallation(tb)
			u, err = AddInstallation(ctx, inboxID, l.wallet, last, ts)
		}
		if err != nil {
			tb.Fatal(err)
		}
		l.updates = append(l.updates, u)
	}
	logs[n] = l
	return l
}

func benchmarkValidateInboxLog(b *testing.B, n int) {
	log := inboxLog(b, n)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Validator{}).Replay(ctx, log.updates); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateInboxLog1(b *testing.B)   { benchmarkValidateInboxLog(b, 1) }
func BenchmarkValidateInboxLog10(b *testing.B)  { benchmarkValidateInboxLog(b, 10) }
func BenchmarkValidateInboxLog256(b *testing.B) { benchmarkValidateInboxLog(b, 256) }
