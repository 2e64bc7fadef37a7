//go:build js && wasm

package main

import (
	"context"
	"fmt"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	"github.com/goxmtp/goxmtp/wasm/transport"
)

// Looking up inboxes needs no client: Client.create names the database of the wallet's
// inbox before it has one, and the static Client.canMessage asks for apps that have none.

// inboxIDsOf asks the node which inbox each wallet address (checked, any case) belongs to;
// addresses without one are absent from the answer, which is keyed by the address as given.
func inboxIDsOf(ctx context.Context, a api.API, addresses []string) (map[string]string, error) {
	req := &identityv1.GetInboxIdsRequest{}
	asked := map[string][]string{} // normalized → as given
	for _, addr := range addresses {
		norm, err := identity.NormalizeAddress(addr)
		if err != nil {
			return nil, badArgument("identifier %q: %w", addr, err)
		}
		if asked[norm] == nil {
			req.Requests = append(req.Requests, &identityv1.GetInboxIdsRequest_Request{
				Identifier: norm, IdentifierKind: associations.IdentifierKind_IDENTIFIER_KIND_ETHEREUM,
			})
		}
		asked[norm] = append(asked[norm], addr)
	}
	resp, err := a.GetInboxIds(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("look up inbox ids: %w", err)
	}
	out := map[string]string{}
	for _, r := range resp.GetResponses() {
		if r.GetInboxId() == "" {
			continue
		}
		for _, addr := range asked[r.GetIdentifier()] {
			out[addr] = r.GetInboxId()
		}
	}
	return out, nil
}

// staticCanMessage is the module's canMessage(apiUrl, identifiers): Client.canMessage.
func staticCanMessage(ctx context.Context, args []js.Value) (any, error) {
	apiURL, err := stringArg(args, 0, "apiUrl")
	if err != nil {
		return nil, err
	}
	addresses, err := arrayArg(args, 1, "identifiers", ethereumAddress)
	if err != nil {
		return nil, err
	}
	found, err := inboxIDsOf(ctx, transport.New(apiURL, transport.Config{}), addresses)
	if err != nil {
		return nil, err
	}
	out := object{}
	for _, a := range addresses {
		_, out[a] = found[a]
	}
	return out, nil
}

// staticFetchInboxStates is the module's fetchInboxStates(apiUrl, inboxIds): the static
// Client.fetchInboxStates.
func staticFetchInboxStates(ctx context.Context, args []js.Value) (any, error) {
	apiURL, err := stringArg(args, 0, "apiUrl")
	if err != nil {
		return nil, err
	}
	ids, err := arrayArg(args, 1, "inboxIds", stringValue)
	if err != nil {
		return nil, err
	}
	states, err := core.FetchInboxStates(ctx, transport.New(apiURL, transport.Config{}), identity.Validator{}, ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(states))
	for i, st := range states {
		out[i] = inboxState(st)
	}
	return out, nil
}

// staticRevokeInstallations is the module's revokeInstallations(apiUrl, identifier,
// signMessage, inboxId, installationIds): the static Client.revokeInstallations, signed by
// the inbox's recovery wallet, for a user who cannot make a client (the installation limit).
func staticRevokeInstallations(ctx context.Context, args []js.Value) (any, error) {
	apiURL, err := stringArg(args, 0, "apiUrl")
	if err != nil {
		return nil, err
	}
	recovery, err := walletSigner(arg(args, 1), arg(args, 2))
	if err != nil {
		return nil, err
	}
	inboxID, err := stringArg(args, 3, "inboxId")
	if err != nil {
		return nil, err
	}
	ids, err := arrayArg(args, 4, "installationIds", bytesValue)
	if err != nil {
		return nil, err
	}
	return nil, core.RevokeInstallationsOf(ctx, transport.New(apiURL, transport.Config{}), inboxID, recovery, ids)
}

// generateInboxID is the module's generateInboxId(identifier, nonce?): the inbox id a wallet
// gets (or got) with that nonce (default 1), computed locally, as browser-sdk's function.
func generateInboxID(_ context.Context, args []js.Value) (any, error) {
	address, err := ethereumAddress(arg(args, 0), "identifier")
	if err != nil {
		return nil, err
	}
	norm, err := identity.NormalizeAddress(address)
	if err != nil {
		return nil, badArgument("identifier: %w", err)
	}
	nonce := uint64(core.DefaultInboxNonce)
	if n := arg(args, 1); typeOf(n) != js.TypeUndefined {
		v, err := int64Value(n, "nonce")
		if err != nil || v < 0 {
			return nil, badArgument("nonce must be a non-negative bigint")
		}
		nonce = uint64(v)
	}
	return identity.InboxID(identity.EthereumMember(norm), nonce)
}
