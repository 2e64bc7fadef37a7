package identity

import (
	"encoding/hex"
	"fmt"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
	contents "github.com/goxmtp/goxmtp/proto/message_contents"
	"google.golang.org/protobuf/proto"
)

// legacyKeyText is what a wallet signed to vouch for an XMTP V2 identity key (libxmtp
// ValidatedLegacySignedPublicKey::text): the hex of the serialized UnsignedPublicKey between
// a fixed header and footer. Note the footer's trailing slash, unlike the V3 text.
func legacyKeyText(keyBytes []byte) string {
	return "XMTP : Create Identity\n" + hex.EncodeToString(keyBytes) + "\n\nFor more info: https://xmtp.org/signatures/"
}

// verifyLegacyDelegated checks a signature made by a V2 identity key on behalf of the wallet
// that signed that key. The update's signer is the wallet; what is recorded against replay is
// the wallet's signature over the key, so one V2 key can vouch only once.
func verifyLegacyDelegated(text string, s *associations.LegacyDelegatedSignature) (verifiedSignature, error) {
	keySigner, _, err := recoverERC191(text, s.GetSignature().GetBytes())
	if err != nil {
		return verifiedSignature{}, fmt.Errorf("legacy key signature: %w", err)
	}
	signed := s.GetDelegatedKey()
	if signed == nil {
		return verifiedSignature{}, fmt.Errorf("delegated key: %w", ErrMissingField)
	}
	walletSig, err := legacyWalletSignature(signed.GetSignature())
	if err != nil {
		return verifiedSignature{}, err
	}
	wallet, normalized, err := recoverERC191(legacyKeyText(signed.GetKeyBytes()), walletSig)
	if err != nil {
		return verifiedSignature{}, fmt.Errorf("legacy wallet signature: %w", err)
	}
	var key contents.UnsignedPublicKey
	if err := proto.Unmarshal(signed.GetKeyBytes(), &key); err != nil {
		return verifiedSignature{}, fmt.Errorf("%w: key bytes", ErrMalformedLegacyKey)
	}
	point := key.GetSecp256K1Uncompressed()
	if point == nil {
		return verifiedSignature{}, fmt.Errorf("%w: not a secp256k1 key", ErrMalformedLegacyKey)
	}
	keyAddress, err := addressOfSEC1(point.GetBytes())
	if err != nil {
		return verifiedSignature{}, fmt.Errorf("%w: %w", ErrMalformedLegacyKey, err)
	}
	if keyAddress != keySigner {
		return verifiedSignature{}, fmt.Errorf("%w: update not signed by the legacy key", ErrInvalidSignature)
	}
	return verifiedSignature{signer: EthereumMember(wallet), kind: sigLegacyDelegated, raw: normalized}, nil
}

// legacyWalletSignature turns a V2 compact signature into R||S||V. The recovery id is cut to
// one byte as libxmtp does.
func legacyWalletSignature(s *contents.Signature) ([]byte, error) {
	var rs []byte
	var recovery uint32
	switch u := s.GetUnion().(type) {
	case *contents.Signature_WalletEcdsaCompact:
		rs, recovery = u.WalletEcdsaCompact.GetBytes(), u.WalletEcdsaCompact.GetRecovery()
	case *contents.Signature_EcdsaCompact:
		rs, recovery = u.EcdsaCompact.GetBytes(), u.EcdsaCompact.GetRecovery()
	default:
		return nil, fmt.Errorf("%w: no wallet signature", ErrMalformedLegacyKey)
	}
	if len(rs) != 64 {
		return nil, fmt.Errorf("%w: wallet signature of %d bytes", ErrMalformedLegacyKey, len(rs))
	}
	return append(append([]byte(nil), rs...), byte(recovery)), nil
}
