//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/errs"
	"github.com/goxmtp/goxmtp/core/identity"
)

// identifierKindEthereum is browser-sdk's IdentifierKind.Ethereum (xmtp-protocol.md §7.4).
const identifierKindEthereum = 0

var (
	// errSignerFailed is a signer that threw, rejected or returned no signature.
	errSignerFailed = errs.New("signer.failed", "goxmtp: the signer did not sign")
	// errSignerUnsupported is an identifier kind goxmtp cannot sign for yet.
	errSignerUnsupported = errs.New("signer.unsupported", "goxmtp: only Ethereum (EOA) signers are supported")
)

// walletSigner is the app's signer as core sees it: identifier names the wallet, and sign
// is a JS function (text) => Promise<Uint8Array> that reaches the app's signMessage. In a
// worker that function posts to the page, where the wallet lives, and waits for its answer.
func walletSigner(identifier, sign js.Value) (identity.Signer, error) {
	address, kind, err := identifierValue(identifier, "identifier")
	if err != nil {
		return nil, err
	}
	if kind != identifierKindEthereum {
		return nil, errSignerUnsupported
	}
	if typeOf(sign) != js.TypeFunction {
		return nil, badArgument("signMessage must be a function")
	}
	s, err := identity.NewEOASigner(address, func(ctx context.Context, text string) ([]byte, error) {
		p, err := invoke(sign, text)
		if err != nil {
			return nil, errSignerFailed.Wrap(err)
		}
		v, err := await(ctx, p)
		if errs.Code(err) != "" {
			return nil, err // a goxmtp error made on the page keeps its code
		}
		if err != nil {
			return nil, errSignerFailed.Wrap(err)
		}
		sig, err := bytesValue(v, "signature")
		if err != nil {
			return nil, errSignerFailed.Wrap(err)
		}
		return sig, nil
	})
	if err != nil {
		return nil, badArgument("identifier: %w", err)
	}
	return s, nil
}

// identifierValue reads browser-sdk's Identifier {identifier, identifierKind}.
func identifierValue(v js.Value, name string) (string, int, error) {
	if typeOf(v) != js.TypeObject {
		return "", 0, badArgument("%s must be an Identifier object", name)
	}
	id, err := stringValue(v.Get("identifier"), name+".identifier")
	if err != nil {
		return "", 0, err
	}
	kind := v.Get("identifierKind")
	if typeOf(kind) != js.TypeNumber {
		return "", 0, badArgument("%s.identifierKind must be an IdentifierKind number", name)
	}
	return id, kind.Int(), nil
}

// ethereumAddress reads an Identifier that must name a well-formed Ethereum address, and
// returns the address as given (answers are keyed by what the app passed).
func ethereumAddress(v js.Value, name string) (string, error) {
	id, kind, err := identifierValue(v, name)
	if err != nil {
		return "", err
	}
	if kind != identifierKindEthereum {
		return "", badArgument("%s: only IdentifierKind.Ethereum is supported", name)
	}
	if _, err := identity.NormalizeAddress(id); err != nil {
		return "", badArgument("%s %q: %w", name, id, err)
	}
	return id, nil
}
