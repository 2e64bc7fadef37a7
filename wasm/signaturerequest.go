//go:build js && wasm

package main

import (
	"context"
	"crypto/rand"
	"sync"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/errs"
	"github.com/goxmtp/goxmtp/core/identity"
)

// errNoSignatureRequest is a request id this client never gave, or one applied already.
var errNoSignatureRequest = errs.New("identity.no_signature_request", "goxmtp: no such signature request")

// signatureRequestMethods are browser-sdk's unsafe_*SignatureText and
// unsafe_applySignatureRequest: each text method opens a request the client keeps by a
// random id until it is applied (or the client closes).
func signatureRequestMethods(c *core.Client) map[string]method {
	var mu sync.Mutex
	requests := map[string]*core.SignatureRequest{}
	keep := func(r *core.SignatureRequest, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		id := rand.Text()
		mu.Lock()
		requests[id] = r
		mu.Unlock()
		return object{"signatureText": r.Text(), "signatureRequestId": id}, nil
	}
	withAddress := func(open func(context.Context, string) (*core.SignatureRequest, error)) method {
		return func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			return keep(open(ctx, address))
		}
	}
	return map[string]method{
		"unsafe_revokeInstallationsSignatureText": func(ctx context.Context, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, "installationIds", bytesValue)
			if err != nil {
				return nil, err
			}
			return keep(c.RevokeInstallationsRequest(ctx, ids))
		},
		"unsafe_revokeAllOtherInstallationsSignatureText": func(ctx context.Context, _ []js.Value) (any, error) {
			return keep(c.RevokeAllOtherInstallationsRequest(ctx))
		},
		"unsafe_removeAccountSignatureText":            withAddress(c.RemoveAccountRequest),
		"unsafe_changeRecoveryIdentifierSignatureText": withAddress(c.ChangeRecoveryIdentifierRequest),
		"unsafe_addAccountSignatureText": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "newIdentifier")
			if err != nil {
				return nil, err
			}
			reassign := arg(args, 1)
			if typeOf(reassign) != js.TypeBoolean {
				return nil, badArgument("allowInboxReassign must be a boolean")
			}
			return keep(c.AddAccountRequest(ctx, address, reassign.Bool()))
		},
		// unsafe_applySignatureRequest(safeSigner {type, identifier, signature}, requestId).
		"unsafe_applySignatureRequest": func(ctx context.Context, args []js.Value) (any, error) {
			signer := arg(args, 0)
			if typeOf(signer) != js.TypeObject {
				return nil, badArgument("signer must be a SafeSigner {type, identifier, signature}")
			}
			if t := signer.Get("type"); typeOf(t) != js.TypeString || t.String() != "EOA" {
				return nil, errSignerUnsupported
			}
			address, err := ethereumAddress(signer.Get("identifier"), "signer.identifier")
			if err != nil {
				return nil, err
			}
			norm, err := identity.NormalizeAddress(address)
			if err != nil {
				return nil, badArgument("signer.identifier: %w", err)
			}
			sig, err := bytesValue(signer.Get("signature"), "signer.signature")
			if err != nil {
				return nil, err
			}
			id, err := stringArg(args, 1, "signatureRequestId")
			if err != nil {
				return nil, err
			}
			mu.Lock()
			r, ok := requests[id]
			mu.Unlock()
			if !ok {
				return nil, errNoSignatureRequest
			}
			if err := r.Apply(ctx, identity.EthereumMember(norm), sig); err != nil {
				return nil, err
			}
			mu.Lock()
			delete(requests, id)
			mu.Unlock()
			return nil, nil
		},
	}
}
