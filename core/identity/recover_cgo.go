//go:build cgo && !gofuzz

package identity

import "github.com/ethereum/go-ethereum/crypto/secp256k1"

// recoverPublicKey returns the 65-byte uncompressed key that made sig (R||S||V, V in {0,1})
// over hash. With cgo (the native node and SDK) it runs libsecp256k1 through go-ethereum's
// binding, which recovers two to four times as fast as this package's pure-Go secp256k1
// (BenchmarkSecp256k1Recover). This is the only go-ethereum import; the wasm never links it.
func recoverPublicKey(hash, sig []byte) ([]byte, error) {
	return secp256k1.RecoverPubkey(hash, sig)
}
