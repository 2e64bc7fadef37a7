package api

import mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"

// Topic kinds of the multiplexed subscription (XIP-83, xmtp-protocol.md §1.2): a topic is the
// kind byte followed by the id.
const (
	TopicGroupMessages   byte = 0x00 // id: group id
	TopicWelcomeMessages byte = 0x01 // id: installation key
)

// MutateRequest is the XIP-83 frame that changes a multiplexed subscription's topics of one
// kind: adds replay from their cursors and go live, removes stop.
func MutateRequest(kind byte, adds []Filter, removes [][]byte, mutateID uint64) *mlsv1.SubscribeRequest {
	m := &mlsv1.SubscribeRequest_V1_Mutate{MutateId: mutateID}
	for _, f := range adds {
		m.Adds = append(m.Adds, &mlsv1.SubscribeRequest_V1_Mutate_Subscription{Topic: topic(kind, f.Key), IdCursor: f.Cursor})
	}
	for _, k := range removes {
		m.Removes = append(m.Removes, topic(kind, k))
	}
	return subscribeRequest(&mlsv1.SubscribeRequest_V1{Request: &mlsv1.SubscribeRequest_V1_Mutate_{Mutate: m}})
}

// PingRequest is the XIP-83 frame a node answers with a Pong carrying the same nonce.
func PingRequest(nonce uint64) *mlsv1.SubscribeRequest {
	return subscribeRequest(&mlsv1.SubscribeRequest_V1{Request: &mlsv1.SubscribeRequest_V1_Ping{Ping: &mlsv1.Ping{Nonce: nonce}}})
}

func subscribeRequest(v1 *mlsv1.SubscribeRequest_V1) *mlsv1.SubscribeRequest {
	return &mlsv1.SubscribeRequest{Version: &mlsv1.SubscribeRequest_V1_{V1: v1}}
}

func topic(kind byte, id []byte) []byte { return append([]byte{kind}, id...) }
