package core

import (
	"crypto/rand"
	"io"
	"time"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/store"
)

// DefaultInboxNonce is the nonce a new inbox id is derived with when the wallet has none yet:
// 1, as XMTP's JS SDKs use it, so the same wallet gets the same inbox in goxmtp and libxmtp.
const DefaultInboxNonce = 1

// MaxInstallations is how many installations an inbox may have before registering another
// one is refused, libxmtp's client-side limit (the network accepts more).
const MaxInstallations = 10

// Options configures a Client. API and Store are required.
type Options struct {
	// API reaches the XMTP node: core/connectapi natively, the fetch transport in browsers.
	API api.API
	// Store keeps the client's state: core/memstore, core/sqlitestore, or idbstore.
	Store store.Store
	// Nonce derives the inbox id of a wallet that has no inbox yet; zero means
	// DefaultInboxNonce.
	Nonce uint64
	// Now is the clock (time.Now when nil); tests inject a fixed one.
	Now func() time.Time
	// Rand is the source of MLS-level secrets (crypto/rand when nil).
	Rand io.Reader
	// Identity verifies identity updates; its zero value refuses smart-contract wallets.
	Identity identity.Validator
	// Curve25519Welcomes makes this installation's key packages advertise neither an X-Wing
	// key (0xff03) nor welcome pointers (0xff04), as goxmtp's did before it opened them, so
	// peers wrap its welcomes with Curve25519 to the init key. It exists to keep that path
	// tested against libxmtp; apps leave it off.
	Curve25519Welcomes bool
}

func (o Options) withDefaults() Options {
	if o.Nonce == 0 {
		o.Nonce = DefaultInboxNonce
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	return o
}
