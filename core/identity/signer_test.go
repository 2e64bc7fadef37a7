package identity

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestEOASignerAsync signs through a callback answered from another goroutine, as a browser
// wallet answers a JS promise, and gives up when the context ends.
func TestEOASignerAsync(t *testing.T) {
	w := newWallet(t)
	requests := make(chan string)
	answers := make(chan []byte)
	go func() {
		for text := range requests {
			answers <- w.SignText(text)
		}
	}()
	defer close(requests)
	signer, err := NewEOASigner("0x"+strings.ToUpper(w.Address()[2:]), func(ctx context.Context, text string) ([]byte, error) {
		select {
		case requests <- text:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		select {
		case sig := <-answers:
			return sig, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if signer.Member() != w.Member() {
		t.Fatalf("signer %s, want the lowercase %s", signer.Member(), w.Member())
	}
	u, _, err := Register(context.Background(), signer, DefaultNonce, newInstallation(t), testTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (Validator{}).Apply(context.Background(), nil, u); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stuck, err := NewEOASigner(w.Address(), func(ctx context.Context, _ string) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Register(ctx, stuck, DefaultNonce, newInstallation(t), testTime); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled signing: %v", err)
	}
	if _, err := NewEOASigner("0x12", nil); !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("malformed address: %v", err)
	}
}
