package content

import (
	"encoding/json"
	"fmt"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Intent is a reader's choice among an Actions message's actions (coinbase.com/intent:1.0,
// built into browser-sdk 7.1): a JSON body.
type Intent struct {
	ID       string `json:"id"`
	ActionID string `json:"actionId"`
	// Metadata is free-form JSON per key; at most maxIntentMetadata bytes in all.
	Metadata map[string]json.RawMessage `json:"metadata,omitempty"`
}

// maxIntentMetadata bounds an intent's metadata as JSON, libxmtp's limit (10 KiB).
const maxIntentMetadata = 10 * 1024

func (Intent) Type() TypeID { return TypeIntent }

// check applies the rule both directions share, so what decodes encodes again.
func (i Intent) check() error {
	if i.Metadata == nil {
		return nil
	}
	b, err := json.Marshal(i.Metadata)
	if err != nil {
		return fmt.Errorf("intent metadata: %w", err)
	}
	if len(b) > maxIntentMetadata {
		return fmt.Errorf("intent metadata of %d bytes, over %d", len(b), maxIntentMetadata)
	}
	return nil
}

func (i Intent) encode() (*mlscontents.EncodedContent, error) {
	if err := i.check(); err != nil {
		return nil, ErrInvalidContent.Wrap(err)
	}
	body, err := json.Marshal(i)
	if err != nil {
		return nil, ErrInvalidContent.Wrap(fmt.Errorf("intent: %w", err))
	}
	return newEncoded(TypeIntent, nil, "Chose the action "+i.ActionID, body), nil
}

func decodeIntent(ec *mlscontents.EncodedContent) (Content, error) {
	// Some senders write action_id; both read the same.
	var v struct {
		Intent
		ActionIDSnake *string `json:"action_id"`
	}
	if err := json.Unmarshal(ec.Content, &v); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("intent: %w", err))
	}
	i := v.Intent
	if i.ActionID == "" && v.ActionIDSnake != nil {
		i.ActionID = *v.ActionIDSnake
	}
	if err := i.check(); err != nil {
		return nil, ErrMalformed.Wrap(err)
	}
	return i, nil
}
