package mls

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

// messagesCase is one case of messages.json: every field is a structure's encoding that must
// decode and re-encode to the same bytes.
type messagesCase struct {
	MLSWelcome                     hexBytes `json:"mls_welcome"`
	MLSGroupInfo                   hexBytes `json:"mls_group_info"`
	MLSKeyPackage                  hexBytes `json:"mls_key_package"`
	RatchetTree                    hexBytes `json:"ratchet_tree"`
	GroupSecrets                   hexBytes `json:"group_secrets"`
	AddProposal                    hexBytes `json:"add_proposal"`
	UpdateProposal                 hexBytes `json:"update_proposal"`
	RemoveProposal                 hexBytes `json:"remove_proposal"`
	PreSharedKeyProposal           hexBytes `json:"pre_shared_key_proposal"`
	ReInitProposal                 hexBytes `json:"re_init_proposal"`
	ExternalInitProposal           hexBytes `json:"external_init_proposal"`
	GroupContextExtensionsProposal hexBytes `json:"group_context_extensions_proposal"`
	Commit                         hexBytes `json:"commit"`
	PublicMessageApplication       hexBytes `json:"public_message_application"`
	PublicMessageProposal          hexBytes `json:"public_message_proposal"`
	PublicMessageCommit            hexBytes `json:"public_message_commit"`
	PrivateMessage                 hexBytes `json:"private_message"`
}

// roundTrip decodes b with unmarshal and re-encodes the result with marshal.
type roundTrip struct {
	name string
	data []byte
	run  func(b []byte) ([]byte, error)
}

// mlsMessageTrip round-trips an MLSMessage that must carry wire format wf.
func mlsMessageTrip(wf WireFormat) func(b []byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		m, err := DecodeMLSMessage(b)
		if err != nil {
			return nil, err
		}
		if m.WireFormat != wf {
			return nil, fmt.Errorf("wire format %d, want %d", m.WireFormat, wf)
		}
		return m.Encode(), nil
	}
}

// proposalBodyTrip round-trips the bare body of a proposal of type t, as the vectors give it.
func proposalBodyTrip(t ProposalType) func(b []byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		var p Proposal
		if err := decodeAll("proposal body", b, func(d *Decoder) { p = unmarshalProposalBody(d, t) }); err != nil {
			return nil, err
		}
		if p.Type() != t {
			return nil, fmt.Errorf("decoded type %d, want %d", p.Type(), t)
		}
		e := NewEncoder(len(b))
		p.marshalBody(e)
		return e.Bytes(), nil
	}
}

func TestMessagesVectors(t *testing.T) {
	var cases []messagesCase
	loadVectors(t, "messages.json", &cases)
	if len(cases) != 300 {
		t.Fatalf("messages.json has %d cases, want 300", len(cases))
	}
	for i, c := range cases {
		trips := []roundTrip{
			{"mls_welcome", c.MLSWelcome, mlsMessageTrip(WireFormatWelcome)},
			{"mls_group_info", c.MLSGroupInfo, mlsMessageTrip(WireFormatGroupInfo)},
			{"mls_key_package", c.MLSKeyPackage, mlsMessageTrip(WireFormatKeyPackage)},
			{"ratchet_tree", c.RatchetTree, func(b []byte) ([]byte, error) {
				// The case's key package names its suite, so key sizes are checked for
				// suites 1 and 3 and skipped for suite 2.
				kp, err := DecodeMLSMessage(c.MLSKeyPackage)
				if err != nil {
					return nil, err
				}
				tree, err := DecodeRatchetTree(b, kp.KeyPackage.CipherSuite)
				return tree.Encode(), err
			}},
			{"group_secrets", c.GroupSecrets, func(b []byte) ([]byte, error) {
				g, err := DecodeGroupSecrets(b)
				return g.Encode(), err
			}},
			{"add_proposal", c.AddProposal, proposalBodyTrip(ProposalAdd)},
			{"update_proposal", c.UpdateProposal, proposalBodyTrip(ProposalUpdate)},
			{"remove_proposal", c.RemoveProposal, proposalBodyTrip(ProposalRemove)},
			{"pre_shared_key_proposal", c.PreSharedKeyProposal, proposalBodyTrip(ProposalPreSharedKey)},
			{"re_init_proposal", c.ReInitProposal, proposalBodyTrip(ProposalReInit)},
			{"external_init_proposal", c.ExternalInitProposal, proposalBodyTrip(ProposalExternalInit)},
			{"group_context_extensions_proposal", c.GroupContextExtensionsProposal, proposalBodyTrip(ProposalGroupContextExtensions)},
			{"commit", c.Commit, func(b []byte) ([]byte, error) {
				cm, err := DecodeCommit(b)
				return cm.Encode(), err
			}},
			{"public_message_application", c.PublicMessageApplication, mlsMessageTrip(WireFormatPublicMessage)},
			{"public_message_proposal", c.PublicMessageProposal, mlsMessageTrip(WireFormatPublicMessage)},
			{"public_message_commit", c.PublicMessageCommit, mlsMessageTrip(WireFormatPublicMessage)},
			{"private_message", c.PrivateMessage, mlsMessageTrip(WireFormatPrivateMessage)},
		}
		for _, rt := range trips {
			got, err := rt.run(rt.data)
			if err != nil {
				t.Errorf("case %d %s: %v", i, rt.name, err)
				continue
			}
			if !bytes.Equal(got, rt.data) {
				t.Errorf("case %d %s: re-encoding differs (%d bytes, want %d)", i, rt.name, len(got), len(rt.data))
			}
		}
	}
}

