//go:build !cgo || gofuzz

package identity

import "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

// recoverPublicKey returns the 65-byte uncompressed key that made sig (R||S||V, V in {0,1})
// over hash, in pure Go (js/wasm, or builds without cgo), with decred's secp256k1 as
// go-ethereum does without cgo.
func recoverPublicKey(hash, sig []byte) ([]byte, error) {
	compact := make([]byte, 65)
	compact[0] = 27 + sig[64] // decred's compact form: header byte first, uncompressed key
	copy(compact[1:], sig[:64])
	pub, _, err := ecdsa.RecoverCompact(compact, hash)
	if err != nil {
		return nil, err
	}
	return pub.SerializeUncompressed(), nil
}
