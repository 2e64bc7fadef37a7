package node

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
)

// countingBody counts the bytes of a response body as they are read off the wire.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	k, err := b.ReadCloser.Read(p)
	b.n.Add(int64(k))
	return k, err
}

type countingTransport struct {
	http.RoundTripper
	n atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.RoundTripper.RoundTrip(r)
	if err == nil {
		resp.Body = countingBody{resp.Body, &t.n}
	}
	return resp, err
}

// TestResponsesAreNotCompressed checks that the node answers uncompressed even a client that
// accepts gzip (as connect-go clients do), and still takes gzip-compressed requests.
func TestResponsesAreNotCompressed(t *testing.T) {
	tn := startNode(t, Config{})
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			hc := httpClient(p.h2c)
			wire := &countingTransport{RoundTripper: hc.Transport}
			hc.Transport = wire
			t.Cleanup(hc.CloseIdleConnections)
			c := mlsv1connect.NewMlsApiClient(hc, tn.url, p.option, connect.WithSendGzip())
			ctx := context.Background()
			groupID := randomBytes(t, 16)
			body := make([]byte, 64<<10) // zeros: as compressible as it gets
			req := &mlsv1.SendGroupMessagesRequest{Messages: []*mlsv1.GroupMessageInput{groupInput(privateMessage(groupID, mls.ContentTypeApplication, body))}}
			if _, err := c.SendGroupMessages(ctx, connect.NewRequest(req)); err != nil {
				t.Fatalf("gzip request: %v", err)
			}
			wire.n.Store(0)
			resp, err := c.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(resp.Msg.GetMessages()); n != 1 {
				t.Fatalf("%d messages, want 1", n)
			}
			if got := wire.n.Load(); got < int64(len(body)) {
				t.Errorf("response of %d bytes on the wire for a %d-byte message: compressed", got, len(body))
			}
		})
	}
}
