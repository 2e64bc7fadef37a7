package content_test

import (
	"fmt"
	"time"

	"github.com/goxmtp/goxmtp/core/content"
)

// Sending a text: encode it, wrap it in an envelope (the MLS plaintext), and derive the id
// under which sender and receivers store it.
func Example() {
	ec, _ := content.Encode(content.Text("gm"))
	body, _ := content.Marshal(ec)
	env := content.NewEnvelope(body, time.Unix(0, 1700000000000000000))
	plaintext, _ := content.EncodeEnvelope(env)

	// A receiver decrypts plaintext, then:
	got, _ := content.DecodeEnvelope(plaintext)
	id := content.MessageID([]byte{0x01}, got.IdempotencyKey, got.Payload)
	received, _ := content.Unmarshal(got.Payload)
	c, _ := content.Decode(received)
	fmt.Printf("%T %q push=%v id=%x…\n", c, c, content.ShouldPush(c.Type()), id[:4])
	// Output: content.Text "gm" push=true id=35decebe…
}
