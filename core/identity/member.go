package identity

import (
	"encoding/hex"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// MemberKind is the role of an inbox member; it decides which signature kinds it may make.
type MemberKind uint8

// The member kinds of XIP-46: wallets and passkeys own and recover inboxes, installations
// send and receive messages.
const (
	KindEthereum MemberKind = iota + 1
	KindInstallation
	KindPasskey
)

func (k MemberKind) String() string {
	switch k {
	case KindEthereum:
		return "ethereum"
	case KindInstallation:
		return "installation"
	case KindPasskey:
		return "passkey"
	}
	return fmt.Sprintf("member kind %d", uint8(k))
}

// MemberID identifies a member. It is comparable so that it can key the state's member map:
// key holds the address text for Ethereum and the raw key bytes otherwise. Addresses are
// compared as strings, exactly as libxmtp does, so a mixed-case address never matches the
// lowercase one recovered from a signature.
type MemberID struct {
	Kind MemberKind
	key  string
}

// EthereumMember names a wallet by its address, taken as written.
func EthereumMember(address string) MemberID { return MemberID{KindEthereum, address} }

// InstallationMember names an installation by its Ed25519 public key.
func InstallationMember(publicKey []byte) MemberID {
	return MemberID{KindInstallation, string(publicKey)}
}

// PasskeyMember names a passkey by its public key.
func PasskeyMember(publicKey []byte) MemberID { return MemberID{KindPasskey, string(publicKey)} }

// Address returns an Ethereum member's address ("" for other kinds).
func (m MemberID) Address() string {
	if m.Kind != KindEthereum {
		return ""
	}
	return m.key
}

// PublicKey returns an installation's or passkey's public key (nil for wallets).
func (m MemberID) PublicKey() []byte {
	if m.Kind == KindEthereum {
		return nil
	}
	return []byte(m.key)
}

// String is the member as the signature text shows it: the address, or the key in hex.
func (m MemberID) String() string {
	if m.Kind == KindEthereum {
		return m.key
	}
	return hex.EncodeToString([]byte(m.key))
}

// Proto returns the wire form of the member.
func (m MemberID) Proto() *associations.MemberIdentifier {
	switch m.Kind {
	case KindEthereum:
		return &associations.MemberIdentifier{Kind: &associations.MemberIdentifier_EthereumAddress{EthereumAddress: m.key}}
	case KindInstallation:
		return &associations.MemberIdentifier{Kind: &associations.MemberIdentifier_InstallationPublicKey{InstallationPublicKey: []byte(m.key)}}
	case KindPasskey:
		return &associations.MemberIdentifier{Kind: &associations.MemberIdentifier_Passkey{Passkey: &associations.Passkey{Key: []byte(m.key)}}}
	}
	return nil
}

// identifierKind is the wire kind of a member that can own or recover an inbox.
func (m MemberID) identifierKind() associations.IdentifierKind {
	if m.Kind == KindPasskey {
		return associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY
	}
	return associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM
}

// memberFromProto reads a MemberIdentifier. Addresses are kept as sent (libxmtp does not
// normalise them either); rules that need a valid address check it where they need it.
func memberFromProto(p *associations.MemberIdentifier) (MemberID, error) {
	switch k := p.GetKind().(type) {
	case *associations.MemberIdentifier_EthereumAddress:
		return EthereumMember(k.EthereumAddress), nil
	case *associations.MemberIdentifier_InstallationPublicKey:
		return InstallationMember(k.InstallationPublicKey), nil
	case *associations.MemberIdentifier_Passkey:
		return PasskeyMember(k.Passkey.GetKey()), nil
	}
	return MemberID{}, fmt.Errorf("member identifier: %w", ErrMissingField)
}

// identifierFromProto reads the string form of an inbox owner or recovery identifier, as
// CreateInbox and ChangeRecoveryAddress carry it. An unset kind means Ethereum.
func identifierFromProto(identifier string, kind associations.IdentifierKind) (MemberID, error) {
	switch kind {
	case associations.IdentifierKind_IDENTIFIER_KIND_UNSPECIFIED, associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM:
		return EthereumMember(identifier), nil
	case associations.IdentifierKind_IDENTIFIER_KIND_PASSKEY:
		key, err := hex.DecodeString(identifier)
		if err != nil {
			return MemberID{}, fmt.Errorf("identifier: %w", ErrInvalidPasskey)
		}
		return PasskeyMember(key), nil
	}
	return MemberID{}, fmt.Errorf("identifier kind %d: %w", kind, ErrUnknownIdentifier)
}

// validAddress reports whether s is "0x" followed by 40 hex digits of either case.
func validAddress(s string) bool {
	if len(s) != 42 || s[0] != '0' || s[1] != 'x' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// NormalizeAddress validates an Ethereum address and lowercases it, the form XMTP stores and
// signs (libxmtp sanitize_evm_addresses).
func NormalizeAddress(address string) (string, error) {
	if !validAddress(address) {
		return "", ErrInvalidAddress
	}
	b := []byte(address)
	for i, c := range b {
		if 'A' <= c && c <= 'F' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b), nil
}
