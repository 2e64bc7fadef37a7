package mls

import "fmt"

// The epoch key schedule (RFC 9420 §8). Each epoch chains from the previous epoch's
// init_secret through the commit secret, the group context and the PSK secret:
//
//	joiner_secret = ExpandWithLabel(Extract(init_secret, commit_secret), "joiner", GroupContext, Nh)
//	member        = Extract(joiner_secret, psk_secret)
//	welcome_secret = DeriveSecret(member, "welcome")
//	epoch_secret  = ExpandWithLabel(member, "epoch", GroupContext, Nh)
//
// and every per-epoch secret is DeriveSecret(epoch_secret, <label>). A joiner receives only
// joiner_secret in the Welcome, which is why the chain is split there.

// EpochSecrets are the secrets of one epoch, derived from its epoch_secret (RFC 9420 §8, Table 4).
type EpochSecrets struct {
	Suite CipherSuite
	// SenderData keys the encryption of PrivateMessage sender data.
	SenderData []byte
	// Encryption is the root of the secret tree; drop it once the tree is built.
	Encryption []byte
	// Exporter feeds Export (MLS-Exporter).
	Exporter []byte
	// External derives the key pair that external joiners encrypt to.
	External []byte
	// Confirmation keys the confirmation tag of the commit that opened the epoch.
	Confirmation []byte
	// Membership keys the membership tag of PublicMessages sent by members.
	Membership []byte
	// Resumption is the resumption PSK other groups can later prove knowledge of.
	Resumption []byte
	// Authenticator is the epoch authenticator, a value members can compare out of band.
	Authenticator []byte
	// Init is the init_secret the next epoch's key schedule starts from.
	Init []byte
}

// orZero returns b, or the all-zero Nh-byte vector when b is empty: RFC 9420 uses zero for
// an absent commit secret or PSK secret.
func (cs CipherSuite) orZero(b []byte) []byte {
	if len(b) == 0 {
		return make([]byte, cs.HashSize())
	}
	return b
}

// JoinerSecret derives joiner_secret from the previous epoch's init_secret, the commit secret
// (nil for a commit without a path) and the serialized GroupContext of the new epoch.
func (cs CipherSuite) JoinerSecret(initSecret, commitSecret, groupContext []byte) []byte {
	prk := cs.Extract(initSecret, cs.orZero(commitSecret))
	return cs.ExpandWithLabel(prk, "joiner", groupContext, cs.HashSize())
}

// memberSecret mixes the PSK secret (nil when no PSK is used) into joiner_secret.
func (cs CipherSuite) memberSecret(joinerSecret, pskSecret []byte) []byte {
	return cs.Extract(joinerSecret, cs.orZero(pskSecret))
}

// WelcomeSecret derives welcome_secret, which encrypts the GroupInfo of a Welcome.
func (cs CipherSuite) WelcomeSecret(joinerSecret, pskSecret []byte) []byte {
	return cs.DeriveSecret(cs.memberSecret(joinerSecret, pskSecret), "welcome")
}

// WelcomeKey derives the AEAD key and nonce that encrypt a Welcome's GroupInfo (RFC 9420 §12.4.3.1).
func (cs CipherSuite) WelcomeKey(welcomeSecret []byte) (key, nonce []byte) {
	return cs.ExpandWithLabel(welcomeSecret, "key", nil, cs.AEADKeySize()),
		cs.ExpandWithLabel(welcomeSecret, "nonce", nil, cs.AEADNonceSize())
}

// EpochSecrets runs the rest of the schedule from joiner_secret to every secret of the epoch
// whose serialized GroupContext is given.
func (cs CipherSuite) EpochSecrets(joinerSecret, pskSecret, groupContext []byte) *EpochSecrets {
	epoch := cs.ExpandWithLabel(cs.memberSecret(joinerSecret, pskSecret), "epoch", groupContext, cs.HashSize())
	return &EpochSecrets{
		Suite:         cs,
		SenderData:    cs.DeriveSecret(epoch, "sender data"),
		Encryption:    cs.DeriveSecret(epoch, "encryption"),
		Exporter:      cs.DeriveSecret(epoch, "exporter"),
		External:      cs.DeriveSecret(epoch, "external"),
		Confirmation:  cs.DeriveSecret(epoch, "confirm"),
		Membership:    cs.DeriveSecret(epoch, "membership"),
		Resumption:    cs.DeriveSecret(epoch, "resumption"),
		Authenticator: cs.DeriveSecret(epoch, "authentication"),
		Init:          cs.DeriveSecret(epoch, "init"),
	}
}

// Export is MLS-Exporter (RFC 9420 §8.5): a secret for the application, bound to label and
// context, that reveals nothing about the group's own keys.
func (s *EpochSecrets) Export(label string, context []byte, length int) []byte {
	cs := s.Suite
	return cs.ExpandWithLabel(cs.DeriveSecret(s.Exporter, label), "exported", cs.Hash(context), length)
}

// ExternalPub returns the HPKE public key derived from the external secret, published in
// the external_pub extension of GroupInfo for external joiners (RFC 9420 §8.3).
func (s *EpochSecrets) ExternalPub() ([]byte, error) {
	_, pub, err := s.Suite.DeriveHPKEKeyPair(s.External)
	return pub, err
}

// externalInitLabel is the HPKE exporter context of an external join (RFC 9420 §8.3).
const externalInitLabel = labelPrefix + "external init secret"

// ExternalInit is the joiner's side of an external commit: it encapsulates to the group's
// external_pub and returns the kem_output for the ExternalInit proposal together with the
// init_secret that replaces the previous epoch's, which the joiner never had.
func (cs CipherSuite) ExternalInit(externalPub []byte) (kemOutput, initSecret []byte, err error) {
	kemOutput, initSecret, err = cs.hpkeExportSend(externalPub, externalInitLabel, cs.HashSize())
	if err != nil {
		return nil, nil, fmt.Errorf("mls: external init: %w", err)
	}
	return kemOutput, initSecret, nil
}

// ExternalInitSecret is the members' side of an external commit: the init_secret that the
// ExternalInit proposal's kemOutput carries, opened with the epoch's external key pair.
func (s *EpochSecrets) ExternalInitSecret(kemOutput []byte) ([]byte, error) {
	cs := s.Suite
	priv, _, err := cs.DeriveHPKEKeyPair(s.External)
	if err != nil {
		return nil, fmt.Errorf("mls: external init: %w", err)
	}
	secret, err := cs.hpkeExportReceive(priv, kemOutput, externalInitLabel, cs.HashSize())
	if err != nil {
		return nil, fmt.Errorf("mls: external init: %w", err)
	}
	return secret, nil
}
