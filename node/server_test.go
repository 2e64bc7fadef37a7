package node

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

func TestHealth(t *testing.T) {
	tn := startNode(t, Config{})
	res, err := http.Get(tn.url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]string
	json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != http.StatusOK || body["status"] != "ok" {
		t.Fatalf("health %d %v", res.StatusCode, body)
	}
}

// TestCORSPreflight asks what the browser SDK's worker asks before every new path.
func TestCORSPreflight(t *testing.T) {
	tn := startNode(t, Config{})
	req, _ := http.NewRequest(http.MethodOptions, tn.url+"/xmtp.identity.api.v1.IdentityApi/GetInboxIds", nil)
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-app-version,x-grpc-web,x-libxmtp-version")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight %d, allow-origin %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	allowed := res.Header.Get("Access-Control-Allow-Headers")
	for _, h := range strings.Split("content-type,x-app-version,x-grpc-web,x-libxmtp-version,grpc-timeout,grpc-encoding", ",") {
		if !strings.Contains(allowed, h) {
			t.Errorf("header %s not allowed", h)
		}
	}
	exposed := res.Header.Get("Access-Control-Expose-Headers")
	for _, h := range []string{"grpc-status", "grpc-message", "grpc-status-details-bin", "grpc-encoding"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("header %s not exposed", h)
		}
	}
}

func TestRateLimits(t *testing.T) {
	tn := startNode(t, Config{RateLimit: RateLimit{ReadsPerSecond: 1, ReadBurst: 3, WritesPerSecond: 1, WriteBurst: 2}})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := tn.clientsFor(p.h2c, p.option)
			groupID := randomBytes(t, 16)
			var writeErr error
			for range 3 {
				_, writeErr = c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
					Messages: []*mlsv1.GroupMessageInput{groupInput(privateMessage(groupID, mls.ContentTypeApplication, randomBytes(t, 8)))},
				}))
			}
			wantCode(t, writeErr, connect.CodeResourceExhausted)
			ce := new(connect.Error)
			if !errorsAs(writeErr, &ce) || !strings.Contains(ce.Message(), "retry after") {
				t.Errorf("no retry hint in %v", writeErr)
			}
			if ce.Meta().Get("retry-after") == "" {
				t.Errorf("no retry-after metadata")
			}
		})
	}
	// Reads have their own bucket: the writes above did not use it up, but the 3 reads of
	// the first subtests plus these do.
	c := tn.grpcClients()
	var err error
	for range 4 {
		_, err = c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: []byte{1}}))
	}
	wantCode(t, err, connect.CodeResourceExhausted)
}

func TestRateLimiterRefills(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newLimiter(RateLimit{ReadsPerSecond: 2, ReadBurst: 2, WritesPerSecond: -1}, func() time.Time { return now })
	for i := range 2 {
		if ok, _ := l.allow("a", false); !ok {
			t.Fatalf("read %d refused within burst", i)
		}
	}
	ok, wait := l.allow("a", false)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("over burst: ok %v, wait %v", ok, wait)
	}
	if ok, _ := l.allow("b", false); !ok {
		t.Fatal("another IP shares the bucket")
	}
	if ok, _ := l.allow("a", true); !ok {
		t.Fatal("disabled write limit refused")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.allow("a", false); !ok {
		t.Fatal("bucket did not refill")
	}
	now = now.Add(2 * time.Minute)
	l.allow("c", false)
	if len(l.reads) != 1 {
		t.Fatalf("idle buckets not swept: %d left", len(l.reads))
	}
}

func TestRequestLimits(t *testing.T) {
	tn := startNode(t, Config{Limits: Limits{MaxBatch: 3, MaxMessageBytes: 1 << 20}})
	c := tn.grpcClients()
	ctx := context.Background()
	groupID := randomBytes(t, 16)
	msg := func() *mlsv1.GroupMessageInput {
		return groupInput(privateMessage(groupID, mls.ContentTypeApplication, randomBytes(t, 8)))
	}
	_, err := c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
		Messages: []*mlsv1.GroupMessageInput{msg(), msg(), msg(), msg()},
	}))
	wantCode(t, err, connect.CodeResourceExhausted)
	_, err = c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
		Messages: []*mlsv1.GroupMessageInput{groupInput(privateMessage(groupID, mls.ContentTypeApplication, make([]byte, 1<<20)))},
	}))
	wantCode(t, err, connect.CodeResourceExhausted)
	_, err = c.mls.FetchKeyPackages(ctx, connect.NewRequest(&mlsv1.FetchKeyPackagesRequest{InstallationKeys: make([][]byte, 4)}))
	wantCode(t, err, connect.CodeResourceExhausted)
}

