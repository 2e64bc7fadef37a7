package identity

import (
	"context"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// LocalWallet is an Ethereum account whose private key lives in this process: for tests,
// the demo and bots. Real users sign with their own wallet through EOASigner.
type LocalWallet struct {
	key     secp256k1Key
	address string // derived once: Member is asked for every signature slot
}

// NewLocalWallet generates a wallet with a fresh random key.
func NewLocalWallet() (*LocalWallet, error) {
	k, err := generateSecp256k1Key()
	if err != nil {
		return nil, err
	}
	return &LocalWallet{k, k.address()}, nil
}

// LocalWalletFromKey restores a wallet from its 32-byte private key.
func LocalWalletFromKey(privateKey []byte) (*LocalWallet, error) {
	k, err := parseSecp256k1Key(privateKey)
	if err != nil {
		return nil, err
	}
	return &LocalWallet{k, k.address()}, nil
}

// PrivateKey returns the 32-byte private key to persist the wallet.
func (w *LocalWallet) PrivateKey() []byte { return w.key.bytes() }

// Address returns the wallet's lowercase address.
func (w *LocalWallet) Address() string { return w.address }

// Member returns the wallet as an inbox member.
func (w *LocalWallet) Member() MemberID { return EthereumMember(w.Address()) }

// SignText signs text with EIP-191 (personal_sign) and returns R||S||V with V 27 or 28, as
// wallets do.
func (w *LocalWallet) SignText(text string) []byte {
	sig := w.key.sign(eip191Hash(text))
	sig[64] += 27
	return sig
}

// Sign returns the wallet's ERC-191 signature over text.
func (w *LocalWallet) Sign(_ context.Context, text string) (*associations.Signature, error) {
	return &associations.Signature{Signature: &associations.Signature_Erc_191{
		Erc_191: &associations.RecoverableEcdsaSignature{Bytes: w.SignText(text)},
	}}, nil
}
