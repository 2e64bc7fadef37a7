package node

import (
	"bytes"
	"context"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// FuzzParseGroupMessage feeds arbitrary bytes to the check every SendGroupMessages runs.
func FuzzParseGroupMessage(f *testing.F) {
	f.Add(privateMessage([]byte("group"), mls.ContentTypeApplication, []byte("body")))
	f.Add(privateMessage([]byte("g"), mls.ContentTypeCommit, nil))
	f.Add([]byte{0, 1, 0, 1, 5, 'g', 'r', 'o', 'u', 'p'})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := parseGroupMessage(data)
		if err != nil {
			return
		}
		if len(h.groupID) == 0 || !bytes.Contains(data, h.groupID) {
			t.Fatalf("accepted group id %x not from the message", h.groupID)
		}
	})
}

// FuzzValidateKeyPackage feeds arbitrary bytes to UploadKeyPackage's validation.
func FuzzValidateKeyPackage(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	kp, _ := newKeyPackage(f, randomInboxID(f), now)
	f.Add(kp)
	f.Add(kp[:len(kp)/2])
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := validateKeyPackage(data, now)
		if err == nil && len(key) != 32 {
			t.Fatalf("accepted key package with a %d-byte installation key", len(key))
		}
	})
}

// FuzzSessionFrames feeds arbitrary WebSocket frames to a multiplexed session: each must be
// handled or refused with a status, never crash the node.
func FuzzSessionFrames(f *testing.F) {
	tn := startNode(f, Config{SubscriberBuffer: 16, Limits: Limits{MaxFilters: 8}})
	ctx := context.Background()
	if err := tn.storeGroupMessages(ctx, []GroupMessage{{GroupID: []byte("g"), Data: []byte("d")}}); err != nil {
		f.Fatal(err)
	}
	for _, req := range []*mlsv1.SubscribeRequest{
		mutate(1, false, nil, add(groupTopic([]byte("g")), 0)),
		mutate(2, true, [][]byte{{0, 'g'}}, add(welcomeTopic([]byte("i")), 5)),
		{Version: &mlsv1.SubscribeRequest_V1_{V1: &mlsv1.SubscribeRequest_V1{Request: &mlsv1.SubscribeRequest_V1_Ping{Ping: &mlsv1.Ping{Nonce: 1}}}}},
	} {
		b, _ := proto.Marshal(req)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		req := new(mlsv1.SubscribeRequest)
		if proto.Unmarshal(frame, req) != nil {
			return // the WebSocket transport refuses it before the session sees it
		}
		sub := tn.newSubscription()
		defer sub.close()
		err := tn.handleSessionRequest(ctx, sub, req, func(*mlsv1.SubscribeResponse) error { return nil })
		switch connect.CodeOf(err) {
		case connect.CodeInvalidArgument, connect.CodeResourceExhausted:
		default:
			if err != nil {
				t.Fatalf("frame refused with %v", err)
			}
		}
	})
}
