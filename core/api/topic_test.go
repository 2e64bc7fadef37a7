package api

import (
	"bytes"
	"testing"
)

func TestMutateRequest(t *testing.T) {
	r := MutateRequest(TopicWelcomeMessages, []Filter{{Key: []byte{0xaa}, Cursor: 7}}, [][]byte{{0xbb}}, 3)
	m := r.GetV1().GetMutate()
	if m.GetMutateId() != 3 || len(m.GetAdds()) != 1 || m.GetAdds()[0].GetIdCursor() != 7 ||
		!bytes.Equal(m.GetAdds()[0].GetTopic(), []byte{0x01, 0xaa}) || !bytes.Equal(m.GetRemoves()[0], []byte{0x01, 0xbb}) {
		t.Errorf("mutate %v", m)
	}
	if PingRequest(9).GetV1().GetPing().GetNonce() != 9 {
		t.Error("ping nonce lost")
	}
}
