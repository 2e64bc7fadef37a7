package content

import (
	"encoding/json"
	"fmt"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// WalletSendCalls asks the reader's wallet to make calls (EIP-5792 wallet_sendCalls;
// xmtp.org/walletSendCalls:1.0, built into browser-sdk 7.1): a JSON body.
type WalletSendCalls struct {
	Version      string            `json:"version"`
	ChainID      string            `json:"chainId"`
	From         string            `json:"from"`
	Calls        []WalletCall      `json:"calls"`
	Capabilities map[string]string `json:"capabilities,omitempty"`
}

// WalletCall is one call. Metadata, when present, must hold "description" and
// "transactionType" (libxmtp refuses a call without them); other keys ride along.
type WalletCall struct {
	To       string            `json:"to,omitempty"`
	Data     string            `json:"data,omitempty"`
	Value    string            `json:"value,omitempty"`
	Gas      string            `json:"gas,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"`
}

func (WalletSendCalls) Type() TypeID { return TypeWalletSendCalls }

// check applies the rules both directions share, so what decodes encodes again.
func (w WalletSendCalls) check() error {
	for i, c := range w.Calls {
		if c.Metadata == nil {
			continue
		}
		for _, key := range []string{"description", "transactionType"} {
			if _, ok := c.Metadata[key]; !ok {
				return fmt.Errorf("wallet call %d metadata without %s", i, key)
			}
		}
	}
	return nil
}

func (w WalletSendCalls) encode() (*mlscontents.EncodedContent, error) {
	if err := w.check(); err != nil {
		return nil, ErrInvalidContent.Wrap(err)
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, ErrInvalidContent.Wrap(fmt.Errorf("wallet send calls: %w", err))
	}
	fallback := fmt.Sprintf("A request to make %d wallet calls on chain %s, which this app cannot show", len(w.Calls), w.ChainID)
	return newEncoded(TypeWalletSendCalls, nil, fallback, body), nil
}

func decodeWalletSendCalls(ec *mlscontents.EncodedContent) (Content, error) {
	var w WalletSendCalls
	if err := json.Unmarshal(ec.Content, &w); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("wallet send calls: %w", err))
	}
	if err := w.check(); err != nil {
		return nil, ErrMalformed.Wrap(err)
	}
	return w, nil
}
