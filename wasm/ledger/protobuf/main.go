//go:build js && wasm

// Command protobuf measures the protobuf-go runtime: marshal and unmarshal of one message.
package main

import (
	"syscall/js"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

func main() {
	js.Global().Set("probe", js.FuncOf(func(this js.Value, args []js.Value) any {
		in := &associations.IdentityUpdate{InboxId: args[0].String()}
		b, _ := proto.Marshal(in)
		var out associations.IdentityUpdate
		_ = proto.Unmarshal(b, &out)
		return out.GetInboxId()
	}))
	select {}
}
