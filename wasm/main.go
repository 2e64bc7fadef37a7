//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/goxmtp/goxmtp"
	"github.com/goxmtp/goxmtp/mls"
)

// main installs the module's API object as globalThis.__goxmtp and tells the host it is
// ready by calling globalThis.__goxmtpReady, then parks: the Go runtime must stay alive for
// the JS callbacks it exported.
func main() {
	api := newObject()
	api.Set("version", asyncFunc(func(args []js.Value) (any, error) {
		suite := mls.CipherSuiteX25519ChaCha20
		return map[string]any{
			"version":       goxmtp.Version,
			"ciphersuite":   suite.String(),
			"ciphersuiteId": int(suite),
		}, nil
	}))
	js.Global().Set("__goxmtp", api)
	if ready := js.Global().Get("__goxmtpReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(api)
	}
	select {}
}
