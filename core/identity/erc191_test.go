package identity

import (
	"errors"
	"math/big"
	"testing"
)

func TestERC191RecoversSigner(t *testing.T) {
	w := newWallet(t)
	sig := w.SignText("hello")
	if v := sig[64]; v != 27 && v != 28 {
		t.Fatalf("V = %d, wallets use 27/28", v)
	}
	for _, v := range []byte{sig[64], sig[64] - 27, sig[64] + 8} { // 27/28, 0/1, EIP-155 35/36
		s := append(append([]byte(nil), sig[:64]...), v)
		got, raw, err := recoverERC191("hello", s)
		if err != nil || got != w.Address() {
			t.Fatalf("V %d: recovered %s, %v; want %s", v, got, err, w.Address())
		}
		if string(raw) != string(s) {
			t.Fatalf("V %d: a low-S signature changed when normalised", v)
		}
	}
	if got, _, _ := recoverERC191("other text", sig); got == w.Address() {
		t.Fatal("signature over another text recovered the signer")
	}
}

// TestERC191HighS pins libxmtp's normalisation: S is lowered and V kept.
func TestERC191HighS(t *testing.T) {
	w := newWallet(t)
	sig := w.SignText("hello")
	high := append([]byte(nil), sig...)
	new(big.Int).Sub(secp256k1N, new(big.Int).SetBytes(sig[32:64])).FillBytes(high[32:64])
	got, raw, err := recoverERC191("hello", high)
	if err != nil || got != w.Address() || string(raw) != string(sig) {
		t.Fatalf("(R, N-S, V) recovered %s, %v, raw equal %v; want the signer and the low-S bytes", got, err, string(raw) == string(sig))
	}
	twin := append([]byte(nil), high...)
	twin[64] ^= 1
	if got, _, err := recoverERC191("hello", twin); err == nil && got == w.Address() {
		t.Fatal("malleated twin (R, N-S, V^1) recovered the signer; libxmtp refuses it")
	}
}

func TestERC191Malformed(t *testing.T) {
	w := newWallet(t)
	sig := w.SignText("hello")
	zeroR := append(make([]byte, 32), sig[32:]...)
	badV := append(append([]byte(nil), sig[:64]...), 2)
	nOverflow := append(append(secp256k1N.FillBytes(make([]byte, 32)), sig[32:64]...), sig[64])
	for name, s := range map[string][]byte{"short": sig[:64], "long": append(sig, 0), "zero r": zeroR, "v 2": badV, "r = n": nOverflow} {
		if _, _, err := recoverERC191("hello", s); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: error %v, want ErrInvalidSignature", name, err)
		}
	}
}

func TestLocalWalletRoundTrip(t *testing.T) {
	w := newWallet(t)
	again, err := LocalWalletFromKey(w.PrivateKey())
	if err != nil || again.Address() != w.Address() {
		t.Fatalf("restored wallet %s, %v; want %s", again.Address(), err, w.Address())
	}
	for name, key := range map[string][]byte{"31 bytes": make([]byte, 31), "zero": make([]byte, 32), "order": secp256k1N.FillBytes(make([]byte, 32))} {
		if _, err := LocalWalletFromKey(key); !errors.Is(err, ErrInvalidPrivateKey) {
			t.Errorf("%s key: %v", name, err)
		}
	}
}

// TestKnownWallet pins address derivation and EIP-191 hashing against a well-known key (the
// first Hardhat/Anvil account).
func TestKnownWallet(t *testing.T) {
	key, _ := new(big.Int).SetString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16)
	w, err := LocalWalletFromKey(key.FillBytes(make([]byte, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Address(), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"; got != want {
		t.Fatalf("address %s, want %s", got, want)
	}
	// keccak256("\x19Ethereum Signed Message:\n11hello world"), as ethers' hashMessage gives it.
	if got, want := new(big.Int).SetBytes(eip191Hash("hello world")).Text(16), "d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68"; got != want {
		t.Fatalf("eip191 hash %s, want %s", got, want)
	}
}
