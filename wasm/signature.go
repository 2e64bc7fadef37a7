//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core"
	"github.com/goxmtp/goxmtp/core/identity"
)

// signatureMethods are the client's signatures with its installation key, for the app's own
// purposes (a login to its server): browser-sdk's signWithInstallationKey and the two checks,
// which answer false for any signature that does not verify, as browser-sdk's do.
func signatureMethods(c *core.Client) map[string]method {
	verify := func(args []js.Value, key func() ([]byte, error)) (any, error) {
		text, err := stringArg(args, 0, "signatureText")
		if err != nil {
			return nil, err
		}
		sig, err := bytesValue(arg(args, 1), "signatureBytes")
		if err != nil {
			return nil, err
		}
		pub, err := key()
		if err != nil {
			return nil, err
		}
		return identity.VerifyPublicSignature(text, sig, pub) == nil, nil
	}
	return map[string]method{
		"signWithInstallationKey": func(_ context.Context, args []js.Value) (any, error) {
			text, err := stringArg(args, 0, "signatureText")
			if err != nil {
				return nil, err
			}
			return c.SignWithInstallationKey(text)
		},
		"verifySignedWithInstallationKey": func(_ context.Context, args []js.Value) (any, error) {
			return verify(args, func() ([]byte, error) { return c.InstallationID(), nil })
		},
		"verifySignedWithPublicKey": func(_ context.Context, args []js.Value) (any, error) {
			return verify(args, func() ([]byte, error) { return bytesValue(arg(args, 2), "publicKey") })
		},
	}
}
