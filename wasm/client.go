//go:build js && wasm

package main

import (
	"context"
	"encoding/hex"
	"maps"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/idbstore"
	"github.com/goxmtp/goxmtp/wasm/transport"
)

// createClient is the module's createClient(identifier, signMessage, options, onEvent): it
// opens the store, then loads the wallet's installation from it or registers a new one, and
// resolves with the client's handle and the properties JS shows synchronously.
func createClient(ctx context.Context, args []js.Value) (any, error) {
	signer, err := walletSigner(arg(args, 0), arg(args, 1))
	if err != nil {
		return nil, err
	}
	opts, err := objectArg(args, 2, "options")
	if err != nil {
		return nil, err
	}
	onEvent := arg(args, 3)
	if typeOf(onEvent) != js.TypeFunction && typeOf(onEvent) != js.TypeUndefined {
		return nil, badArgument("onEvent must be a function")
	}
	env, err := optionalString(opts, "env")
	if err != nil {
		return nil, err
	}
	apiURL, err := stringValue(opts.Get("apiUrl"), "apiUrl")
	if err != nil {
		return nil, err
	}
	appVersion, err := optionalString(opts, "appVersion")
	if err != nil {
		return nil, err
	}
	so, err := readStoreOptions(opts)
	if err != nil {
		return nil, err
	}
	// _curve25519Welcomes is core.Options.Curve25519Welcomes, left out of the typings: the
	// interop tests use it to keep libxmtp's Curve25519 wrapping for goxmtp tested.
	curve := opts.Get("_curve25519Welcomes")
	if t := typeOf(curve); t != js.TypeUndefined && t != js.TypeBoolean {
		return nil, badArgument("_curve25519Welcomes must be a boolean")
	}

	node := transport.New(apiURL, transport.Config{AppVersion: appVersion})
	st, err := openStore(ctx, node, env, signer.Member(), so)
	if err != nil {
		return nil, err
	}
	c, err := core.Create(ctx, signer, core.Options{API: node, Store: st, Curve25519Welcomes: typeOf(curve) == js.TypeBoolean && curve.Bool()})
	if err != nil {
		st.Close()
		return nil, err
	}
	methods := clientMethods(c, signer)
	maps.Copy(methods, conversationsMethods(c))
	maps.Copy(methods, groupMethods(c))
	maps.Copy(methods, streamMethods(c))
	maps.Copy(methods, consentMethods(c))
	maps.Copy(methods, consentStreamMethods(c))
	maps.Copy(methods, signatureMethods(c))
	maps.Copy(methods, signatureRequestMethods(c))
	maps.Copy(methods, retryMethods(c))
	h, err := open(root, methods, func() {
		c.Close()
		st.Close()
	})
	if err != nil {
		return nil, err
	}
	if owned, ok := st.(*idbstore.Store); ok && typeOf(onEvent) == js.TypeFunction {
		go func() {
			select {
			case <-owned.OwnershipLost():
				invoke(onEvent, toJS(object{"type": "ownershipLost"}))
			case <-h.ctx.Done():
			}
		}()
	}
	id := c.InstallationID()
	return h.ref(object{
		"inboxId":             c.InboxID(),
		"installationId":      hex.EncodeToString(id),
		"installationIdBytes": id,
		"isRegistered":        c.IsRegistered(),
	}), nil
}

