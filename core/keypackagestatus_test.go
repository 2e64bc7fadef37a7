//go:build !js

package core_test

import (
	"context"
	"encoding/hex"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/memstore"
)

func TestKeyPackageStatuses(t *testing.T) {
	net := newNetwork(t)
	a := net.create(t, newWallet(t), memstore.New())
	b := net.create(t, newWallet(t), memstore.New())
	unknown := make([]byte, 32)
	got, err := a.KeyPackageStatuses(context.Background(), [][]byte{b.InstallationID(), unknown})
	if err != nil {
		t.Fatal(err)
	}
	st, ok := got[hex.EncodeToString(b.InstallationID())]
	if !ok || len(got) != 2 {
		t.Fatalf("statuses %v: want b's and the unknown one's", got)
	}
	if got[hex.EncodeToString(unknown)].ValidationError == "" {
		t.Fatal("an installation without a key package has no validation error")
	}
	if st.ValidationError != "" {
		t.Fatalf("b's fresh key package is refused: %s", st.ValidationError)
	}
	now := uint64(time.Now().Unix())
	if st.NotBefore > now || st.NotAfter <= now {
		t.Fatalf("lifetime %d..%d does not hold now (%d)", st.NotBefore, st.NotAfter, now)
	}
}
