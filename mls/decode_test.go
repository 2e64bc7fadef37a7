package mls

import (
	"bytes"
	"errors"
	"sync"
	"testing"
)

// raw builds test input with an Encoder.
func raw(build func(e *Encoder)) []byte {
	var e Encoder
	build(&e)
	return e.Bytes()
}

// publicMessageBytes frames a public message by hand, so sender and content type can be
// values the typed encoder would never produce.
func publicMessageBytes(sender SenderType, ct ContentType, body func(e *Encoder)) []byte {
	return raw(func(e *Encoder) {
		e.U16(uint16(ProtocolVersionMLS10))
		e.U16(uint16(WireFormatPublicMessage))
		e.Opaque([]byte("group"))
		e.U64(7)
		e.U8(uint8(sender))
		if sender == SenderMember || sender == SenderExternal {
			e.U32(0)
		}
		e.Opaque(nil)
		e.U8(uint8(ct))
		body(e)
	})
}

// TestDecodeErrors feeds each structural rule enforced at decode time one violation and
// expects its own error.
func TestDecodeErrors(t *testing.T) {
	kp := newTestKeyPackage(t).KeyPackage
	leaf := kp.LeafNode
	mutatedKP := func(mutate func(kp *KeyPackage)) []byte {
		c := kp
		mutate(&c)
		return c.Encode()
	}
	decodeMLS := func(b []byte) error { _, err := DecodeMLSMessage(b); return err }
	decodeKP := func(b []byte) error { _, err := DecodeKeyPackage(b); return err }
	decodeProposal := func(b []byte) error { _, err := DecodeProposal(b); return err }
	decodeTree := func(b []byte) error { _, err := DecodeRatchetTree(b, CipherSuiteX25519ChaCha20); return err }
	leafBytes := leaf.Encode()
	parentNode := func(e *Encoder) {
		e.Optional(true, func(e *Encoder) {
			e.U8(uint8(NodeTypeParent))
			e.Opaque(make([]byte, 32))
			e.Opaque(nil)
			encodeU32s(e, nil)
		})
	}
	leafNode := func(e *Encoder) {
		e.Optional(true, func(e *Encoder) { e.U8(uint8(NodeTypeLeaf)); e.Raw(leafBytes) })
	}

	tests := []struct {
		name   string
		in     []byte
		decode func([]byte) error
		want   error
	}{
		{"MLSMessage version", raw(func(e *Encoder) { e.U16(2); e.U16(uint16(WireFormatKeyPackage)); e.Raw(kp.Encode()) }), decodeMLS, ErrUnsupportedVersion},
		{"wire format", raw(func(e *Encoder) { e.U16(1); e.U16(6) }), decodeMLS, ErrWireFormat},
		{"content type", publicMessageBytes(SenderMember, 4, func(*Encoder) {}), decodeMLS, ErrContentType},
		{"sender type", publicMessageBytes(5, ContentTypeApplication, func(*Encoder) {}), decodeMLS, ErrSenderType},
		{"external sender commits", publicMessageBytes(SenderExternal, ContentTypeCommit, func(*Encoder) {}), decodeMLS, ErrSenderContent},
		{"new member sends application data", publicMessageBytes(SenderNewMemberCommit, ContentTypeApplication, func(*Encoder) {}), decodeMLS, ErrSenderContent},
		{"private message content type", raw(func(e *Encoder) {
			e.U16(1)
			e.U16(uint16(WireFormatPrivateMessage))
			e.Opaque([]byte("g"))
			e.U64(1)
			e.U8(0)
		}), decodeMLS, ErrContentType},
		{"authenticated content wire format", raw(func(e *Encoder) { e.U16(uint16(WireFormatWelcome)) }), func(b []byte) error {
			_, err := DecodeAuthenticatedContent(b)
			return err
		}, ErrWireFormat},
		{"proposal type 0", raw(func(e *Encoder) { e.U16(0) }), decodeProposal, ErrProposalType},
		{"PSK type", raw(func(e *Encoder) { e.U16(uint16(ProposalPreSharedKey)); e.U8(3) }), decodeProposal, ErrPSKType},
		{"resumption usage", raw(func(e *Encoder) { e.U16(uint16(ProposalPreSharedKey)); e.U8(uint8(PSKResumption)); e.U8(4) }), decodeProposal, ErrResumptionUsage},
		{"proposal-or-ref type", raw(func(e *Encoder) { e.Vector(func(e *Encoder) { e.U8(3) }); e.Bool(false) }), func(b []byte) error {
			_, err := DecodeCommit(b)
			return err
		}, ErrProposalOrRefType},
		{"commit path marker", raw(func(e *Encoder) { e.Vector(func(*Encoder) {}); e.U8(2) }), func(b []byte) error {
			_, err := DecodeCommit(b)
			return err
		}, ErrInvalidBool},
		{"duplicate extension", raw(func(e *Encoder) {
			Extensions{{Type: 0xff00, Data: []byte{1}}, {Type: 0xff00, Data: []byte{2}}}.Marshal(e)
		}), func(b []byte) error {
			var x Extensions
			return decodeAll("extensions", b, x.Unmarshal)
		}, ErrDuplicateExtension},
		{"credential type 0", raw(func(e *Encoder) {
			e.Vector(func(e *Encoder) { e.Opaque(make([]byte, 32)); e.U16(0); e.Opaque(nil) })
		}), func(b []byte) error { _, err := DecodeExternalSenders(b); return err }, ErrCredentialType},
		{"x509 chain", raw(func(e *Encoder) {
			e.Vector(func(e *Encoder) { e.Opaque(make([]byte, 32)); e.U16(uint16(CredentialX509)); e.Opaque([]byte{5, 1}) })
		}), func(b []byte) error { _, err := DecodeExternalSenders(b); return err }, ErrTruncated},
		{"leaf node source", func() []byte {
			l := leaf
			l.Source = 4
			return l.Encode()
		}(), func(b []byte) error { _, err := DecodeLeafNode(b); return err }, ErrLeafNodeSource},
		{"init key size", mutatedKP(func(kp *KeyPackage) { kp.InitKey = kp.InitKey[:31] }), decodeKP, ErrHPKEKeySize},
		{"encryption key size", mutatedKP(func(kp *KeyPackage) { kp.LeafNode.EncryptionKey = kp.LeafNode.EncryptionKey[:31] }), decodeKP, ErrHPKEKeySize},
		{"signature key size", mutatedKP(func(kp *KeyPackage) { kp.LeafNode.SignatureKey = append(kp.LeafNode.SignatureKey, 0) }), decodeKP, ErrSignatureKeySize},
		{"trailing bytes", append(kp.Encode(), 0), decodeKP, ErrTrailingBytes},
		{"group context version", raw(func(e *Encoder) { e.U16(2) }), func(b []byte) error {
			_, err := DecodeGroupContext(b)
			return err
		}, ErrUnsupportedVersion},
		{"welcome ref size", raw(func(e *Encoder) {
			e.U16(uint16(CipherSuiteX25519ChaCha20))
			e.Vector(func(e *Encoder) { e.Opaque(make([]byte, 31)); e.Opaque(nil); e.Opaque(nil) })
			e.Opaque(nil)
		}), func(b []byte) error { _, err := DecodeWelcome(b); return err }, ErrKeyPackageRefSize},
		{"welcome KEM output size", raw(func(e *Encoder) {
			e.U16(uint16(CipherSuiteX25519ChaCha20))
			e.Vector(func(e *Encoder) { e.Opaque(make([]byte, 32)); e.Opaque(make([]byte, 31)); e.Opaque(nil) })
			e.Opaque(nil)
		}), func(b []byte) error { _, err := DecodeWelcome(b); return err }, ErrHPKEKeySize},
		{"node type", raw(func(e *Encoder) { e.Vector(func(e *Encoder) { e.Bool(true); e.U8(3) }) }), decodeTree, ErrNodeType},
		{"empty tree", raw(func(e *Encoder) { e.Vector(func(*Encoder) {}) }), decodeTree, ErrRatchetTreeShape},
		{"trailing blank", raw(func(e *Encoder) { e.Vector(func(e *Encoder) { leafNode(e); e.Bool(false) }) }), decodeTree, ErrRatchetTreeShape},
		{"parent at a leaf position", raw(func(e *Encoder) { e.Vector(parentNode) }), decodeTree, ErrRatchetTreeShape},
		{"leaf at a parent position", raw(func(e *Encoder) { e.Vector(func(e *Encoder) { leafNode(e); leafNode(e); leafNode(e) }) }), decodeTree, ErrRatchetTreeShape},
		{"parent key size", raw(func(e *Encoder) {
			e.Vector(func(e *Encoder) {
				leafNode(e)
				e.Optional(true, func(e *Encoder) {
					e.U8(uint8(NodeTypeParent))
					e.Opaque(make([]byte, 33))
					e.Opaque(nil)
					encodeU32s(e, nil)
				})
				leafNode(e)
			})
		}), decodeTree, ErrHPKEKeySize},
		{"header version", raw(func(e *Encoder) { e.U16(0); e.U16(uint16(WireFormatWelcome)) }), func(b []byte) error {
			_, err := ParseMessageHeader(b)
			return err
		}, ErrUnsupportedVersion},
	}
	for _, tt := range tests {
		if err := tt.decode(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestGroupSecretsPathSecretPresence checks that an absent and an empty path secret stay
// distinct through a round trip: they encode differently.
func TestGroupSecretsPathSecretPresence(t *testing.T) {
	for _, ps := range [][]byte{nil, {}, {1, 2, 3}} {
		g := GroupSecrets{JoinerSecret: []byte{9}, PathSecret: ps}
		got, err := DecodeGroupSecrets(g.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if (got.PathSecret == nil) != (ps == nil) || !bytes.Equal(got.PathSecret, ps) {
			t.Errorf("path secret %v came back as %v", ps, got.PathSecret)
		}
	}
}

var (
	messagesOnce  sync.Once
	messagesCases []messagesCase
)

// fuzzSeeds adds the fields pick selects from every messages.json case to the seed corpus.
func fuzzSeeds(f *testing.F, pick func(c *messagesCase) [][]byte) {
	messagesOnce.Do(func() { loadVectors(f, "messages.json", &messagesCases) })
	for i := range messagesCases {
		for _, b := range pick(&messagesCases[i]) {
			f.Add([]byte(b))
		}
	}
}

// fuzzCanonical fuzzes a decoder: it must never panic, and whatever it accepts must re-encode
// to exactly the input. Decoding is canonical (minimal varints, strict booleans, unknown
// values kept), which is what lets signatures and hashes be computed over re-encodings.
func fuzzCanonical[T any](f *testing.F, decode func([]byte) (T, error), encode func(*T) []byte) {
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := decode(b)
		if err != nil {
			return
		}
		if got := encode(&v); !bytes.Equal(got, b) {
			t.Fatalf("accepted input re-encodes differently:\n in  %x\n out %x", b, got)
		}
	})
}

func allMLSMessages(c *messagesCase) [][]byte {
	return [][]byte{c.MLSWelcome, c.MLSGroupInfo, c.MLSKeyPackage, c.PublicMessageApplication,
		c.PublicMessageProposal, c.PublicMessageCommit, c.PrivateMessage}
}

// innerBytes strips the 4-byte MLSMessage header (version and wire format).
func innerBytes(b []byte) [][]byte { return [][]byte{b[4:]} }

func FuzzDecodeMLSMessage(f *testing.F) {
	fuzzSeeds(f, allMLSMessages)
	fuzzCanonical(f, DecodeMLSMessage, (*MLSMessage).Encode)
}

func FuzzParseMessageHeader(f *testing.F) {
	fuzzSeeds(f, allMLSMessages)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseMessageHeader(b)
		m, mErr := DecodeMLSMessage(b)
		if mErr == nil && err != nil {
			t.Fatalf("header parser rejects a valid message: %v", err)
		}
		if mErr == nil && h.WireFormat != m.WireFormat {
			t.Fatalf("wire format %d, decoder says %d", h.WireFormat, m.WireFormat)
		}
	})
}

