package mls

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/cloudflare/circl/dh/x25519"
)

// HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and the suite's
// AEAD, single-shot as MLS uses it: one Seal or one Export per context. It is assembled here
// rather than taken from crypto/hpke because crypto/hpke draws its X25519 keys with
// crypto/ecdh, while circl's X25519 (fixed-base key generation) takes an HPKE seal or open from
// about 0.85 ms to 0.53 ms of CPU in js/wasm; every Welcome entry and every UpdatePath node pays
// it. Tests check this code against crypto/hpke in both directions.

// HPKE errors.
var (
	// ErrHPKEPublicKey means an HPKE public key is not a usable X25519 key.
	ErrHPKEPublicKey = errors.New("mls: invalid HPKE public key")
	// ErrHPKEPrivateKey means an HPKE private key is not 32 bytes.
	ErrHPKEPrivateKey = errors.New("mls: invalid HPKE private key")
	// ErrHPKEOpen means an HPKE ciphertext did not decrypt: wrong key, context or tampering.
	ErrHPKEOpen = errors.New("mls: HPKE decryption failed")
)

// RFC 9180 identifiers of the algorithms both supported suites use.
const (
	hpkeKEMX25519     = 0x0020
	hpkeKDFHKDFSHA256 = 0x0001
)

// kemSuiteID is the suite_id of DHKEM(X25519, HKDF-SHA256)'s own derivations.
var kemSuiteID = []byte{'K', 'E', 'M', hpkeKEMX25519 >> 8, hpkeKEMX25519 & 0xff}

// hpkeSuiteID is the suite_id of the HPKE key schedule for the suite's AEAD.
func (p *suite) hpkeSuiteID() []byte {
	return []byte{'H', 'P', 'K', 'E',
		hpkeKEMX25519 >> 8, hpkeKEMX25519 & 0xff,
		hpkeKDFHKDFSHA256 >> 8, hpkeKDFHKDFSHA256 & 0xff,
		byte(p.hpkeAEADID >> 8), byte(p.hpkeAEADID)}
}

// labeledExtract is RFC 9180's LabeledExtract over the suite's KDF.
func (cs CipherSuite) labeledExtract(suiteID, salt []byte, label string, ikm []byte) []byte {
	e := NewEncoder(7 + len(suiteID) + len(label) + len(ikm))
	e.Raw([]byte("HPKE-v1"))
	e.Raw(suiteID)
	e.Raw([]byte(label))
	e.Raw(ikm)
	return cs.Extract(salt, e.Bytes())
}

// labeledExpand is RFC 9180's LabeledExpand over the suite's KDF.
func (cs CipherSuite) labeledExpand(suiteID, prk []byte, label string, info []byte, length int) []byte {
	e := NewEncoder(9 + len(suiteID) + len(label) + len(info))
	e.U16(uint16(length))
	e.Raw([]byte("HPKE-v1"))
	e.Raw(suiteID)
	e.Raw([]byte(label))
	e.Raw(info)
	return cs.Expand(prk, e.Bytes(), length)
}

// x25519Key parses a 32-byte X25519 key.
func x25519Key(b []byte) (k x25519.Key, ok bool) {
	if len(b) != x25519.Size {
		return k, false
	}
	copy(k[:], b)
	return k, true
}

// x25519DH is the DH function of DHKEM(X25519). A low-order public key, which would give the
// all-zero secret, is refused as RFC 9180 §7.1.4 requires.
func x25519DH(sk, pk *x25519.Key) ([]byte, bool) {
	var shared x25519.Key
	if !x25519.Shared(&shared, sk, pk) || shared == (x25519.Key{}) {
		return nil, false
	}
	return shared[:], true
}

// x25519KeyPair completes a private key with its public key, serializing the private key
// clamped as RFC 9180 §7.1.2 asks (so it matches crypto/hpke's serialization).
func x25519KeyPair(sk *x25519.Key) (priv, pub []byte) {
	var pk x25519.Key
	x25519.KeyGen(&pk, sk)
	priv = append([]byte(nil), sk[:]...)
	priv[0] &= 248
	priv[31] = priv[31]&127 | 64
	return priv, pk[:]
}

// kemSharedSecret is DHKEM's ExtractAndExpand over the DH output and kem_context = enc ‖ pkR.
func (cs CipherSuite) kemSharedSecret(dh, enc, pkR []byte) []byte {
	prk := cs.labeledExtract(kemSuiteID, nil, "eae_prk", dh)
	return cs.labeledExpand(kemSuiteID, prk, "shared_secret", append(append([]byte(nil), enc...), pkR...), cs.HashSize())
}

// hpkeContext holds the output of the base-mode key schedule.
type hpkeContext struct {
	suite     CipherSuite
	key       []byte
	baseNonce []byte
	exporter  []byte
}

