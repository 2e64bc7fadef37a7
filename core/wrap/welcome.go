package wrap

import (
	"crypto/ecdh"
	"crypto/hpke"
	"fmt"
)

// welcomeInfo is HPKE's info for welcomes: the TLS EncryptContext of RFC 9420 §5.1.3 with
// label "MLS 1.0 " + "MLS_WELCOME" and an empty context, as libxmtp builds it.
var welcomeInfo = appendOpaque(appendOpaque(nil, []byte("MLS 1.0 MLS_WELCOME")), nil)

// receiverKEMIDs are the kem_ids an X-Wing welcome may be labelled with, newest sender
// first: libxmtp 1.11 sends 0x004D, libxmtp 1.10 sent 0x647a.
var receiverKEMIDs = [...]uint16{kemIDXWingLegacy, kemIDXWing}

// sealer and opener are the halves of an HPKE context that crypto/hpke and hpkeContext share.
type sealer interface {
	Seal(aad, plaintext []byte) ([]byte, error)
}

type opener interface {
	Open(aad, ciphertext []byte) ([]byte, error)
}

// Seal wraps a TLS-serialized Welcome MLSMessage and its WelcomeMetadata proto for one
// recipient key. data is the TLS HpkeCiphertext of the welcome (sequence 0); metadataCT is
// the bare ciphertext of the metadata (sequence 1). The metadata is sealed even when empty,
// as libxmtp does.
func Seal(alg Algorithm, recipientPub, welcome, metadata []byte) (data, metadataCT []byte, err error) {
	enc, s, err := newSender(alg, recipientPub)
	if err != nil {
		return nil, nil, err
	}
	ct, err := s.Seal(nil, welcome)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap: seal welcome: %w", err)
	}
	metadataCT, err = s.Seal(nil, metadata)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap: seal metadata: %w", err)
	}
	return encodeCiphertext(enc, ct), metadataCT, nil
}

// Open unwraps what [Seal] produced, with the recipient's private key: a 32-byte X25519
// scalar for Curve25519 (and Unspecified, which old senders use), a 32-byte seed for XWing.
// An empty metadataCT yields nil metadata, since early senders sent none.
func Open(alg Algorithm, recipientPriv, data, metadataCT []byte) (welcome, metadata []byte, err error) {
	enc, ct, err := decodeCiphertext(data)
	if err != nil {
		return nil, nil, err
	}
	o, welcome, err := openFirst(alg, recipientPriv, enc, ct)
	if err != nil {
		return nil, nil, err
	}
	if len(metadataCT) == 0 {
		return welcome, nil, nil
	}
	metadata, err = o.Open(nil, metadataCT)
	if err != nil {
		return nil, nil, fmt.Errorf("wrap: open metadata: %w", ErrDecrypt)
	}
	return welcome, metadata, nil
}

// newSender encapsulates to the recipient and returns the KEM output with a context
// positioned at sequence 0.
func newSender(alg Algorithm, recipientPub []byte) ([]byte, sealer, error) {
	switch alg {
	case Curve25519:
		pk, err := hpke.DHKEM(ecdh.X25519()).NewPublicKey(recipientPub)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: x25519 public key: %w", ErrInvalidKey)
		}
		enc, s, err := hpke.NewSender(pk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), welcomeInfo)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: hpke sender: %w", err)
		}
		return enc, s, nil
	case XWing:
		pk, err := NewXWingPublicKey(recipientPub)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: %w", err)
		}
		ss, enc, err := pk.Encapsulate()
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: %w", err)
		}
		c, err := newHPKEContext(kemIDXWingLegacy, ss, welcomeInfo)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: %w", err)
		}
		return enc, c, nil
	default:
		return nil, nil, fmt.Errorf("%w: seal with %v", ErrUnsupportedAlgorithm, alg)
	}
}

// openFirst sets up the receiving context and opens the sequence-0 ciphertext. For X-Wing
// it tries each kem_id a sender may have used; only the right one authenticates.
func openFirst(alg Algorithm, recipientPriv, enc, ct []byte) (opener, []byte, error) {
	switch alg {
	case Unspecified, Curve25519:
		sk, err := hpke.DHKEM(ecdh.X25519()).NewPrivateKey(recipientPriv)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: x25519 private key: %w", ErrInvalidKey)
		}
		r, err := hpke.NewRecipient(enc, sk, hpke.HKDFSHA256(), hpke.ChaCha20Poly1305(), welcomeInfo)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: x25519 kem output: %w", ErrMalformed)
		}
		welcome, err := r.Open(nil, ct)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: open welcome: %w", ErrDecrypt)
		}
		return r, welcome, nil
	case XWing:
		sk, err := NewXWingPrivateKey(recipientPriv)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: %w", err)
		}
		ss, err := sk.Decapsulate(enc)
		if err != nil {
			return nil, nil, fmt.Errorf("wrap: %w", err)
		}
		for _, id := range receiverKEMIDs {
			c, err := newHPKEContext(id, ss, welcomeInfo)
			if err != nil {
				return nil, nil, fmt.Errorf("wrap: %w", err)
			}
			if welcome, err := c.Open(nil, ct); err == nil {
				return c, welcome, nil
			}
		}
		return nil, nil, fmt.Errorf("wrap: open welcome: %w", ErrDecrypt)
	default:
		return nil, nil, fmt.Errorf("%w: open with %v", ErrUnsupportedAlgorithm, alg)
	}
}
