package mls

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"
)

// testNow is the injected clock of the key package tests.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// xmtpLikeOptions mirrors what an XMTP client puts in its key packages: an application_id
// leaf extension, a custom key package extension and last_resort.
func xmtpLikeOptions(t testing.TB) KeyPackageOptions {
	t.Helper()
	cs := CipherSuiteX25519ChaCha20
	signPriv, _, err := cs.GenerateSignatureKeyPair()
	if err != nil {
		t.Fatal(err)
	}
	return KeyPackageOptions{
		CipherSuite:         cs,
		Credential:          NewBasicCredential([]byte("inbox-id")),
		SignaturePrivateKey: signPriv,
		Capabilities:        Capabilities{Proposals: []ProposalType{ProposalGroupContextExtensions}},
		LeafExtensions:      Extensions{{Type: ExtensionApplicationID, Data: EncodeApplicationID([]byte("inbox-id"))}},
		Extensions:          Extensions{{Type: 0xff04, Data: []byte{0x0a, 0x01, 0x03}}},
		LastResort:          true,
		Now:                 testNow,
	}
}

func newTestKeyPackage(t testing.TB) *KeyPackageBundle {
	t.Helper()
	b, err := NewKeyPackage(xmtpLikeOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// maxTestLifetime is libxmtp's verification limit: the 84-day default plus the backdate.
const maxTestLifetime = KeyPackageLifetime + KeyPackageBackdate

func TestNewKeyPackage(t *testing.T) {
	b := newTestKeyPackage(t)
	kp := &b.KeyPackage
	if err := kp.Verify(testNow, maxTestLifetime); err != nil {
		t.Fatalf("fresh key package does not verify: %v", err)
	}
	caps := kp.LeafNode.Capabilities
	for _, want := range []ExtensionType{0xff04, ExtensionLastResort} {
		if !caps.SupportsExtension(want) {
			t.Errorf("capabilities miss extension 0x%04x: %+v", uint16(want), caps)
		}
	}
	if !kp.LastResort() {
		t.Error("last_resort extension missing")
	}
	if bytes.Equal(kp.InitKey, kp.LeafNode.EncryptionKey) || len(b.InitPrivateKey) != 32 || len(b.EncryptionPrivateKey) != 32 {
		t.Error("init and encryption key pairs are not two distinct X25519 pairs")
	}
	if lt := kp.LeafNode.Lifetime; lt.NotBefore != uint64(testNow.Unix()-3600) || lt.NotAfter != uint64(testNow.Add(KeyPackageLifetime).Unix()) {
		t.Errorf("lifetime %+v is not now-1h..now+84d", lt)
	}

	// Through the wire and back: same bytes, same reference, still valid.
	msg := MLSMessage{WireFormat: WireFormatKeyPackage, KeyPackage: kp}
	decoded, err := DecodeMLSMessage(msg.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := decoded.KeyPackage.Verify(testNow, maxTestLifetime); err != nil {
		t.Fatalf("decoded key package does not verify: %v", err)
	}
	ref1, err1 := kp.Ref()
	ref2, err2 := decoded.KeyPackage.Ref()
	if err1 != nil || err2 != nil || !bytes.Equal(ref1, ref2) || len(ref1) != 32 {
		t.Fatalf("refs differ or fail: %x %v / %x %v", ref1, err1, ref2, err2)
	}
}

func TestNewKeyPackageOptionErrors(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(o *KeyPackageOptions)
		want   error
	}{
		{"unsupported suite", func(o *KeyPackageOptions) { o.CipherSuite = 2 }, ErrUnsupportedCipherSuite},
		{"short signature seed", func(o *KeyPackageOptions) { o.SignaturePrivateKey = o.SignaturePrivateKey[:31] }, ErrSignatureKeySize},
		{"no credential", func(o *KeyPackageOptions) { o.Credential = Credential{} }, ErrKeyPackageOptions},
		{"no lifetime and no clock", func(o *KeyPackageOptions) { o.Now = time.Time{} }, ErrKeyPackageOptions},
	}
	for _, tt := range tests {
		o := xmtpLikeOptions(t)
		tt.mutate(&o)
		if _, err := NewKeyPackage(o); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestKeyPackageVerifyErrors breaks one rule at a time; each must be reported by its own
// error, which also shows the checks run before the signatures that the mutations break.
func TestKeyPackageVerifyErrors(t *testing.T) {
	now := testNow
	tests := []struct {
		name   string
		mutate func(kp *KeyPackage)
		now    time.Time
		want   error
	}{
		{"version", func(kp *KeyPackage) { kp.Version = 2 }, now, ErrKeyPackageVersion},
		{"unsupported suite", func(kp *KeyPackage) { kp.CipherSuite = 2 }, now, ErrUnsupportedCipherSuite},
		{"short init key", func(kp *KeyPackage) { kp.InitKey = kp.InitKey[:31] }, now, ErrHPKEKeySize},
		{"short encryption key", func(kp *KeyPackage) { kp.LeafNode.EncryptionKey = kp.LeafNode.EncryptionKey[:31] }, now, ErrHPKEKeySize},
		{"short signature key", func(kp *KeyPackage) { kp.LeafNode.SignatureKey = kp.LeafNode.SignatureKey[:31] }, now, ErrSignatureKeySize},
		{"leaf source", func(kp *KeyPackage) { kp.LeafNode.Source = LeafNodeSourceUpdate }, now, ErrKeyPackageLeafSource},
		{"version not advertised", func(kp *KeyPackage) { kp.LeafNode.Capabilities.Versions = nil }, now, ErrCapabilities},
		{"suite not advertised", func(kp *KeyPackage) {
			kp.LeafNode.Capabilities.CipherSuites = []CipherSuite{CipherSuiteX25519AES128GCM}
		}, now, ErrCapabilities},
		{"credential type not advertised", func(kp *KeyPackage) { kp.LeafNode.Capabilities.Credentials = []CredentialType{CredentialX509} }, now, ErrCapabilities},
		{"extension not advertised", func(kp *KeyPackage) { kp.LeafNode.Capabilities.Extensions = []ExtensionType{ExtensionLastResort} }, now, ErrCapabilities},
		{"lifetime too long", func(kp *KeyPackage) { kp.LeafNode.Lifetime.NotAfter += 3601 }, now, ErrLifetimeRange},
		{"lifetime reversed", func(kp *KeyPackage) {
			lt := &kp.LeafNode.Lifetime
			lt.NotBefore, lt.NotAfter = lt.NotAfter, lt.NotBefore
		}, now, ErrLifetimeRange},
		{"not yet valid", func(*KeyPackage) {}, now.Add(-2 * time.Hour), ErrLifetimeWindow},
		{"expired", func(*KeyPackage) {}, now.Add(KeyPackageLifetime + time.Second), ErrLifetimeWindow},
		{"init key reused", func(kp *KeyPackage) { kp.InitKey = kp.LeafNode.EncryptionKey }, now, ErrInitKeyReused},
		{"leaf signature", func(kp *KeyPackage) { kp.LeafNode.Credential.Data = []byte("someone else") }, now, ErrLeafNodeSignature},
		{"key package signature", func(kp *KeyPackage) { kp.Extensions = kp.Extensions[:1] }, now, ErrKeyPackageSignature},
	}
	for _, tt := range tests {
		kp := newTestKeyPackage(t).KeyPackage
		tt.mutate(&kp)
		err := kp.Verify(tt.now, maxTestLifetime)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestWelcomeVectorsKeyPackage checks KeyPackageRef and both key package signatures against
// the interop vectors: the Welcome must address the vector's key package by our reference.
func TestWelcomeVectorsKeyPackage(t *testing.T) {
	var cases []struct {
		CipherSuite uint16   `json:"cipher_suite"`
		KeyPackage  hexBytes `json:"key_package"`
		Welcome     hexBytes `json:"welcome"`
	}
	loadVectors(t, "welcome.json", &cases)
	for i, c := range cases {
		t.Run(suiteCaseName(i, c.CipherSuite), func(t *testing.T) {
			vectorSuite(t, c.CipherSuite)
			kpMsg, err := DecodeMLSMessage(c.KeyPackage)
			if err != nil {
				t.Fatal(err)
			}
			kp := kpMsg.KeyPackage
			at := time.Unix(int64(kp.LeafNode.Lifetime.NotBefore), 0)
			if err := kp.Verify(at, NoLifetimeLimit); err != nil {
				t.Fatalf("vector key package does not verify: %v", err)
			}
			ref, err := kp.Ref()
			if err != nil {
				t.Fatal(err)
			}
			wMsg, err := DecodeMLSMessage(c.Welcome)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := wMsg.Welcome.Find(ref); !ok {
				t.Fatalf("welcome has no entry for KeyPackageRef %x", ref)
			}
		})
	}
}

// TestTreeValidationLeafSignatures decodes the trees of tree-validation.json with their suite
// and verifies every leaf signature, which for update and commit leaves covers the group id
// and leaf index.
func TestTreeValidationLeafSignatures(t *testing.T) {
	var cases []struct {
		CipherSuite uint16   `json:"cipher_suite"`
		Tree        hexBytes `json:"tree"`
		GroupID     hexBytes `json:"group_id"`
	}
	loadVectors(t, "tree-validation.json", &cases)
	for i, c := range cases {
		t.Run(suiteCaseName(i, c.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, c.CipherSuite)
			tree, err := DecodeRatchetTree(c.Tree, cs)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(tree.Encode(), c.Tree) {
				t.Fatal("tree does not re-encode to its bytes")
			}
			for n, node := range tree {
				if node == nil || node.Leaf == nil {
					continue
				}
				if err := node.Leaf.VerifySignature(cs, c.GroupID, uint32(n/2)); err != nil {
					t.Errorf("leaf %d: %v", n/2, err)
				}
			}
		})
	}
}

func suiteCaseName(i int, suite uint16) string {
	return fmt.Sprintf("case%d_suite%d", i, suite)
}

func BenchmarkKeyPackageGenerate(b *testing.B) {
	opts := xmtpLikeOptions(b)
	for b.Loop() {
		if _, err := NewKeyPackage(opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyPackageVerify(b *testing.B) {
	kp := newTestKeyPackage(b).KeyPackage
	raw := kp.Encode()
	for b.Loop() {
		decoded, err := DecodeKeyPackage(raw)
		if err != nil {
			b.Fatal(err)
		}
		if err := decoded.Verify(testNow, maxTestLifetime); err != nil {
			b.Fatal(err)
		}
	}
}
