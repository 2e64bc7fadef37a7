package identity_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/core/identity"
)

// A new user registers: their wallet creates the inbox and adds this device's installation
// in one update, which the node validates before storing it.
func ExampleRegister() {
	ctx := context.Background()
	wallet, err := identity.NewLocalWallet()
	if err != nil {
		panic(err)
	}
	device, err := identity.NewInstallationKey()
	if err != nil {
		panic(err)
	}
	update, inboxID, err := identity.Register(ctx, wallet, identity.DefaultNonce, device, uint64(time.Now().UnixNano()))
	if err != nil {
		panic(err)
	}
	state, err := identity.Validator{}.Apply(ctx, nil, update)
	if err != nil {
		panic(err)
	}
	credential, err := identity.NewCredential(inboxID)
	if err != nil {
		panic(err)
	}
	owner, _ := identity.CredentialInboxID(credential)
	fmt.Println(state.InboxID() == inboxID, owner == inboxID, len(state.Installations()))
	// Output: true true 1
}
