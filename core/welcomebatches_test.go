package core

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/wrap"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

var errUploadRefused = errors.New("upload refused")

// welcomeRecorder records the SendWelcomeMessages requests a client makes, failing the one
// numbered failAt (from 1) when set.
type welcomeRecorder struct {
	api.API
	requests [][]*mlsv1.WelcomeMessageInput
	failAt   int
}

func (r *welcomeRecorder) SendWelcomeMessages(_ context.Context, req *mlsv1.SendWelcomeMessagesRequest) error {
	r.requests = append(r.requests, req.GetMessages())
	if len(r.requests) == r.failAt {
		return errUploadRefused
	}
	return nil
}

// numbered is a batch of n inputs named by batch and position, or the error err.
func numbered(batch, n int, err error) welcomeBatch {
	return func() ([]*mlsv1.WelcomeMessageInput, error) {
		if err != nil {
			return nil, err
		}
		out := make([]*mlsv1.WelcomeMessageInput, n)
		for i := range out {
			out[i] = &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
				InstallationKey: fmt.Appendf(nil, "%d/%d", batch, i),
			}}}
		}
		return out, nil
	}
}

func installationKeys(inputs []*mlsv1.WelcomeMessageInput) []string {
	var out []string
	for _, in := range inputs {
		out = append(out, string(in.GetV1().GetInstallationKey()))
	}
	return out
}

// TestWelcomeBatchesAreSentInOrder: sealing one batch while the one before uploads sends
// them in order, each whole, and stops at the first failure as sending them one after the
// other would: a batch that does not seal is not sent nor anything after it, and an upload
// that fails hides the failures of batches after it.
func TestWelcomeBatchesAreSentInOrder(t *testing.T) {
	ctx := context.Background()
	sealErr := errors.New("no seal")
	for _, tc := range []struct {
		name    string
		batches []welcomeBatch
		failAt  int
		sent    int
		wantErr error
	}{
		{"all", []welcomeBatch{numbered(0, 3, nil), numbered(1, 1, nil), numbered(2, 5, nil), numbered(3, 2, nil)}, 0, 4, nil},
		{"none", nil, 0, 0, nil},
		{"seal fails", []welcomeBatch{numbered(0, 3, nil), numbered(1, 1, nil), numbered(2, 5, sealErr), numbered(3, 2, nil)}, 0, 2, sealErr},
		{"upload fails first", []welcomeBatch{numbered(0, 3, nil), numbered(1, 1, nil), numbered(2, 5, sealErr)}, 2, 2, errUploadRefused},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &welcomeRecorder{failAt: tc.failAt}
			c := &Client{opts: Options{API: rec}}
			err := c.sendWelcomeBatches(ctx, tc.batches)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if len(rec.requests) != tc.sent {
				t.Fatalf("%d requests sent, want %d", len(rec.requests), tc.sent)
			}
			for b, req := range rec.requests {
				want, _ := tc.batches[b]()
				if got := installationKeys(req); !slices.Equal(got, installationKeys(want)) {
					t.Fatalf("request %d holds %q, want %q", b, got, installationKeys(want))
				}
			}
		})
	}
}

// TestWelcomePointeeBatches: pointers are sealed once however often their commit is
// published, and come back for their welcome only, once;
// the pointee goes first in the first request, no request holds more than
// welcomeBatchEntries inputs, and every recipient gets one pointer, in order.
func TestWelcomePointeeBatches(t *testing.T) {
	ctx := context.Background()
	k, err := wrap.GenerateXWingKey()
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{opts: Options{Rand: rand.Reader}}
	for _, n := range []int{3, welcomeBatchEntries - 1, welcomeBatchEntries, 2*welcomeBatchEntries + 7} {
		var recipients []welcomeRecipient
		for i := range n {
			recipients = append(recipients, welcomeRecipient{InstallationKey: fmt.Appendf(nil, "%d", i), HPKEPublicKey: k.PublicKey().Bytes(), Algorithm: uint8(wrap.XWing), Pointers: true})
		}
		welcome := fmt.Appendf(nil, "welcome for %d", n)
		g := &Group{c: c}
		it := &intentRecord{Welcome: welcome, Recipients: recipients}
		g.sealPointersAhead(it)
		first := g.pointers
		if g.sealPointersAhead(it); g.pointers != first {
			t.Fatalf("n=%d: a publish retried sealed the pointers again", n)
		}
		if g.takePointers([]byte("another welcome")) != nil {
			t.Fatalf("n=%d: pointers sealed for another welcome", n)
		}
		ahead := g.takePointers(welcome)
		if g.takePointers(welcome) != nil {
			t.Fatalf("n=%d: pointers taken twice", n)
		}
		pointers, direct, err := ahead.wait(ctx)
		if err != nil || pointers == nil || len(direct) != 0 {
			t.Fatalf("n=%d: pointers %v, %d direct, %v", n, pointers != nil, len(direct), err)
		}
		var got []string
		for b, inputs := range pointers.batches(welcome, []byte("meta")) {
			if len(inputs) > welcomeBatchEntries {
				t.Fatalf("n=%d: request %d holds %d inputs", n, b, len(inputs))
			}
			if b == 0 {
				if !bytes.Equal(inputs[0].GetV1().GetInstallationKey(), pointers.destination) {
					t.Fatalf("n=%d: the pointee is not first", n)
				}
				inputs = inputs[1:]
			}
			for _, in := range inputs {
				got = append(got, string(in.GetWelcomePointer().GetInstallationKey()))
			}
		}
		var want []string
		for _, r := range recipients {
			want = append(want, string(r.InstallationKey))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: pointers to %d recipients, out of order or missing", n, len(got))
		}
	}
}
