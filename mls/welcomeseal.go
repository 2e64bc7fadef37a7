package mls

import (
	"errors"
	"fmt"

	"github.com/cloudflare/circl/dh/x25519"

	"github.com/goxmtp/goxmtp/mls/parallel"
)

// Sealing and opening a Welcome (RFC 9420 §12.4.3.1). The GroupInfo is encrypted once under a
// key derived from the welcome secret; each new member's GroupSecrets, which carry the joiner
// secret, are sealed to the init key of its key package, with the encrypted GroupInfo as HPKE
// context so that an entry cannot be moved to another Welcome.

// Welcome encryption errors.
var (
	// ErrWelcomeNoEntry means the Welcome holds no entry for the given key package.
	ErrWelcomeNoEntry = errors.New("mls: welcome has no entry for this key package")
	// ErrWelcomeSuite means a Welcome, key package or GroupInfo disagree on the cipher suite.
	ErrWelcomeSuite = errors.New("mls: welcome cipher suite mismatch")
	// ErrWelcomeGroupSecrets means the group secrets did not decrypt or are malformed.
	ErrWelcomeGroupSecrets = errors.New("mls: welcome group secrets invalid")
	// ErrWelcomeGroupInfo means the encrypted GroupInfo did not decrypt or is malformed.
	ErrWelcomeGroupInfo = errors.New("mls: welcome group info invalid")
)

// welcomeLabel is the EncryptWithLabel label of group secrets.
const welcomeLabel = "Welcome"

// WelcomeRecipient is one new member of a Welcome: its key package and the group secrets for
// it. The joiner secret is the same for all; the path secret and PSKs may differ.
type WelcomeRecipient struct {
	KeyPackage *KeyPackage
	Secrets    GroupSecrets
}

// NewWelcome encrypts gi under welcomeSecret (from CipherSuite.WelcomeSecret) and seals each
// recipient's group secrets to its key package's init key.
func NewWelcome(gi *GroupInfo, welcomeSecret []byte, recipients []WelcomeRecipient) (*Welcome, error) {
	cs := gi.GroupContext.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, fmt.Errorf("mls: new welcome: %w", err)
	}
	key, nonce := cs.WelcomeKey(welcomeSecret)
	defer erase(key)
	egi, err := cs.Seal(key, nonce, nil, gi.Encode())
	if err != nil {
		return nil, fmt.Errorf("mls: new welcome: %w", err)
	}
	seal, err := cs.newLabelEncrypter(welcomeLabel, egi)
	if err != nil {
		return nil, fmt.Errorf("mls: new welcome: %w", err)
	}
	// The seals are independent and, for a large group, most of a commit's cost: their
	// ephemeral keys are drawn in order, then they run on every CPU.
	ephemeral := make([]*x25519.Key, len(recipients))
	defer func() {
		for _, k := range ephemeral {
			if k != nil {
				clear(k[:])
			}
		}
	}()
	for i, r := range recipients {
		if r.KeyPackage.CipherSuite != cs {
			return nil, fmt.Errorf("mls: new welcome: recipient %d: %w", i, ErrWelcomeSuite)
		}
		if ephemeral[i], err = hpkeEphemeralKey(); err != nil {
			return nil, fmt.Errorf("mls: new welcome: %w", err)
		}
	}
	w := &Welcome{CipherSuite: cs, EncryptedGroupInfo: egi, Secrets: make([]EncryptedGroupSecrets, len(recipients))}
	err = parallel.ForEach(len(recipients), parallel.CPUs(), func(i int) error {
		r := &recipients[i]
		ref, err := r.KeyPackage.Ref()
		if err != nil {
			return fmt.Errorf("mls: new welcome: recipient %d: %w", i, err)
		}
		kem, ct, err := seal.encryptWith(ephemeral[i], r.KeyPackage.InitKey, r.Secrets.Encode())
		if err != nil {
			return fmt.Errorf("mls: new welcome: recipient %d: %w", i, err)
		}
		w.Secrets[i] = EncryptedGroupSecrets{NewMember: ref, EncryptedGroupSecrets: HPKECiphertext{KEMOutput: kem, Ciphertext: ct}}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// OpenGroupSecrets finds the entry of w addressed to kp and opens it with kp's private init
// key. The joiner secret and any path secret are checked to be one hash long.
func (w *Welcome) OpenGroupSecrets(kp *KeyPackage, initPriv []byte) (*GroupSecrets, error) {
	cs := w.CipherSuite
	if kp.CipherSuite != cs {
		return nil, fmt.Errorf("mls: open welcome: key package suite %v, welcome %v: %w", kp.CipherSuite, cs, ErrWelcomeSuite)
	}
	ref, err := kp.Ref()
	if err != nil {
		return nil, fmt.Errorf("mls: open welcome: %w", err)
	}
	entry, ok := w.Find(ref)
	if !ok {
		return nil, ErrWelcomeNoEntry
	}
	ct := entry.EncryptedGroupSecrets
	pt, err := cs.DecryptWithLabel(initPriv, welcomeLabel, w.EncryptedGroupInfo, ct.KEMOutput, ct.Ciphertext)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWelcomeGroupSecrets, err)
	}
	gs, err := DecodeGroupSecrets(pt)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWelcomeGroupSecrets, err)
	}
	if len(gs.JoinerSecret) != cs.HashSize() || (gs.PathSecret != nil && len(gs.PathSecret) != cs.HashSize()) {
		return nil, fmt.Errorf("%w: secret of wrong size", ErrWelcomeGroupSecrets)
	}
	return &gs, nil
}

// OpenGroupInfo decrypts the GroupInfo of w with the welcome secret derived from the opened
// group secrets. Its signature and confirmation tag are left to the caller, who needs the
// ratchet tree and the key schedule for them.
func (w *Welcome) OpenGroupInfo(welcomeSecret []byte) (*GroupInfo, error) {
	cs := w.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, fmt.Errorf("mls: open welcome: %w", err)
	}
	key, nonce := cs.WelcomeKey(welcomeSecret)
	defer erase(key)
	pt, err := cs.Open(key, nonce, nil, w.EncryptedGroupInfo)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWelcomeGroupInfo, err)
	}
	gi, err := DecodeGroupInfo(pt)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWelcomeGroupInfo, err)
	}
	if gi.GroupContext.CipherSuite != cs {
		return nil, fmt.Errorf("mls: open welcome: group info suite %v: %w", gi.GroupContext.CipherSuite, ErrWelcomeSuite)
	}
	return &gi, nil
}