// TestLargeMessage sends a 20 MiB message, near libxmtp's 25 MiB payload limit, and reads it back.
func TestLargeMessage(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	groupID := randomBytes(t, 16)
	data := privateMessage(groupID, mls.ContentTypeApplication, bytes.Repeat([]byte{7}, 20<<20))
	ctx := context.Background()
	if _, err := c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
		Messages: []*mlsv1.GroupMessageInput{groupInput(data)},
	})); err != nil {
		t.Fatal(err)
	}
	res, err := c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.Msg.GetMessages()[0].GetV1().GetData(), data) {
		t.Fatal("large message changed")
	}
}

// TestRestartPersistence stores one of everything, restarts the node on the same data
// directory, and reads it all back; new ids continue above the old ones.
func TestRestartPersistence(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	groupID, inst := randomBytes(t, 16), randomBytes(t, 32)
	inboxID := randomInboxID(t)
	kp, kpInst := newKeyPackage(t, inboxID, time.Now())
	var lastID uint64

	first := startNode(t, Config{DataDir: dir})
	c := first.grpcClients()
	sendGroup(t, c, groupID, "before restart")
	if _, err := c.mls.SendWelcomeMessages(ctx, connect.NewRequest(&mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{
		{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{InstallationKey: inst, Data: []byte("w"), HpkePublicKey: []byte("k")}}},
	}})); err != nil {
		t.Fatal(err)
	}
	if _, err := c.mls.UploadKeyPackage(ctx, connect.NewRequest(&mlsv1.UploadKeyPackageRequest{KeyPackage: &mlsv1.KeyPackageUpload{KeyPackageTlsSerialized: kp}})); err != nil {
		t.Fatal(err)
	}
	wallet := newWallet(t)
	_, walletInbox := registerInbox(t, c, wallet)
	res, err := c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
	if err != nil {
		t.Fatal(err)
	}
	lastID = res.Msg.GetMessages()[0].GetV1().GetId()
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := first.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}

	second := startNode(t, Config{DataDir: dir})
	c = second.grpcClients()
	sendGroup(t, c, groupID, "after restart")
	res, err = c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
	if err != nil {
		t.Fatal(err)
	}
	msgs := res.Msg.GetMessages()
	if len(msgs) != 2 || bodyOf(t, msgs[1].GetV1().GetData()) != "before restart" || msgs[0].GetV1().GetId() <= lastID {
		t.Fatalf("messages after restart: %v", msgs)
	}
	wres, err := c.mls.QueryWelcomeMessages(ctx, connect.NewRequest(&mlsv1.QueryWelcomeMessagesRequest{InstallationKey: inst}))
	if err != nil || len(wres.Msg.GetMessages()) != 1 {
		t.Fatalf("welcomes after restart: %v %v", wres, err)
	}
	kres, err := c.mls.FetchKeyPackages(ctx, connect.NewRequest(&mlsv1.FetchKeyPackagesRequest{InstallationKeys: [][]byte{kpInst}}))
	if err != nil || !bytes.Equal(kres.Msg.GetKeyPackages()[0].GetKeyPackageTlsSerialized(), kp) {
		t.Fatalf("key package after restart: %v", err)
	}
	if got, _ := inboxOf(t, c, wallet.Address()); got != walletInbox {
		t.Fatalf("inbox after restart %q, want %q", got, walletInbox)
	}
}

// TestShutdownFinishesWrites starts writes, shuts down while they run, and requires every
// acknowledged write to be stored and every subscription to end.
func TestShutdownFinishesWrites(t *testing.T) {
	dir := t.TempDir()
	tn := startNode(t, Config{DataDir: dir})
	c := tn.grpcClients()
	groupID := randomBytes(t, 16)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	stream, err := c.mls.SubscribeGroupMessages(ctx, connect.NewRequest(&mlsv1.SubscribeGroupMessagesRequest{
		Filters: []*mlsv1.SubscribeGroupMessagesRequest_Filter{{GroupId: groupID}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	tn.waitSubscribed(t, 1)

	var mu sync.Mutex
	acked := 0
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				_, err := c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
					Messages: []*mlsv1.GroupMessageInput{groupInput(privateMessage(groupID, mls.ContentTypeApplication, []byte{byte(w), byte(i), byte(i >> 8)}))},
				}))
				if err != nil {
					return
				}
				mu.Lock()
				acked++
				mu.Unlock()
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	if err := tn.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for stream.Receive() {
	}
	if code := connect.CodeOf(stream.Err()); code != connect.CodeUnavailable {
		t.Errorf("subscription ended with %v, want Unavailable", stream.Err())
	}

	store, err := OpenSQLiteStore(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	stored := 0
	for cursor := uint64(0); ; {
		page, err := store.QueryGroupMessages(context.Background(), groupID, Page{Ascending: true, Limit: maxPageSize, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		stored += len(page)
		if len(page) < maxPageSize {
			break
		}
		cursor = page[len(page)-1].ID
	}
	if acked == 0 || stored < acked {
		t.Fatalf("%d writes acknowledged, %d stored", acked, stored)
	}
}