// TestMessageHeaderMatchesDecode checks the node's header parser against the full decoder on
// every framed message and group info of the vectors.
func TestMessageHeaderMatchesDecode(t *testing.T) {
	var cases []messagesCase
	loadVectors(t, "messages.json", &cases)
	for i, c := range cases {
		for _, b := range [][]byte{c.PublicMessageApplication, c.PublicMessageProposal, c.PublicMessageCommit, c.PrivateMessage, c.MLSGroupInfo, c.MLSWelcome, c.MLSKeyPackage} {
			h, err := ParseMessageHeader(b)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			m, err := DecodeMLSMessage(b)
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			want := MessageHeader{WireFormat: m.WireFormat}
			switch {
			case m.PublicMessage != nil:
				fc := &m.PublicMessage.Content
				want.GroupID, want.Epoch, want.ContentType, want.Sender = fc.GroupID, fc.Epoch, fc.ContentType, fc.Sender
			case m.PrivateMessage != nil:
				pm := m.PrivateMessage
				want.GroupID, want.Epoch, want.ContentType = pm.GroupID, pm.Epoch, pm.ContentType
			case m.GroupInfo != nil:
				want.GroupID, want.Epoch = m.GroupInfo.GroupContext.GroupID, m.GroupInfo.GroupContext.Epoch
			}
			if h.WireFormat != want.WireFormat || !bytes.Equal(h.GroupID, want.GroupID) || h.Epoch != want.Epoch ||
				h.ContentType != want.ContentType || h.Sender != want.Sender {
				t.Fatalf("case %d: header %+v, want %+v", i, h, want)
			}
		}
	}
}

// TestPassiveClientMessagesRoundTrip runs the codec alone over every MLSMessage and tree of
// the passive-client vectors (all suites): each must decode and re-encode byte for byte. The
// group state machine runs the same files semantically; this localizes codec faults.
func TestPassiveClientMessagesRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "passive-client-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no passive-client vectors (%v)", err)
	}
	for _, file := range files {
		var cases []struct {
			CipherSuite uint16   `json:"cipher_suite"`
			KeyPackage  hexBytes `json:"key_package"`
			Welcome     hexBytes `json:"welcome"`
			RatchetTree hexBytes `json:"ratchet_tree"`
			Epochs      []struct {
				Proposals []hexBytes `json:"proposals"`
				Commit    hexBytes   `json:"commit"`
			} `json:"epochs"`
		}
		name := filepath.Base(file)
		loadVectors(t, name, &cases)
		for i, c := range cases {
			msgs := []hexBytes{c.KeyPackage, c.Welcome}
			for _, ep := range c.Epochs {
				msgs = append(append(msgs, ep.Proposals...), ep.Commit)
			}
			for _, b := range msgs {
				m, err := DecodeMLSMessage(b)
				if err != nil {
					t.Errorf("%s case %d: %v", name, i, err)
				} else if !bytes.Equal(m.Encode(), b) {
					t.Errorf("%s case %d: re-encoding differs", name, i)
				}
			}
			if len(c.RatchetTree) > 0 {
				tree, err := DecodeRatchetTree(c.RatchetTree, CipherSuite(c.CipherSuite))
				if err != nil {
					t.Errorf("%s case %d tree: %v", name, i, err)
				} else if !bytes.Equal(tree.Encode(), c.RatchetTree) {
					t.Errorf("%s case %d tree: re-encoding differs", name, i)
				}
			}
		}
	}
}
