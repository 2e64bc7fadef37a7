package content

import (
	"encoding/json"
	"fmt"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// TransactionReference points at an on-chain transaction (xmtp.org/transactionReference:1.0,
// built into browser-sdk 7.1): a JSON body with camelCase names.
type TransactionReference struct {
	Namespace string               `json:"namespace,omitempty"` // e.g. "eip155"; "" when not given
	NetworkID string               `json:"networkId"`
	Reference string               `json:"reference"` // the transaction hash
	Metadata  *TransactionMetadata `json:"metadata,omitempty"`
}

// TransactionMetadata describes the transfer a TransactionReference records.
type TransactionMetadata struct {
	TransactionType string  `json:"transactionType"`
	Currency        string  `json:"currency"`
	Amount          float64 `json:"amount"`
	Decimals        uint32  `json:"decimals"`
	FromAddress     string  `json:"fromAddress"`
	ToAddress       string  `json:"toAddress"`
}

func (TransactionReference) Type() TypeID { return TypeTransactionReference }

func (t TransactionReference) encode() (*mlscontents.EncodedContent, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return nil, ErrInvalidContent.Wrap(fmt.Errorf("transaction reference: %w", err))
	}
	fallback := "A crypto transaction this app cannot show"
	if t.Reference != "" {
		fallback += ": look up " + t.Reference + " in a block explorer"
	}
	return newEncoded(TypeTransactionReference, nil, fallback, body), nil
}

func decodeTransactionReference(ec *mlscontents.EncodedContent) (Content, error) {
	// Older senders write networkId as a JSON number; it reads as its decimal text.
	var v struct {
		TransactionReference
		NetworkID json.RawMessage `json:"networkId"`
	}
	if err := json.Unmarshal(ec.Content, &v); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("transaction reference: %w", err))
	}
	t := v.TransactionReference
	var number json.Number
	switch {
	case json.Unmarshal(v.NetworkID, &t.NetworkID) == nil:
	case json.Unmarshal(v.NetworkID, &number) == nil:
		t.NetworkID = number.String()
	default:
		return nil, fmt.Errorf("transaction reference networkId: %w", ErrMalformed)
	}
	return t, nil
}
