package connectapi

import (
	"context"
	"net"
	"net/http"
	"testing"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
	"github.com/goxmtp/goxmtp/core/api/apitest"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	"github.com/goxmtp/goxmtp/proto/mls/api/v1/mlsv1connect"
)

// TestMultiplexedTakesTopicsInPlace adds a group to an open Subscribe session: its history
// and live messages arrive on the same stream.
func TestMultiplexedTakesTopicsInPlace(t *testing.T) {
	n := nodetest.Start(t, node.Config{})
	c := New(n.URL(), Config{})
	a, b := apitest.NewID(), apitest.NewID()
	st := apitest.SubscribeGroup(t, c, a)
	m, ok := st.(api.Mutable)
	if !ok {
		t.Fatalf("a gRPC subscription is a %T, not Mutable", st)
	}
	apitest.Send(t, c, b, "before b was added")
	if err := m.Add([]api.Filter{{Key: b}}); err != nil {
		t.Fatal(err)
	}
	apitest.Send(t, c, b, "after")
	apitest.Send(t, c, a, "a too")
	// Topics are independent: only each one's own order is promised.
	got := map[string][]uint64{}
	for range 3 {
		msg, err := st.Recv()
		if err != nil {
			t.Fatal(err)
		}
		k := string(msg.GetV1().GetGroupId())
		got[k] = append(got[k], msg.GetV1().GetId())
	}
	if ids := got[string(b)]; len(ids) != 2 || ids[0] >= ids[1] || len(got[string(a)]) != 1 {
		t.Errorf("per group %v", got)
	}
	if err := m.Remove([][]byte{a}); err != nil {
		t.Fatal(err)
	}
}

// legacyMLS serves subscriptions only as server streams, like XMTP's node-go, which has no
// Subscribe RPC: a real connect handler, every other method Unimplemented.
type legacyMLS struct {
	mlsv1connect.UnimplementedMlsApiHandler
}

func (legacyMLS) SubscribeGroupMessages(_ context.Context, req *connect.Request[mlsv1.SubscribeGroupMessagesRequest], stream *connect.ServerStream[mlsv1.GroupMessage]) error {
	return stream.Send(&mlsv1.GroupMessage{Version: &mlsv1.GroupMessage_V1_{V1: &mlsv1.GroupMessage_V1{
		Id: 1, GroupId: req.Msg.GetFilters()[0].GetGroupId()}}})
}

func TestMultiplexedFallsBackToServerStreams(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle(mlsv1connect.NewMlsApiHandler(legacyMLS{}))
	protocols := new(http.Protocols)
	protocols.SetUnencryptedHTTP2(true)
	srv := &http.Server{Handler: mux, Protocols: protocols}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	c := New("http://"+ln.Addr().String(), Config{})
	for range 2 {
		st := apitest.SubscribeGroup(t, c, []byte("g"))
		if _, ok := st.(*stream[mlsv1.GroupMessage]); !ok {
			t.Fatalf("stream is a %T, want a server stream", st)
		}
		if m, err := st.Recv(); err != nil || string(m.GetV1().GetGroupId()) != "g" {
			t.Fatalf("Recv: %v %v", m, err)
		}
		st.Close()
	}
	if !c.noMux.Load() {
		t.Error("the missing Subscribe RPC was not remembered")
	}
}