// clientMethods are the methods of a client handle; signer is the wallet that created it,
// which also signs revocations, as in browser-sdk.
func clientMethods(c *core.Client, signer identity.Signer) map[string]method {
	return map[string]method{
		"isRegistered": func(context.Context, []js.Value) (any, error) {
			return c.IsRegistered(), nil
		},
		"canMessage": func(ctx context.Context, args []js.Value) (any, error) {
			addresses, err := arrayArg(args, 0, "identifiers", ethereumAddress)
			if err != nil {
				return nil, err
			}
			found, err := c.CanMessage(ctx, addresses)
			if err != nil {
				return nil, err
			}
			out := object{}
			for a, ok := range found {
				out[a] = ok
			}
			return out, nil
		},
		"fetchInboxIdByIdentifier": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			id, ok, err := c.InboxIDFor(ctx, address)
			if err != nil || !ok {
				return nil, err
			}
			return id, nil
		},
		"inboxStates": func(ctx context.Context, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, "inboxIds", stringValue)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(ids))
			for i, id := range ids {
				st, err := c.InboxState(ctx, id)
				if err != nil {
					return nil, err
				}
				out[i] = inboxState(st)
			}
			return out, nil
		},
		"revokeInstallations": func(ctx context.Context, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, "installationIds", bytesValue)
			if err != nil {
				return nil, err
			}
			return nil, c.RevokeInstallations(ctx, signer, ids)
		},
		"revokeAllOtherInstallations": func(ctx context.Context, _ []js.Value) (any, error) {
			return nil, c.RevokeAllOtherInstallations(ctx, signer)
		},
		"removeAccount": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			return nil, c.RemoveAccount(ctx, signer, address)
		},
		"changeRecoveryIdentifier": func(ctx context.Context, args []js.Value) (any, error) {
			address, err := ethereumAddress(arg(args, 0), "identifier")
			if err != nil {
				return nil, err
			}
			return nil, c.ChangeRecoveryIdentifier(ctx, signer, address)
		},
		// addAccount(identifier, signMessage, allowInboxReassign): the new wallet's signer.
		"addAccount": func(ctx context.Context, args []js.Value) (any, error) {
			wallet, err := walletSigner(arg(args, 0), arg(args, 1))
			if err != nil {
				return nil, err
			}
			reassign := arg(args, 2)
			if typeOf(reassign) != js.TypeBoolean {
				return nil, badArgument("allowInboxReassign must be a boolean")
			}
			return nil, c.AddAccount(ctx, wallet, reassign.Bool())
		},
		"fetchKeyPackageStatuses": func(ctx context.Context, args []js.Value) (any, error) {
			ids, err := arrayArg(args, 0, "installationIds", hexValue)
			if err != nil {
				return nil, err
			}
			statuses, err := c.KeyPackageStatuses(ctx, ids)
			if err != nil {
				return nil, err
			}
			out := object{}
			for id, st := range statuses {
				status := object{}
				if st.NotBefore != 0 || st.NotAfter != 0 {
					status["lifetime"] = object{"notBefore": bigInt(st.NotBefore), "notAfter": bigInt(st.NotAfter)}
				}
				if st.ValidationError != "" {
					status["validationError"] = st.ValidationError
				}
				out[id] = status
			}
			return out, nil
		},
		"fetchLatestInboxUpdatesCount": func(ctx context.Context, args []js.Value) (any, error) {
			return inboxUpdateCounts(ctx, args, 0, c.InboxUpdateCounts)
		},
	}
}

// inboxUpdateCounts reads the inbox ids at args[i] and answers how many identity updates
// each has, by count: browser-sdk's fetchLatestInboxUpdatesCount.
func inboxUpdateCounts(ctx context.Context, args []js.Value, i int, count func(context.Context, []string) (map[string]int, error)) (any, error) {
	ids, err := arrayArg(args, i, "inboxIds", stringValue)
	if err != nil {
		return nil, err
	}
	counts, err := count(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := object{}
	for id, n := range counts {
		out[id] = n
	}
	return out, nil
}

// staticInboxUpdatesCount is the module's inboxUpdatesCount(apiUrl, inboxIds): the static
// Client.fetchLatestInboxUpdatesCount.
func staticInboxUpdatesCount(ctx context.Context, args []js.Value) (any, error) {
	apiURL, err := stringArg(args, 0, "apiUrl")
	if err != nil {
		return nil, err
	}
	node := transport.New(apiURL, transport.Config{})
	return inboxUpdateCounts(ctx, args, 1, func(ctx context.Context, ids []string) (map[string]int, error) {
		return core.InboxUpdateCounts(ctx, node, ids)
	})
}

// inboxState is browser-sdk's InboxState: the inbox's wallets, installations and recovery
// identifier.
func inboxState(st *identity.State) object {
	var identifiers, installations []any
	for _, m := range st.Members() {
		switch m.ID.Kind {
		case identity.KindInstallation:
			inst := object{"id": hex.EncodeToString(m.ID.PublicKey()), "bytes": m.ID.PublicKey()}
			if m.ClientTimestampNs != nil {
				inst["clientTimestampNs"] = bigInt(*m.ClientTimestampNs)
			}
			installations = append(installations, inst)
		default:
			identifiers = append(identifiers, identifierObject(m.ID))
		}
	}
	return object{
		"inboxId":            st.InboxID(),
		"recoveryIdentifier": identifierObject(st.RecoveryIdentifier()),
		"accountIdentifiers": orEmpty(identifiers),
		"installations":      orEmpty(installations),
	}
}

// identifierObject is browser-sdk's Identifier of a wallet or passkey member.
func identifierObject(m identity.MemberID) object {
	if m.Kind == identity.KindPasskey {
		return object{"identifier": hex.EncodeToString(m.PublicKey()), "identifierKind": 1}
	}
	return object{"identifier": m.Address(), "identifierKind": identifierKindEthereum}
}

// orEmpty makes a nil list an empty JS array rather than undefined.
func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}
