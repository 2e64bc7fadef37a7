package identity

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// SmartContractVerifier checks ERC-1271/ERC-6492 signatures of contract wallets, which only
// a chain can judge. The node implements it with chain RPCs; a client can delegate to the
// node's VerifySmartContractWalletSignatures. Validation without one refuses such
// signatures with ErrNoSmartContractVerifier rather than trusting them.
type SmartContractVerifier interface {
	// VerifySmartContractSignature reports whether the contract accepts the signature over
	// the hash at the block. An error means the question could not be answered (and may be
	// retried); valid=false is a definite no.
	VerifySmartContractSignature(ctx context.Context, sig SmartContractSignature) (valid bool, err error)
}

// SmartContractSignature is one contract-wallet signature to check.
type SmartContractSignature struct {
	// AccountID is the CAIP-10 id as the update carries it, e.g. "eip155:1:0xabc...".
	AccountID string
	// Account is AccountID parsed.
	Account AccountID
	// Hash is the EIP-191 hash of the update's signature text.
	Hash [32]byte
	// Signature is the contract wallet's signature bytes.
	Signature   []byte
	BlockNumber uint64
}

// AccountID is a CAIP-10 account on an EVM chain ("eip155:<chain id>:<address>").
type AccountID struct {
	ChainID uint64
	// Address is lowercase.
	Address string
}

func (a AccountID) String() string {
	return "eip155:" + strconv.FormatUint(a.ChainID, 10) + ":" + a.Address
}

// ParseAccountID reads a CAIP-10 account id. Only EVM accounts (namespace eip155) with a
// well-formed address can be inbox members, so anything else is refused.
func ParseAccountID(s string) (AccountID, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || !caipChainOK(parts[0], parts[1]) || !caipAccountOK(parts[2]) || parts[0] != "eip155" {
		return AccountID{}, ErrInvalidAccountID
	}
	chainID, err := strconv.ParseUint(parts[1], 10, 64)
	if err != nil {
		return AccountID{}, fmt.Errorf("%w: chain id", ErrInvalidAccountID)
	}
	address, err := NormalizeAddress(parts[2])
	if err != nil {
		return AccountID{}, fmt.Errorf("%w: %w", ErrInvalidAccountID, err)
	}
	return AccountID{ChainID: chainID, Address: address}, nil
}

// caipChainOK checks CAIP-2: a namespace of 3-8 of [-a-z0-9] and a reference of 1-32 of
// [-_a-zA-Z0-9].
func caipChainOK(namespace, reference string) bool {
	if len(namespace) < 3 || len(namespace) > 8 || len(reference) < 1 || len(reference) > 32 {
		return false
	}
	for i := 0; i < len(namespace); i++ {
		if c := namespace[i]; !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	for i := 0; i < len(reference); i++ {
		if c := reference[i]; !(c == '-' || c == '_' || isAlnum(c)) {
			return false
		}
	}
	return true
}

// caipAccountOK checks CAIP-10's account address: 1-128 of [-.%a-zA-Z0-9].
func caipAccountOK(address string) bool {
	if len(address) < 1 || len(address) > 128 {
		return false
	}
	for i := 0; i < len(address); i++ {
		if c := address[i]; !(c == '-' || c == '.' || c == '%' || isAlnum(c)) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
