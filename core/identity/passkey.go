package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// verifyPasskey checks a WebAuthn assertion over an update: the client data's challenge must
// be the update's text (base64url, unpadded) and the P-256 signature must cover the
// authenticator data followed by SHA-256 of the client data JSON. What is recorded against
// replay is R||S, so a re-encoded DER signature cannot be replayed either.
func verifyPasskey(text string, s *associations.RecoverablePasskeySignature) (verifiedSignature, error) {
	challenge, err := passkeyChallenge(s.GetClientDataJson())
	if err != nil {
		return verifiedSignature{}, err
	}
	if challenge != base64.RawURLEncoding.EncodeToString([]byte(text)) {
		return verifiedSignature{}, fmt.Errorf("%w: challenge", ErrInvalidClientData)
	}
	public, err := parseP256(s.GetPublicKey())
	if err != nil {
		return verifiedSignature{}, err
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(s.GetSignature(), &rs); err != nil || len(rest) != 0 {
		return verifiedSignature{}, fmt.Errorf("%w: passkey signature encoding", ErrInvalidSignature)
	}
	n := elliptic.P256().Params().N
	if rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.Cmp(n) >= 0 || rs.S.Cmp(n) >= 0 {
		return verifiedSignature{}, fmt.Errorf("%w: passkey scalar out of range", ErrInvalidSignature)
	}
	clientDataHash := sha256.Sum256(s.GetClientDataJson())
	digest := sha256.Sum256(append(append([]byte(nil), s.GetAuthenticatorData()...), clientDataHash[:]...))
	if !ecdsa.Verify(public, digest[:], rs.R, rs.S) {
		return verifiedSignature{}, fmt.Errorf("passkey: %w", ErrInvalidSignature)
	}
	raw := make([]byte, 64)
	rs.R.FillBytes(raw[:32])
	rs.S.FillBytes(raw[32:])
	return verifiedSignature{signer: PasskeyMember(s.GetPublicKey()), kind: sigP256, raw: raw}, nil
}

// passkeyChallenge reads the challenge of WebAuthn client data. Keys are matched exactly
// (encoding/json's struct decoding would also take "Challenge"), and origin must be present
// as libxmtp requires.
func passkeyChallenge(clientData []byte) (string, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(clientData, &fields); err != nil {
		return "", fmt.Errorf("%w: not a JSON object", ErrInvalidClientData)
	}
	var challenge, origin string
	if json.Unmarshal(fields["challenge"], &challenge) != nil || json.Unmarshal(fields["origin"], &origin) != nil {
		return "", fmt.Errorf("%w: challenge and origin must be strings", ErrInvalidClientData)
	}
	return challenge, nil
}

// parseP256 reads a SEC1 P-256 public key, compressed or uncompressed.
func parseP256(b []byte) (*ecdsa.PublicKey, error) {
	curve := elliptic.P256()
	if len(b) == 33 {
		if x, y := elliptic.UnmarshalCompressed(curve, b); x != nil {
			return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}, nil
		}
		return nil, fmt.Errorf("passkey public key: %w", ErrInvalidPublicKey)
	}
	key, err := ecdsa.ParseUncompressedPublicKey(curve, b)
	if err != nil {
		return nil, fmt.Errorf("passkey public key: %w", ErrInvalidPublicKey)
	}
	return key, nil
}