func FuzzDecodeKeyPackage(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return innerBytes(c.MLSKeyPackage) })
	fuzzCanonical(f, DecodeKeyPackage, (*KeyPackage).Encode)
}

func FuzzDecodeWelcome(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return innerBytes(c.MLSWelcome) })
	fuzzCanonical(f, DecodeWelcome, (*Welcome).Encode)
}

func FuzzDecodeGroupInfo(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return innerBytes(c.MLSGroupInfo) })
	fuzzCanonical(f, DecodeGroupInfo, (*GroupInfo).Encode)
}

func FuzzDecodeRatchetTree(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return [][]byte{c.RatchetTree} })
	fuzzCanonical(f, func(b []byte) (RatchetTree, error) { return DecodeRatchetTree(b, CipherSuiteX25519ChaCha20) },
		func(t *RatchetTree) []byte { return t.Encode() })
}

func FuzzDecodeGroupSecrets(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return [][]byte{c.GroupSecrets} })
	fuzzCanonical(f, DecodeGroupSecrets, (*GroupSecrets).Encode)
}

func FuzzDecodeCommit(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return [][]byte{c.Commit} })
	fuzzCanonical(f, DecodeCommit, (*Commit).Encode)
}

func FuzzDecodeProposal(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte {
		var out [][]byte
		bodies := []struct {
			t ProposalType
			b []byte
		}{{ProposalAdd, c.AddProposal}, {ProposalUpdate, c.UpdateProposal}, {ProposalRemove, c.RemoveProposal},
			{ProposalPreSharedKey, c.PreSharedKeyProposal}, {ProposalReInit, c.ReInitProposal},
			{ProposalExternalInit, c.ExternalInitProposal}, {ProposalGroupContextExtensions, c.GroupContextExtensionsProposal}}
		for _, p := range bodies {
			out = append(out, raw(func(e *Encoder) { e.U16(uint16(p.t)); e.Raw(p.b) }))
		}
		return out
	})
	fuzzCanonical(f, DecodeProposal, func(p *Proposal) []byte { return EncodeProposal(*p) })
}