// hpkeInfoHash is the info_hash of the RFC 9180 §5.1 key schedule. It is computed apart from
// the rest so that one info sealed to many recipients is hashed once: a Welcome's info is its
// whole encrypted GroupInfo, and hashing it per recipient made a 1000-member Welcome quadratic.
func (cs CipherSuite) hpkeInfoHash(p *suite, info []byte) []byte {
	return cs.labeledExtract(p.hpkeSuiteID(), nil, "info_hash", info)
}

// newHPKEContext runs the RFC 9180 §5.1 key schedule in base mode (no PSK), given the info's
// hpkeInfoHash.
func (cs CipherSuite) newHPKEContext(p *suite, sharedSecret, infoHash []byte) *hpkeContext {
	sid := p.hpkeSuiteID()
	ksc := make([]byte, 0, 1+2*cs.HashSize())
	ksc = append(ksc, 0) // mode_base
	ksc = append(ksc, cs.labeledExtract(sid, nil, "psk_id_hash", nil)...)
	ksc = append(ksc, infoHash...)
	secret := cs.labeledExtract(sid, sharedSecret, "secret", nil)
	defer erase(secret)
	return &hpkeContext{
		suite:     cs,
		key:       cs.labeledExpand(sid, secret, "key", ksc, p.aeadKey),
		baseNonce: cs.labeledExpand(sid, secret, "base_nonce", ksc, aeadNonceSize),
		exporter:  cs.labeledExpand(sid, secret, "exp", ksc, cs.HashSize()),
	}
}

// export is the context's secret export (RFC 9180 §5.3).
func (c *hpkeContext) export(exporterContext []byte, length int) []byte {
	return c.suite.labeledExpand(c.suite.mustParams().hpkeSuiteID(), c.exporter, "sec", exporterContext, length)
}

// hpkeSetupSender encapsulates to pub with a fresh ephemeral key from crypto/rand's global
// source and returns enc with the sender's context for the info whose hpkeInfoHash is given.
func (cs CipherSuite) hpkeSetupSender(pub, infoHash []byte) (enc []byte, c *hpkeContext, err error) {
	skE, err := hpkeEphemeralKey()
	if err != nil {
		return nil, nil, err
	}
	return cs.hpkeSetupSenderWith(skE, pub, infoHash)
}

// hpkeEphemeralKey draws an ephemeral X25519 private key from crypto/rand's global source.
func hpkeEphemeralKey() (*x25519.Key, error) {
	var skE x25519.Key
	if _, err := rand.Read(skE[:]); err != nil {
		return nil, fmt.Errorf("mls: HPKE ephemeral key: %w", err)
	}
	return &skE, nil
}

// hpkeSetupSenderWith is hpkeSetupSender with the ephemeral private key given: a sender
// sealing to many recipients at once draws their keys in order first, so that what it
// produces does not depend on which seal runs first.
func (cs CipherSuite) hpkeSetupSenderWith(skE *x25519.Key, pub, infoHash []byte) (enc []byte, c *hpkeContext, err error) {
	p := cs.params()
	if p == nil {
		return nil, nil, cs.Check()
	}
	pkR, ok := x25519Key(pub)
	if !ok {
		return nil, nil, ErrHPKEPublicKey
	}
	_, enc = x25519KeyPair(skE)
	dh, ok := x25519DH(skE, &pkR)
	if !ok {
		return nil, nil, ErrHPKEPublicKey
	}
	return enc, cs.newHPKEContext(p, cs.kemSharedSecret(dh, enc, pub), infoHash), nil
}

// hpkeSetupReceiver decapsulates enc with priv and returns the receiver's context.
func (cs CipherSuite) hpkeSetupReceiver(priv, enc, info []byte) (*hpkeContext, error) {
	p := cs.params()
	if p == nil {
		return nil, cs.Check()
	}
	skR, ok := x25519Key(priv)
	if !ok {
		return nil, ErrHPKEPrivateKey
	}
	pkE, ok := x25519Key(enc)
	if !ok {
		return nil, ErrHPKEOpen
	}
	dh, ok := x25519DH(&skR, &pkE)
	if !ok {
		return nil, ErrHPKEOpen
	}
	_, pkR := x25519KeyPair(&skR)
	return cs.newHPKEContext(p, cs.kemSharedSecret(dh, enc, pkR), cs.hpkeInfoHash(p, info)), nil
}

// encryptContext is the EncryptContext of RFC 9420 §5.1.3, used as the HPKE info so that a
// ciphertext made for one purpose cannot be opened as another.
func encryptContext(label string, context []byte) []byte {
	e := NewEncoder(len(labelPrefix) + len(label) + len(context) + 8)
	e.Opaque([]byte(labelPrefix + label))
	e.Opaque(context)
	return e.Bytes()
}

