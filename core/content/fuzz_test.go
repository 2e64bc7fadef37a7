package content_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// seedContents are one value of every built-in type, so the fuzzers start from valid bytes.
func seedContents() []content.Content {
	return []content.Content{
		content.Text("hi"), content.Markdown("*hi*"),
		content.Reply{Reference: "r", Content: content.Text("ok")},
		content.Reaction{Reference: "r", Action: content.ReactionAdded, Content: "👍", Schema: content.ReactionUnicode},
		content.Reaction{Reference: "r", Action: content.ReactionAdded, Content: "👍", Schema: content.ReactionUnicode, Legacy: true},
		content.ReadReceipt{}, content.Attachment{MimeType: "a/b", Data: []byte{1}},
		content.RemoteAttachment{URL: "https://x", Secret: []byte{1}, ContentLength: 3},
		content.MultiRemoteAttachment{Attachments: []content.RemoteAttachment{{URL: "https://y", Filename: "f"}}},
		content.GroupUpdated{InitiatedBy: "a", Added: []string{"b"}}, content.LeaveRequest{},
		content.TransactionReference{NetworkID: "1", Reference: "0xab", Metadata: &content.TransactionMetadata{Amount: 1.5}},
		content.WalletSendCalls{Version: "1", ChainID: "0x1", Calls: []content.WalletCall{{To: "0x1", Metadata: map[string]string{"description": "d", "transactionType": "t"}}}},
		content.Actions{ID: "a", Description: "pick", ExpiresAtNs: 1e18, Actions: []content.Action{{ID: "1", Label: "yes", Style: "primary"}, {ID: "2", Label: "no", ImageURL: "https://x"}}},
		content.Intent{ID: "i", ActionID: "1", Metadata: map[string]json.RawMessage{"n": json.RawMessage("1")}},
	}
}

// FuzzDecode feeds untrusted EncodedContent bytes through Unmarshal and Decode (every content
// decoder and decompression). Whatever decodes must encode again without error.
func FuzzDecode(f *testing.F) {
	for _, c := range seedContents() {
		ec, _ := content.Encode(c)
		b, _ := content.Marshal(ec)
		f.Add(b)
		packed, _ := content.Compress(ec, mlscontents.Compression_COMPRESSION_GZIP)
		b, _ = content.Marshal(packed)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ec, err := content.Unmarshal(b)
		if err != nil {
			return
		}
		c, err := content.Decode(ec)
		if err != nil {
			return
		}
		if r, ok := c.(content.Reaction); ok && r.Legacy {
			return // unknown action or schema names decode, as in libxmtp, but do not encode
		}
		if _, ok := c.(content.Reply); ok {
			return // a reply's inner content may be any of the above, checked on its own
		}
		if _, err := content.Encode(c); err != nil {
			t.Fatalf("decoded %T does not encode again: %v", c, err)
		}
	})
}

// FuzzDecompress checks that no compressed input inflates past the cap or panics.
func FuzzDecompress(f *testing.F) {
	ec, _ := content.Encode(content.Text(bytes.Repeat([]byte("ab"), 100)))
	for _, c := range []mlscontents.Compression{mlscontents.Compression_COMPRESSION_DEFLATE, mlscontents.Compression_COMPRESSION_GZIP} {
		packed, _ := content.Compress(ec, c)
		f.Add(packed.Content, int32(c))
	}
	f.Fuzz(func(t *testing.T, b []byte, alg int32) {
		c := mlscontents.Compression(alg)
		out, err := content.Decompress(&mlscontents.EncodedContent{Content: b, Compression: &c})
		if err == nil && len(out.Content) > content.MaxDecompressedSize {
			t.Fatalf("decompressed %d bytes past the cap", len(out.Content))
		}
	})
}

// FuzzDecodeEnvelope feeds untrusted decrypted plaintext to DecodeEnvelope; what decodes
// must encode to an envelope that decodes the same.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, e := range []content.Envelope{
		{Version: 1, IdempotencyKey: "1", Payload: []byte("x")},
		{Version: 2, IdempotencyKey: "2", Kind: content.PayloadDeviceSyncReply, Payload: []byte("y")},
	} {
		b, _ := content.EncodeEnvelope(e)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := content.DecodeEnvelope(b)
		if err != nil {
			return
		}
		again, err := content.EncodeEnvelope(e)
		if err != nil {
			t.Fatalf("decoded envelope %+v does not encode: %v", e, err)
		}
		e2, err := content.DecodeEnvelope(again)
		if err != nil || e2.Version != e.Version || e2.Kind != e.Kind || e2.IdempotencyKey != e.IdempotencyKey || !bytes.Equal(e2.Payload, e.Payload) {
			t.Fatalf("envelope changed on re-encoding: %+v vs %+v (%v)", e, e2, err)
		}
	})
}

// FuzzParseTypeID checks that every parsed type id formats back to an equal id.
func FuzzParseTypeID(f *testing.F) {
	f.Add("xmtp.org/text:1.0")
	f.Add("coinbase.com/actions:1.2")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := content.ParseTypeID(s)
		if err != nil {
			return
		}
		again, err := content.ParseTypeID(id.String())
		if err != nil || again != id {
			t.Fatalf("ParseTypeID(%q) = %v; its String %q parses to %v, %v", s, id, id.String(), again, err)
		}
	})
}