func FuzzDecodeLeafNode(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte { return [][]byte{c.UpdateProposal} })
	fuzzCanonical(f, DecodeLeafNode, (*LeafNode).Encode)
}

func FuzzDecodeAuthenticatedContent(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte {
		// An AuthenticatedContent of a member's public message is the message minus the
		// version in front and the membership tag behind.
		m, err := DecodeMLSMessage(c.PublicMessageCommit)
		if err != nil {
			return nil
		}
		a := AuthenticatedContent{WireFormat: WireFormatPublicMessage, Content: m.PublicMessage.Content, Auth: m.PublicMessage.Auth}
		return [][]byte{a.Encode()}
	})
	fuzzCanonical(f, DecodeAuthenticatedContent, (*AuthenticatedContent).Encode)
}

func FuzzDecodeGroupContext(f *testing.F) {
	fuzzSeeds(f, func(c *messagesCase) [][]byte {
		g, err := DecodeGroupInfo(c.MLSGroupInfo[4:])
		if err != nil {
			return nil
		}
		return [][]byte{g.GroupContext.Encode()}
	})
	fuzzCanonical(f, DecodeGroupContext, (*GroupContext).Encode)
}

func FuzzDecodeExternalSenders(f *testing.F) {
	f.Add(EncodeExternalSenders([]ExternalSender{{SignatureKey: make([]byte, 32), Credential: NewBasicCredential([]byte("server"))}}))
	fuzzCanonical(f, DecodeExternalSenders, func(s *[]ExternalSender) []byte { return EncodeExternalSenders(*s) })
}

func FuzzDecodeRequiredCapabilities(f *testing.F) {
	r := RequiredCapabilities{Extensions: []ExtensionType{0xff00}, Proposals: []ProposalType{8}, Credentials: []CredentialType{1}}
	f.Add(r.Encode())
	fuzzCanonical(f, DecodeRequiredCapabilities, (*RequiredCapabilities).Encode)
}

func FuzzDecodeExternalPub(f *testing.F) {
	f.Add(EncodeExternalPub(make([]byte, 32)))
	fuzzCanonical(f, DecodeExternalPub, func(pub *[]byte) []byte { return EncodeExternalPub(*pub) })
}

func FuzzDecodeApplicationID(f *testing.F) {
	f.Add(EncodeApplicationID([]byte("inbox id")))
	fuzzCanonical(f, DecodeApplicationID, func(id *[]byte) []byte { return EncodeApplicationID(*id) })
}
