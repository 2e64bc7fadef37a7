package mls

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
)

type messageProtectionVector struct {
	CipherSuite             uint16   `json:"cipher_suite"`
	GroupID                 hexBytes `json:"group_id"`
	Epoch                   uint64   `json:"epoch"`
	TreeHash                hexBytes `json:"tree_hash"`
	ConfirmedTranscriptHash hexBytes `json:"confirmed_transcript_hash"`
	SignaturePriv           hexBytes `json:"signature_priv"`
	SignaturePub            hexBytes `json:"signature_pub"`
	EncryptionSecret        hexBytes `json:"encryption_secret"`
	SenderDataSecret        hexBytes `json:"sender_data_secret"`
	MembershipKey           hexBytes `json:"membership_key"`
	Proposal                hexBytes `json:"proposal"`
	ProposalPub             hexBytes `json:"proposal_pub"`
	ProposalPriv            hexBytes `json:"proposal_priv"`
	Commit                  hexBytes `json:"commit"`
	CommitPub               hexBytes `json:"commit_pub"`
	CommitPriv              hexBytes `json:"commit_priv"`
	Application             hexBytes `json:"application"`
	ApplicationPriv         hexBytes `json:"application_priv"`
}

// protectionFixture is the two-member epoch of a message-protection vector, seen by leaf 1.
type protectionFixture struct {
	t  *testing.T
	cs CipherSuite
	v  *messageProtectionVector
	gc GroupContext
}

// tree returns a fresh secret tree of the epoch: each vector message may use generation 0.
func (f *protectionFixture) tree() *SecretTree {
	return newTestSecretTree(f.t, f.cs, f.v.EncryptionSecret, 2)
}

// body returns the content of ac as the vectors give it: application data raw, a proposal or
// commit encoded.
func body(ac *AuthenticatedContent) []byte {
	if ac.Content.ContentType == ContentTypeApplication {
		return ac.Content.ApplicationData
	}
	e := NewEncoder(0)
	marshalContentBody(e, ac.Content.ContentType, ac.Content.ApplicationData, ac.Content.Proposal, ac.Content.Commit)
	return e.Bytes()
}

// unprotect opens an MLSMessage of either wire format and checks its signature.
func (f *protectionFixture) unprotect(msg []byte) *AuthenticatedContent {
	f.t.Helper()
	m, err := DecodeMLSMessage(msg)
	if err != nil {
		f.t.Fatal(err)
	}
	var ac *AuthenticatedContent
	switch m.WireFormat {
	case WireFormatPublicMessage:
		ac, err = f.cs.OpenPublicMessage(m.PublicMessage, &f.gc, f.v.MembershipKey)
	case WireFormatPrivateMessage:
		ac, err = DecryptPrivateMessage(f.tree(), f.v.SenderDataSecret, m.PrivateMessage)
	}
	if err != nil {
		f.t.Fatalf("wire format %d: %v", m.WireFormat, err)
	}
	if ac.Content.Sender != (Sender{Type: SenderMember, Index: 1}) {
		f.t.Errorf("sender %+v, want member 1", ac.Content.Sender)
	}
	if err := f.cs.VerifyAuthenticatedContent(f.v.SignaturePub, ac, &f.gc); err != nil {
		f.t.Errorf("wire format %d: %v", m.WireFormat, err)
	}
	return ac
}

