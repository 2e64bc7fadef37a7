package content

import (
	"fmt"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// PayloadKind says what a PlaintextEnvelope carries.
type PayloadKind int

const (
	// PayloadContent is serialized EncodedContent: every normal message.
	PayloadContent PayloadKind = iota
	// The device-sync control messages of envelope V2; goxmtp stores them opaquely.
	PayloadDeviceSyncRequest
	PayloadDeviceSyncReply
	PayloadUserPreferenceUpdate
)

// Envelope is the plaintext of an MLS application message (PlaintextEnvelope). Normal sends
// use version 1, which can only carry content; version 2 adds the device-sync payloads of the
// retired device sync V1, and libxmtp 1.11 ignores V2 envelopes it receives.
type Envelope struct {
	Version        int // 1 or 2
	IdempotencyKey string
	Kind           PayloadKind
	Payload        []byte
}

// NewEnvelope wraps serialized EncodedContent the way libxmtp sends it: version 1 with the
// sending time in nanoseconds, in decimal, as the idempotency key.
func NewEnvelope(encodedContent []byte, now time.Time) Envelope {
	return Envelope{Version: 1, IdempotencyKey: strconv.FormatInt(now.UnixNano(), 10), Kind: PayloadContent, Payload: encodedContent}
}

// EncodeEnvelope serializes e.
func EncodeEnvelope(e Envelope) ([]byte, error) {
	var p mlscontents.PlaintextEnvelope
	switch {
	case e.Version == 1 && e.Kind == PayloadContent:
		p.Content = &mlscontents.PlaintextEnvelope_V1_{V1: &mlscontents.PlaintextEnvelope_V1{Content: e.Payload, IdempotencyKey: e.IdempotencyKey}}
	case e.Version == 2:
		v2 := &mlscontents.PlaintextEnvelope_V2{IdempotencyKey: e.IdempotencyKey}
		switch e.Kind {
		case PayloadContent:
			v2.MessageType = &mlscontents.PlaintextEnvelope_V2_Content{Content: e.Payload}
		case PayloadDeviceSyncRequest:
			v2.MessageType = &mlscontents.PlaintextEnvelope_V2_DeviceSyncRequest{DeviceSyncRequest: e.Payload}
		case PayloadDeviceSyncReply:
			v2.MessageType = &mlscontents.PlaintextEnvelope_V2_DeviceSyncReply{DeviceSyncReply: e.Payload}
		case PayloadUserPreferenceUpdate:
			v2.MessageType = &mlscontents.PlaintextEnvelope_V2_UserPreferenceUpdate{UserPreferenceUpdate: e.Payload}
		default:
			return nil, fmt.Errorf("envelope payload kind %d: %w", e.Kind, ErrInvalidContent)
		}
		p.Content = &mlscontents.PlaintextEnvelope_V2_{V2: v2}
	default:
		return nil, fmt.Errorf("envelope version %d with payload kind %d: %w", e.Version, e.Kind, ErrInvalidContent)
	}
	b, err := proto.Marshal(&p)
	if err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	return b, nil
}

// DecodeEnvelope parses the decrypted plaintext of an application message.
func DecodeEnvelope(b []byte) (Envelope, error) {
	var p mlscontents.PlaintextEnvelope
	if err := proto.Unmarshal(b, &p); err != nil {
		return Envelope{}, ErrMalformed.Wrap(fmt.Errorf("envelope: %w", err))
	}
	switch c := p.Content.(type) {
	case *mlscontents.PlaintextEnvelope_V1_:
		return Envelope{Version: 1, IdempotencyKey: c.V1.GetIdempotencyKey(), Kind: PayloadContent, Payload: c.V1.GetContent()}, nil
	case *mlscontents.PlaintextEnvelope_V2_:
		e := Envelope{Version: 2, IdempotencyKey: c.V2.GetIdempotencyKey()}
		switch m := c.V2.GetMessageType().(type) {
		case *mlscontents.PlaintextEnvelope_V2_Content:
			e.Kind, e.Payload = PayloadContent, m.Content
		case *mlscontents.PlaintextEnvelope_V2_DeviceSyncRequest:
			e.Kind, e.Payload = PayloadDeviceSyncRequest, m.DeviceSyncRequest
		case *mlscontents.PlaintextEnvelope_V2_DeviceSyncReply:
			e.Kind, e.Payload = PayloadDeviceSyncReply, m.DeviceSyncReply
		case *mlscontents.PlaintextEnvelope_V2_UserPreferenceUpdate:
			e.Kind, e.Payload = PayloadUserPreferenceUpdate, m.UserPreferenceUpdate
		default:
			return Envelope{}, fmt.Errorf("envelope v2 without a payload: %w", ErrMalformed)
		}
		return e, nil
	default:
		return Envelope{}, fmt.Errorf("envelope without a version: %w", ErrMalformed)
	}
}
