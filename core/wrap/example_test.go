package wrap_test

import (
	"fmt"

	"github.com/goxmtp/goxmtp/core/wrap"
)

// A key package advertises an X-Wing public key in extension 0xff03 and keeps the seed; a
// sender seals the Welcome and its metadata to that key, and the recipient opens them.
func ExampleSeal() {
	recipient, err := wrap.GenerateXWingKey()
	if err != nil {
		panic(err)
	}
	data, metadataCT, err := wrap.Seal(wrap.XWing, recipient.PublicKey().Bytes(), []byte("welcome"), []byte("metadata"))
	if err != nil {
		panic(err)
	}
	welcome, metadata, err := wrap.Open(wrap.XWing, recipient.Bytes(), data, metadataCT)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %s, %d-byte kem output\n", welcome, metadata, wrap.XWingCiphertextSize)
	// Output: welcome metadata, 1120-byte kem output
}
