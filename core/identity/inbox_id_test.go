package identity

import (
	"errors"
	"testing"
)

func TestInboxID(t *testing.T) {
	// libxmtp unsigned_actions.rs and xmtp-protocol.md §2.1.
	got, err := InboxID(EthereumMember("0x1234567890abcdef1234567890abcdef12345678"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := "fcd18d86276d7a99fe522dba9660c420f03c8648785ada7c5daae232a3df77a9"; got != want {
		t.Fatalf("inbox id = %s, want %s", got, want)
	}
	if DefaultNonce != 1 {
		t.Fatalf("DefaultNonce = %d, JS SDKs use 1", DefaultNonce)
	}
	for _, bad := range []string{"", "0x1234", "1234567890abcdef1234567890abcdef1234567890", "0x1234567890abcdef1234567890abcdef1234567g"} {
		if _, err := InboxID(EthereumMember(bad), 1); !errors.Is(err, ErrInvalidAddress) {
			t.Errorf("InboxID(%q) error = %v, want ErrInvalidAddress", bad, err)
		}
	}
}

func TestNormalizeAddress(t *testing.T) {
	got, err := NormalizeAddress("0xAbCdEf0123456789aBcDeF0123456789ABCDEF01")
	if err != nil || got != "0xabcdef0123456789abcdef0123456789abcdef01" {
		t.Fatalf("NormalizeAddress = %q, %v", got, err)
	}
	if _, err := NormalizeAddress("0X" + got[2:]); !errors.Is(err, ErrInvalidAddress) {
		t.Fatalf("0X prefix accepted: %v", err)
	}
}