// EncryptWithLabel HPKE-seals plaintext to pub in base mode with an empty AAD. The ephemeral
// key comes from crypto/rand's global source.
func (cs CipherSuite) EncryptWithLabel(pub []byte, label string, context, plaintext []byte) (kemOutput, ciphertext []byte, err error) {
	l, err := cs.newLabelEncrypter(label, context)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, err)
	}
	return l.encrypt(pub, plaintext)
}

// labelEncrypter is EncryptWithLabel for one label and context and many recipients: the
// context is hashed once, not once per recipient (a Welcome's context is its encrypted
// GroupInfo, which carries the whole tree).
type labelEncrypter struct {
	cs       CipherSuite
	label    string
	infoHash []byte
}

func (cs CipherSuite) newLabelEncrypter(label string, context []byte) (*labelEncrypter, error) {
	p := cs.params()
	if p == nil {
		return nil, cs.Check()
	}
	return &labelEncrypter{cs: cs, label: label, infoHash: cs.hpkeInfoHash(p, encryptContext(label, context))}, nil
}

// encrypt seals plaintext to pub.
func (l *labelEncrypter) encrypt(pub, plaintext []byte) (kemOutput, ciphertext []byte, err error) {
	skE, err := hpkeEphemeralKey()
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", l.label, err)
	}
	return l.encryptWith(skE, pub, plaintext)
}

// encryptWith seals plaintext to pub with the ephemeral private key skE.
func (l *labelEncrypter) encryptWith(skE *x25519.Key, pub, plaintext []byte) (kemOutput, ciphertext []byte, err error) {
	cs, label := l.cs, l.label
	enc, c, err := cs.hpkeSetupSenderWith(skE, pub, l.infoHash)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, err)
	}
	defer erase(c.key)
	ct, err := cs.Seal(c.key, c.baseNonce, nil, plaintext)
	if err != nil {
		return nil, nil, fmt.Errorf("mls: encrypt %q: %w", label, err)
	}
	return enc, ct, nil
}

// DecryptWithLabel opens what EncryptWithLabel sealed to the public key of priv.
func (cs CipherSuite) DecryptWithLabel(priv []byte, label string, context, kemOutput, ciphertext []byte) ([]byte, error) {
	c, err := cs.hpkeSetupReceiver(priv, kemOutput, encryptContext(label, context))
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt %q: %w", label, err)
	}
	defer erase(c.key)
	pt, err := cs.Open(c.key, c.baseNonce, nil, ciphertext)
	if err != nil {
		return nil, fmt.Errorf("mls: decrypt %q: %w", label, ErrHPKEOpen)
	}
	return pt, nil
}

// GenerateHPKEKeyPair returns a fresh X25519 key pair in HPKE's serialized form. Randomness
// comes from crypto/rand's global source.
func (cs CipherSuite) GenerateHPKEKeyPair() (priv, pub []byte, err error) {
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	var sk x25519.Key
	if _, err := rand.Read(sk[:]); err != nil {
		return nil, nil, fmt.Errorf("mls: generate HPKE key: %w", err)
	}
	priv, pub = x25519KeyPair(&sk)
	return priv, pub, nil
}

// DeriveHPKEKeyPair derives an X25519 key pair from ikm with HPKE's DeriveKeyPair (RFC 9180
// §7.1.3): TreeKEM turns each node's path secret into the node's key pair this way (RFC 9420
// §7.4).
func (cs CipherSuite) DeriveHPKEKeyPair(ikm []byte) (priv, pub []byte, err error) {
	if err := cs.Check(); err != nil {
		return nil, nil, err
	}
	prk := cs.labeledExtract(kemSuiteID, nil, "dkp_prk", ikm)
	sk, _ := x25519Key(cs.labeledExpand(kemSuiteID, prk, "sk", nil, x25519.Size))
	priv, pub = x25519KeyPair(&sk)
	return priv, pub, nil
}

// hpkeExportSend sets up an HPKE sender context to pub with an empty info and returns the
// encapsulation and a secret exported from the context under exporterContext.
func (cs CipherSuite) hpkeExportSend(pub []byte, exporterContext string, length int) (enc, secret []byte, err error) {
	p := cs.params()
	if p == nil {
		return nil, nil, cs.Check()
	}
	enc, c, err := cs.hpkeSetupSender(pub, cs.hpkeInfoHash(p, nil))
	if err != nil {
		return nil, nil, err
	}
	return enc, c.export([]byte(exporterContext), length), nil
}

// hpkeExportReceive is the receiving side of hpkeExportSend.
func (cs CipherSuite) hpkeExportReceive(priv, enc []byte, exporterContext string, length int) ([]byte, error) {
	c, err := cs.hpkeSetupReceiver(priv, enc, nil)
	if err != nil {
		return nil, err
	}
	return c.export([]byte(exporterContext), length), nil
}
