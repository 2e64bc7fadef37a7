package content_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func TestTransactionReference(t *testing.T) {
	want := content.TransactionReference{
		Namespace: "eip155", NetworkID: "8453", Reference: "0xabc",
		Metadata: &content.TransactionMetadata{TransactionType: "transfer", Currency: "USDC", Amount: 1.25, Decimals: 6, FromAddress: "0x1", ToAddress: "0x2"},
	}
	ec, err := content.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := content.Decode(ec); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	// A sender that writes networkId as a number, as older SDKs did.
	raw := &mlscontents.EncodedContent{Type: content.TypeTransactionReference.Proto(), Content: []byte(`{"networkId":1,"reference":"0xdef"}`)}
	got, err := content.Decode(raw)
	if err != nil || got.(content.TransactionReference).NetworkID != "1" {
		t.Fatalf("numeric networkId: %+v, %v", got, err)
	}
	raw.Content = []byte(`{"networkId":true,"reference":"0xdef"}`)
	if _, err := content.Decode(raw); !errors.Is(err, content.ErrMalformed) {
		t.Fatalf("boolean networkId: %v, want ErrMalformed", err)
	}
}

func TestWalletSendCalls(t *testing.T) {
	want := content.WalletSendCalls{
		Version: "1.0", ChainID: "0x2105", From: "0x1",
		Calls: []content.WalletCall{{To: "0x2", Value: "0x10", Metadata: map[string]string{"description": "pay", "transactionType": "transfer", "note": "x"}}},
	}
	ec, err := content.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := content.Decode(ec); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	bad := content.WalletSendCalls{Calls: []content.WalletCall{{Metadata: map[string]string{"description": "pay"}}}}
	if _, err := content.Encode(bad); !errors.Is(err, content.ErrInvalidContent) {
		t.Fatalf("metadata without transactionType encodes: %v", err)
	}
}