// protect re-frames the content of ac for wire format wf, signs it and returns the message.
func (f *protectionFixture) protect(ac *AuthenticatedContent, wf WireFormat) []byte {
	f.t.Helper()
	mine := &AuthenticatedContent{WireFormat: wf, Content: ac.Content, Auth: FramedContentAuthData{ConfirmationTag: ac.Auth.ConfirmationTag}}
	if err := f.cs.SignAuthenticatedContent(f.v.SignaturePriv, mine, &f.gc); err != nil {
		f.t.Fatal(err)
	}
	m := MLSMessage{WireFormat: wf}
	var err error
	switch wf {
	case WireFormatPublicMessage:
		m.PublicMessage, err = f.cs.NewPublicMessage(mine, &f.gc, f.v.MembershipKey)
	case WireFormatPrivateMessage:
		m.PrivateMessage, err = EncryptPrivateMessage(rand.Reader, f.tree(), f.v.SenderDataSecret, mine, 64)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return m.Encode()
}

func TestMessageProtectionVectors(t *testing.T) {
	var vectors []messageProtectionVector
	loadVectors(t, "message-protection.json", &vectors)
	for i := range vectors {
		v := &vectors[i]
		t.Run(fmt.Sprintf("%d/suite%d", i, v.CipherSuite), func(t *testing.T) {
			cs := vectorSuite(t, v.CipherSuite)
			f := &protectionFixture{t: t, cs: cs, v: v, gc: GroupContext{
				CipherSuite: cs, GroupID: v.GroupID, Epoch: v.Epoch, TreeHash: v.TreeHash, ConfirmedTranscriptHash: v.ConfirmedTranscriptHash,
			}}
			for _, c := range []struct {
				name string
				want []byte
				msgs [][]byte
			}{
				{"proposal", v.Proposal, [][]byte{v.ProposalPub, v.ProposalPriv}},
				{"commit", v.Commit, [][]byte{v.CommitPub, v.CommitPriv}},
				{"application", v.Application, [][]byte{v.ApplicationPriv}},
			} {
				for _, msg := range c.msgs {
					ac := f.unprotect(msg)
					if got := body(ac); !bytes.Equal(got, c.want) {
						t.Errorf("%s (wire format %d) = %x, want %x", c.name, ac.WireFormat, got, c.want)
					}
					again := f.unprotect(f.protect(ac, ac.WireFormat))
					if got := body(again); !bytes.Equal(got, c.want) {
						t.Errorf("%s (wire format %d) round trip = %x, want %x", c.name, ac.WireFormat, got, c.want)
					}
				}
			}

			// Application data must never travel as a PublicMessage.
			app := f.unprotect(v.ApplicationPriv)
			app.WireFormat = WireFormatPublicMessage
			if _, err := cs.NewPublicMessage(app, &f.gc, v.MembershipKey); !errors.Is(err, ErrPublicApplication) {
				t.Errorf("NewPublicMessage(application): err = %v", err)
			}
			pub := &PublicMessage{Content: app.Content, Auth: app.Auth, MembershipTag: make([]byte, 32)}
			if _, err := cs.OpenPublicMessage(pub, &f.gc, v.MembershipKey); !errors.Is(err, ErrPublicApplication) {
				t.Errorf("OpenPublicMessage(application): err = %v", err)
			}
		})
	}
}

// protectedPair returns a signed application message from leaf 1 of a two-member group,
// encrypted as a PrivateMessage, and the receiver's secret tree.
func protectedPair(t *testing.T, cs CipherSuite, padBlock int) (*PrivateMessage, *SecretTree, []byte, *GroupContext) {
	t.Helper()
	secret, sdSecret := bytes.Repeat([]byte{3}, 32), bytes.Repeat([]byte{4}, 32)
	gc := &GroupContext{CipherSuite: cs, GroupID: []byte("group"), Epoch: 7}
	sk, pk, _ := cs.GenerateSignatureKeyPair()
	ac := &AuthenticatedContent{WireFormat: WireFormatPrivateMessage, Content: FramedContent{
		GroupID: gc.GroupID, Epoch: gc.Epoch, Sender: Sender{Type: SenderMember, Index: 1},
		AuthenticatedData: []byte("ad"), ContentType: ContentTypeApplication, ApplicationData: []byte("hello"),
	}}
	if err := cs.SignAuthenticatedContent(sk, ac, gc); err != nil {
		t.Fatal(err)
	}
	m, err := EncryptPrivateMessage(rand.Reader, newTestSecretTree(t, cs, secret, 2), sdSecret, ac, padBlock)
	if err != nil {
		t.Fatal(err)
	}
	return m, newTestSecretTree(t, cs, secret, 2), pk, gc
}

func TestPrivateMessagePaddingAndTampering(t *testing.T) {
	cs := CipherSuiteX25519ChaCha20
	sdSecret := bytes.Repeat([]byte{4}, 32)
	for _, block := range []int{0, 1, 32, 100} {
		m, receiver, pk, gc := protectedPair(t, cs, block)
		if block > 1 && (len(m.Ciphertext)-16)%block != 0 {
			t.Errorf("pad block %d: content of %d bytes", block, len(m.Ciphertext)-16)
		}
		ac, err := DecryptPrivateMessage(receiver, sdSecret, m)
		if err != nil {
			t.Fatalf("pad block %d: %v", block, err)
		}
		if string(ac.Content.ApplicationData) != "hello" || string(ac.Content.AuthenticatedData) != "ad" {
			t.Errorf("pad block %d: content %q, ad %q", block, ac.Content.ApplicationData, ac.Content.AuthenticatedData)
		}
		if err := cs.VerifyAuthenticatedContent(pk, ac, gc); err != nil {
			t.Error(err)
		}
		if _, err := DecryptPrivateMessage(receiver, sdSecret, m); !errors.Is(err, ErrGenerationConsumed) {
			t.Errorf("replay: err = %v, want ErrGenerationConsumed", err)
		}
	}

	tamper := map[string]func(m *PrivateMessage) error{
		"authenticated data": func(m *PrivateMessage) error { m.AuthenticatedData = []byte("AD"); return ErrPrivateContent },
		"epoch":              func(m *PrivateMessage) error { m.Epoch++; return ErrSenderData },
		"content type":       func(m *PrivateMessage) error { m.ContentType = ContentTypeProposal; return ErrSenderData },
		"sender data":        func(m *PrivateMessage) error { m.EncryptedSenderData[0] ^= 1; return ErrSenderData },
		"ciphertext":         func(m *PrivateMessage) error { m.Ciphertext[len(m.Ciphertext)-1] ^= 1; return ErrPrivateContent },
	}
	for name, change := range tamper {
		m, receiver, _, _ := protectedPair(t, cs, 0)
		want := change(m)
		if _, err := DecryptPrivateMessage(receiver, sdSecret, m); !errors.Is(err, want) {
			t.Errorf("tampered %s: err = %v, want %v", name, err, want)
		}
	}
}

func TestPublicMessageMembershipTag(t *testing.T) {
	cs := CipherSuiteX25519AES128GCM
	gc := &GroupContext{CipherSuite: cs, GroupID: []byte("g"), Epoch: 1}
	sk, _, _ := cs.GenerateSignatureKeyPair()
	ac := &AuthenticatedContent{WireFormat: WireFormatPublicMessage, Content: FramedContent{
		GroupID: gc.GroupID, Epoch: 1, Sender: Sender{Type: SenderMember}, ContentType: ContentTypeProposal,
		Proposal: RemoveProposal{Removed: 1},
	}}
	if err := cs.SignAuthenticatedContent(sk, ac, gc); err != nil {
		t.Fatal(err)
	}
	key := []byte("membership key")
	m, err := cs.NewPublicMessage(ac, gc, key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.OpenPublicMessage(m, gc, key); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.OpenPublicMessage(m, gc, []byte("another key")); !errors.Is(err, ErrMembershipTag) {
		t.Errorf("wrong key: err = %v", err)
	}
	gc.Epoch++ // the tag covers the group context
	if _, err := cs.OpenPublicMessage(m, gc, key); !errors.Is(err, ErrMembershipTag) {
		t.Errorf("other group context: err = %v", err)
	}
	ac.WireFormat = WireFormatPrivateMessage
	if _, err := cs.NewPublicMessage(ac, gc, key); !errors.Is(err, ErrMessageWireFormat) {
		t.Errorf("private framing: err = %v", err)
	}
}

// BenchmarkPrivateMessage measures encrypting and decrypting a signed 100-byte application
// message, without the signature: the per-message cost the secret tree and AEAD add.
func BenchmarkPrivateMessage(b *testing.B) {
	for _, cs := range benchSuites {
		b.Run(fmt.Sprintf("suite%d", cs), func(b *testing.B) {
			secret, sdSecret := make([]byte, 32), make([]byte, 32)
			sender := newTestSecretTree(b, cs, secret, 512)
			receiver := newTestSecretTree(b, cs, secret, 512)
			ac := &AuthenticatedContent{WireFormat: WireFormatPrivateMessage, Content: FramedContent{
				GroupID: make([]byte, 32), Sender: Sender{Type: SenderMember, Index: 399},
				ContentType: ContentTypeApplication, ApplicationData: make([]byte, 100),
			}, Auth: FramedContentAuthData{Signature: make([]byte, 64)}}
			for b.Loop() {
				m, err := EncryptPrivateMessage(rand.Reader, sender, sdSecret, ac, 32)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := DecryptPrivateMessage(receiver, sdSecret, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzPrivateMessageContent(f *testing.F) {
	f.Add(uint8(ContentTypeApplication), []byte{2, 'h', 'i', 1, 0, 0, 0})
	f.Add(uint8(ContentTypeProposal), []byte{0, 3, 0, 0, 0, 2, 0})
	f.Add(uint8(ContentTypeCommit), []byte{0, 0, 0, 1, 7})
	f.Fuzz(func(t *testing.T, ct uint8, pt []byte) {
		ac := &AuthenticatedContent{WireFormat: WireFormatPrivateMessage, Content: FramedContent{ContentType: ContentType(ct)}}
		if ac.Content.ContentType.check() != nil || ac.unmarshalPrivateContent(pt) != nil {
			return
		}
		e := NewEncoder(len(pt))
		marshalContentBody(e, ac.Content.ContentType, ac.Content.ApplicationData, ac.Content.Proposal, ac.Content.Commit)
		ac.Auth.Marshal(e, ac.Content.ContentType)
		if !bytes.HasPrefix(pt, e.Bytes()) {
			t.Fatalf("content %x re-encodes as %x", pt, e.Bytes())
		}
	})
}

// FuzzDecryptPrivateMessage feeds arbitrary PrivateMessages to a member of a two-member group:
// nothing may panic, and whatever opens must carry the content type and sender it claims.
func FuzzDecryptPrivateMessage(f *testing.F) {
	cs := CipherSuiteX25519ChaCha20
	secret, sdSecret := bytes.Repeat([]byte{3}, 32), bytes.Repeat([]byte{4}, 32)
	ac := &AuthenticatedContent{WireFormat: WireFormatPrivateMessage, Content: FramedContent{
		GroupID: []byte("group"), Epoch: 7, Sender: Sender{Type: SenderMember, Index: 1},
		ContentType: ContentTypeApplication, ApplicationData: []byte("hello"),
	}, Auth: FramedContentAuthData{Signature: make([]byte, 64)}}
	sender, _ := NewSecretTree(cs, secret, 2)
	for _, pad := range []int{0, 32} {
		m, err := EncryptPrivateMessage(bytes.NewReader(make([]byte, 4)), sender, sdSecret, ac, pad)
		if err != nil {
			f.Fatal(err)
		}
		e := NewEncoder(0)
		m.Marshal(e)
		f.Add(e.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m PrivateMessage
		if err := decodeAll("private message", b, m.Unmarshal); err != nil {
			return
		}
		receiver, _ := NewSecretTree(cs, secret, 2)
		got, err := DecryptPrivateMessage(receiver, sdSecret, &m)
		if err != nil {
			return
		}
		if got.Content.ContentType != m.ContentType || got.Content.Sender.Type != SenderMember || got.Content.Sender.Index >= 2 {
			t.Fatalf("opened %+v from %+v", got.Content, m)
		}
	})
}
