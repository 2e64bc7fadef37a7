package identity

import (
	"context"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// signatureKind is how a signature was made; each member role accepts only some kinds.
type signatureKind uint8

const (
	sigERC191 signatureKind = iota + 1
	sigERC1271
	sigInstallationKey
	sigLegacyDelegated
	sigP256
)

func (k signatureKind) String() string {
	switch k {
	case sigERC191:
		return "erc-191"
	case sigERC1271:
		return "erc-1271"
	case sigInstallationKey:
		return "installation-key"
	case sigLegacyDelegated:
		return "legacy-delegated"
	case sigP256:
		return "p256"
	}
	return fmt.Sprintf("signature kind %d", uint8(k))
}

// verifiedSignature is a signature that verified over the update's text: who made it, how,
// the bytes recorded against replay, and for contract wallets the chain they live on.
type verifiedSignature struct {
	signer  MemberID
	kind    signatureKind
	raw     []byte
	chainID uint64
	onChain bool
}

// verifySignature checks one signature over text and returns its signer.
func verifySignature(ctx context.Context, text string, s *associations.Signature, scw SmartContractVerifier) (verifiedSignature, error) {
	switch k := s.GetSignature().(type) {
	case *associations.Signature_Erc_191:
		signer, raw, err := recoverERC191(text, k.Erc_191.GetBytes())
		if err != nil {
			return verifiedSignature{}, fmt.Errorf("erc-191: %w", err)
		}
		return verifiedSignature{signer: EthereumMember(signer), kind: sigERC191, raw: raw}, nil
	case *associations.Signature_InstallationKey:
		ik := k.InstallationKey
		if err := verifyInstallationSignature(text, ik.GetBytes(), ik.GetPublicKey()); err != nil {
			return verifiedSignature{}, err
		}
		return verifiedSignature{signer: InstallationMember(ik.GetPublicKey()), kind: sigInstallationKey, raw: ik.GetBytes()}, nil
	case *associations.Signature_Erc_6492:
		return verifySmartContractWallet(ctx, text, k.Erc_6492, scw)
	case *associations.Signature_DelegatedErc_191:
		return verifyLegacyDelegated(text, k.DelegatedErc_191)
	case *associations.Signature_Passkey:
		return verifyPasskey(text, k.Passkey)
	}
	return verifiedSignature{}, fmt.Errorf("signature: %w", ErrMissingField)
}

// verifySmartContractWallet asks the injected verifier about a contract wallet's signature
// over the EIP-191 hash of text.
func verifySmartContractWallet(ctx context.Context, text string, s *associations.SmartContractWalletSignature, scw SmartContractVerifier) (verifiedSignature, error) {
	account, err := ParseAccountID(s.GetAccountId())
	if err != nil {
		return verifiedSignature{}, fmt.Errorf("smart-contract wallet: %w", err)
	}
	if scw == nil {
		return verifiedSignature{}, ErrNoSmartContractVerifier
	}
	req := SmartContractSignature{AccountID: s.GetAccountId(), Account: account, Signature: s.GetSignature(), BlockNumber: s.GetBlockNumber()}
	copy(req.Hash[:], eip191Hash(text))
	valid, err := scw.VerifySmartContractSignature(ctx, req)
	if err != nil {
		return verifiedSignature{}, fmt.Errorf("smart-contract wallet %s: %w", s.GetAccountId(), err)
	}
	if !valid {
		return verifiedSignature{}, fmt.Errorf("smart-contract wallet %s: %w", s.GetAccountId(), ErrSmartContractSignatureDenied)
	}
	return verifiedSignature{signer: EthereumMember(account.Address), kind: sigERC1271, raw: s.GetSignature(), chainID: account.ChainID, onChain: true}, nil
}
