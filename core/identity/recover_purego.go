//go:build !cgo || gofuzz

package identity

// recoverPublicKey returns the 65-byte uncompressed key that made sig (R||S||V, V in {0,1})
// over hash. Without cgo (js/wasm, CGO_ENABLED=0, fuzzing) it is this package's own
// secp256k1, so the browser module links neither decred nor go-ethereum.
func recoverPublicKey(hash, sig []byte) ([]byte, error) { return recoverSecp256k1(hash, sig) }
