package connectapi

import (
	"fmt"
	"testing"

	"github.com/goxmtp/goxmtp/core/api/apitest"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// benchProtocols runs bench once per protocol with a client of an in-process node that limits
// no rate, and a new group id.
func benchProtocols(b *testing.B, bench func(b *testing.B, c *Client, g []byte)) {
	n := nodetest.Start(b, node.Config{RateLimit: node.RateLimit{ReadsPerSecond: -1, WritesPerSecond: -1}})
	for _, pr := range protocols {
		b.Run(pr.name, func(b *testing.B) { bench(b, New(n.URL(), pr.cfg), apitest.NewID()) })
	}
}

// BenchmarkUnary times one QueryGroupMessages round trip to an in-process node per protocol.
func BenchmarkUnary(b *testing.B) {
	benchProtocols(b, func(b *testing.B, c *Client, g []byte) {
		apitest.Send(b, c, g, "one")
		req := &mlsv1.QueryGroupMessagesRequest{GroupId: g}
		for b.Loop() {
			if _, err := c.QueryGroupMessages(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSendToReceive times a message from SendGroupMessages until a subscription of the
// same client delivers it, per protocol.
func BenchmarkSendToReceive(b *testing.B) {
	benchProtocols(b, func(b *testing.B, c *Client, g []byte) {
		st := apitest.SubscribeGroup(b, c, g)
		i := 0
		for b.Loop() {
			apitest.Send(b, c, g, fmt.Sprint(i))
			if _, err := st.Recv(); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
