//go:build js && wasm

package main

import (
	"context"
	"syscall/js"

	"github.com/goxmtp/goxmtp"
	"github.com/goxmtp/goxmtp/mls"
)

// root is handle 0, the module itself: what JS can call before it holds any other handle.
var root *handle

// main installs the module's API as globalThis.__goxmtp = {call, close}, tells the host it
// is ready through globalThis.__goxmtpReady, then parks: the Go runtime must stay alive for
// the JS functions it exported.
func main() {
	root, _ = open(nil, map[string]method{
		"version":             version,
		"createClient":        createClient,
		"canMessage":          staticCanMessage,
		"inboxUpdatesCount":   staticInboxUpdatesCount,
		"fetchInboxStates":    staticFetchInboxStates,
		"revokeInstallations": staticRevokeInstallations,
		"generateInboxId":     generateInboxID,
		"metadataFieldName":   metadataFieldName,
		"encodeContent":       encodeContent,
		"encryptAttachment":   encryptAttachment,
		"decryptAttachment":   decryptAttachment,
		"localWallet":         localWallet,
		"localWalletSign":     localWalletSign,
	}, nil)
	api := js.Global().Get("Object").New()
	api.Set("call", js.FuncOf(dispatcher))
	api.Set("close", js.FuncOf(closer))
	js.Global().Set("__goxmtp", api)
	if ready := js.Global().Get("__goxmtpReady"); ready.Type() == js.TypeFunction {
		ready.Invoke(api)
	}
	select {}
}

// version reports the library version and the MLS ciphersuite goxmtp speaks.
func version(context.Context, []js.Value) (any, error) {
	suite := mls.CipherSuiteX25519ChaCha20
	return object{
		"version":       goxmtp.Version,
		"ciphersuite":   suite.String(),
		"ciphersuiteId": int(suite),
	}, nil
}
