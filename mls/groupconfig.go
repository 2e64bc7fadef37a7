package mls

import (
	"crypto/rand"
	"io"
	"time"
)

// WireFormatPolicy decides how a member frames the handshake messages it sends and which
// framings it accepts (the OpenMLS names; RFC 9420 leaves the choice to the application).
// Application messages are always PrivateMessages.
type WireFormatPolicy uint8

const (
	// PureCiphertext sends and accepts only PrivateMessage handshakes: the delivery service
	// never sees who proposes or commits what. XMTP's policy, and the zero value.
	PureCiphertext WireFormatPolicy = iota
	// MixedCiphertext sends PrivateMessages and accepts both framings.
	MixedCiphertext
	// MixedPlaintext sends PublicMessages and accepts both framings.
	MixedPlaintext
	// PurePlaintext sends and accepts only PublicMessage handshakes, so that a server can
	// follow the group's membership.
	PurePlaintext
)

// sendsPublic reports whether handshakes go out as PublicMessages.
func (p WireFormatPolicy) sendsPublic() bool { return p == MixedPlaintext || p == PurePlaintext }

// accepts reports whether a received handshake in wire format wf is allowed.
func (p WireFormatPolicy) accepts(wf WireFormat) bool {
	switch p {
	case PureCiphertext:
		return wf == WireFormatPrivateMessage
	case PurePlaintext:
		return wf == WireFormatPublicMessage
	}
	return true
}

// DefaultMaxPastEpochs is how many earlier epochs keep their message keys, XMTP's setting:
// messages sent just before a commit still decrypt after it.
const DefaultMaxPastEpochs = 3

// GroupConfig is what a member's group state needs from outside: randomness, time and the
// application's policies. It is not serialized with the group; the caller supplies it again
// when restoring one. The zero value is usable: crypto/rand, the system clock, three past
// epochs, no padding and PureCiphertext.
type GroupConfig struct {
	// Rand supplies MLS-level randomness: path and leaf secrets, reuse guards, PSK nonces.
	// HPKE encapsulation draws from crypto/rand itself.
	Rand io.Reader
	// Now is the clock used for key package lifetimes.
	Now func() time.Time
	// MaxPastEpochs is how many past epochs keep their keys for late application
	// messages; 0 means DefaultMaxPastEpochs, a negative value keeps none.
	MaxPastEpochs int
	// PaddingBlock pads PrivateMessage content to a multiple of this many bytes.
	PaddingBlock int
	// WireFormat is the handshake framing policy.
	WireFormat WireFormatPolicy
	// MaxKeyPackageLifetime bounds the lifetime of added key packages; 0 means
	// KeyPackageLifetime + KeyPackageBackdate (libxmtp's bound), NoLifetimeLimit disables.
	MaxKeyPackageLifetime time.Duration
	// CheckCredential, when set, vets every leaf node accepted into the tree (XMTP checks
	// that the credential's inbox owns the signature key).
	CheckCredential func(leaf *LeafNode) error
	// PSKs gives the pre-shared keys the group state does not hold: external PSKs, and
	// resumption PSKs of other groups. Nil means none.
	PSKs PSKSource
}

func (c *GroupConfig) rand() io.Reader {
	if c.Rand != nil {
		return c.Rand
	}
	return rand.Reader
}

func (c *GroupConfig) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *GroupConfig) maxPastEpochs() int {
	switch {
	case c.MaxPastEpochs == 0:
		return DefaultMaxPastEpochs
	case c.MaxPastEpochs < 0:
		return 0
	}
	return c.MaxPastEpochs
}

func (c *GroupConfig) maxLifetime() time.Duration {
	if c.MaxKeyPackageLifetime == 0 {
		return KeyPackageLifetime + KeyPackageBackdate
	}
	return c.MaxKeyPackageLifetime
}

// leafPolicy is the policy leaf validation applies at the current time.
func (c *GroupConfig) leafPolicy() *LeafPolicy {
	return &LeafPolicy{Now: c.now(), CheckCredential: c.CheckCredential}
}
