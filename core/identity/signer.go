package identity

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// Signer is a member that can sign an identity update's text. Signing may be slow and
// asynchronous (a wallet prompt, a JS callback in the browser, a remote signer), so it takes
// a context and may block until the user answers or the context ends.
type Signer interface {
	// Member is who signs, as the update names it.
	Member() MemberID
	// Sign returns the member's signature over text.
	Sign(ctx context.Context, text string) (*associations.Signature, error)
}

// SignTextFunc signs text the EIP-191 (personal_sign) way and returns R||S||V. It is what a
// wallet outside Go provides: a browser wallet, a hardware signer, a JS callback.
type SignTextFunc func(ctx context.Context, text string) ([]byte, error)

// EOASigner is an externally owned Ethereum account that signs through a callback.
type EOASigner struct {
	address string
	sign    SignTextFunc
}

// NewEOASigner wraps a wallet's personal_sign callback. The address is checked and
// lowercased, the form XMTP records.
func NewEOASigner(address string, sign SignTextFunc) (*EOASigner, error) {
	normalized, err := NormalizeAddress(address)
	if err != nil {
		return nil, fmt.Errorf("eoa signer: %w", err)
	}
	return &EOASigner{address: normalized, sign: sign}, nil
}

// Member returns the wallet's address as a member.
func (s *EOASigner) Member() MemberID { return EthereumMember(s.address) }

// Sign asks the wallet for an EIP-191 signature over text.
func (s *EOASigner) Sign(ctx context.Context, text string) (*associations.Signature, error) {
	sig, err := s.sign(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("wallet signature: %w", err)
	}
	return &associations.Signature{Signature: &associations.Signature_Erc_191{
		Erc_191: &associations.RecoverableEcdsaSignature{Bytes: sig},
	}}, nil
}

// SmartContractWalletSigner is a contract account (ERC-1271/6492) that signs through a
// callback. Its signature is checked on chain at BlockNumber.
type SmartContractWalletSigner struct {
	account     AccountID
	blockNumber uint64
	sign        SignTextFunc
}

// NewSmartContractWalletSigner wraps a contract wallet on an EVM chain. blockNumber is the
// block at which verifiers check the signature.
func NewSmartContractWalletSigner(chainID uint64, address string, blockNumber uint64, sign SignTextFunc) (*SmartContractWalletSigner, error) {
	normalized, err := NormalizeAddress(address)
	if err != nil {
		return nil, fmt.Errorf("smart-contract wallet signer: %w", err)
	}
	return &SmartContractWalletSigner{account: AccountID{ChainID: chainID, Address: normalized}, blockNumber: blockNumber, sign: sign}, nil
}

// Member returns the contract's address as a member.
func (s *SmartContractWalletSigner) Member() MemberID { return EthereumMember(s.account.Address) }

// Sign asks the contract wallet for its signature over text.
func (s *SmartContractWalletSigner) Sign(ctx context.Context, text string) (*associations.Signature, error) {
	sig, err := s.sign(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("smart-contract wallet signature: %w", err)
	}
	return &associations.Signature{Signature: &associations.Signature_Erc_6492{
		Erc_6492: &associations.SmartContractWalletSignature{AccountId: s.account.String(), BlockNumber: s.blockNumber, Signature: sig},
	}}, nil
}
