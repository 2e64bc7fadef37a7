package node

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/mls"
	identityv1 "github.com/goxmtp/goxmtp/proto/identity/api/v1"
	"github.com/goxmtp/goxmtp/proto/identity/associations"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// TestGroupMessagesEveryProtocol sends and queries through gRPC, gRPC-web and Connect.
func TestGroupMessagesEveryProtocol(t *testing.T) {
	tn := startNode(t, Config{})
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			c := tn.clientsFor(p.h2c, p.option)
			groupID := randomBytes(t, 16)
			before := uint64(time.Now().UnixNano())
			sendGroup(t, c, groupID, "one", "two")
			commit := privateMessage(groupID, mls.ContentTypeCommit, []byte("c"))
			if _, err := c.mls.SendGroupMessages(ctx, connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
				Messages: []*mlsv1.GroupMessageInput{groupInput(commit)},
			})); err != nil {
				t.Fatal(err)
			}
			res, err := c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
			if err != nil {
				t.Fatal(err)
			}
			msgs := res.Msg.GetMessages()
			if len(msgs) != 3 {
				t.Fatalf("got %d messages, want 3", len(msgs))
			}
			// Default order is descending: the commit first.
			newest := msgs[0].GetV1()
			if !newest.GetIsCommit() || msgs[1].GetV1().GetIsCommit() {
				t.Errorf("is_commit not set from the content type")
			}
			if !bytes.Equal(newest.GetGroupId(), groupID) || !bytes.Equal(newest.GetData(), commit) {
				t.Errorf("stored message differs")
			}
			if newest.GetCreatedNs() < before || string(newest.GetSenderHmac()) != "hmac" || !newest.GetShouldPush() {
				t.Errorf("server fields wrong: %v", newest)
			}
			if msgs[0].GetV1().GetId() <= msgs[1].GetV1().GetId() {
				t.Errorf("ids not descending")
			}
			if res.Msg.GetPagingInfo().GetIdCursor() != 0 {
				t.Errorf("cursor on a partial page")
			}
		})
	}
}

func TestSendGroupMessagesDedupes(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	groupID := randomBytes(t, 16)
	sendGroup(t, c, groupID, "same")
	sendGroup(t, c, groupID, "same", "other")
	res, err := c.mls.QueryGroupMessages(context.Background(), connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Msg.GetMessages()); n != 2 {
		t.Fatalf("got %d messages, want 2 after a duplicate", n)
	}
}

func TestPaging(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	groupID := randomBytes(t, 16)
	var bodies []string
	for i := range 250 {
		bodies = append(bodies, fmt.Sprint("m", i))
	}
	sendGroup(t, c, groupID, bodies...)
	query := func(p *mlsv1.PagingInfo) *mlsv1.QueryGroupMessagesResponse {
		t.Helper()
		res, err := c.mls.QueryGroupMessages(ctx, connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID, PagingInfo: p}))
		if err != nil {
			t.Fatal(err)
		}
		return res.Msg
	}
	asc := mlsv1.SortDirection_SORT_DIRECTION_ASCENDING
	desc := mlsv1.SortDirection_SORT_DIRECTION_DESCENDING

	// libxmtp's sync: ascending pages of 100 until a short page.
	var ids []uint64
	var cursor uint64
	for page := 0; ; page++ {
		res := query(&mlsv1.PagingInfo{Direction: asc, Limit: 100, IdCursor: cursor})
		for _, m := range res.GetMessages() {
			ids = append(ids, m.GetV1().GetId())
		}
		if res.GetPagingInfo().GetDirection() != asc || res.GetPagingInfo().GetLimit() != 100 {
			t.Errorf("page %d: paging info not echoed: %v", page, res.GetPagingInfo())
		}
		if len(res.GetMessages()) < 100 {
			if res.GetPagingInfo().GetIdCursor() != 0 {
				t.Errorf("cursor on the last, partial page")
			}
			break
		}
		cursor = res.GetPagingInfo().GetIdCursor()
		if cursor != ids[len(ids)-1] {
			t.Fatalf("cursor %d, want last id %d", cursor, ids[len(ids)-1])
		}
	}
	if len(ids) != 250 {
		t.Fatalf("paged through %d messages, want 250", len(ids))
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			t.Fatalf("ids not strictly increasing at %d", i)
		}
	}

	cases := []struct {
		name  string
		p     *mlsv1.PagingInfo
		n     int
		first uint64
	}{
		{"no paging info: newest 100 descending", nil, 100, ids[249]},
		{"unspecified direction is descending", &mlsv1.PagingInfo{Limit: 5}, 5, ids[249]},
		{"limit over 100 is 100", &mlsv1.PagingInfo{Direction: asc, Limit: 1000}, 100, ids[0]},
		{"latest message", &mlsv1.PagingInfo{Direction: desc, Limit: 1}, 1, ids[249]},
		{"descending cursor is exclusive", &mlsv1.PagingInfo{Direction: desc, Limit: 3, IdCursor: ids[10]}, 3, ids[9]},
		{"ascending cursor is exclusive", &mlsv1.PagingInfo{Direction: asc, Limit: 3, IdCursor: ids[10]}, 3, ids[11]},
		{"ascending past the end", &mlsv1.PagingInfo{Direction: asc, IdCursor: ids[249]}, 0, 0},
		{"descending before the start", &mlsv1.PagingInfo{Direction: desc, IdCursor: ids[0]}, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := query(tc.p)
			if len(res.GetMessages()) != tc.n {
				t.Fatalf("got %d messages, want %d", len(res.GetMessages()), tc.n)
			}
			if tc.n > 0 && res.GetMessages()[0].GetV1().GetId() != tc.first {
				t.Errorf("first id %d, want %d", res.GetMessages()[0].GetV1().GetId(), tc.first)
			}
			full := tc.n == int(res.GetPagingInfo().GetLimit())
			if full != (res.GetPagingInfo().GetIdCursor() != 0) {
				t.Errorf("cursor %d on a page of %d/%d", res.GetPagingInfo().GetIdCursor(), tc.n, res.GetPagingInfo().GetLimit())
			}
		})
	}
}

func TestGroupMessageValidation(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	groupID := randomBytes(t, 16)
	welcome := mls.NewEncoder(8)
	welcome.U16(1)
	welcome.U16(uint16(mls.WireFormatWelcome))
	cases := map[string]*mlsv1.GroupMessageInput{
		"no payload":        {},
		"empty data":        groupInput(nil),
		"garbage":           groupInput([]byte{0xde, 0xad}),
		"wrong version":     groupInput(append([]byte{0, 2}, privateMessage(groupID, mls.ContentTypeApplication, nil)[2:]...)),
		"welcome not group": groupInput(welcome.Bytes()),
		"empty group id":    groupInput(privateMessage(nil, mls.ContentTypeApplication, []byte("x"))),
		"bad content type":  groupInput(privateMessage(groupID, 9, []byte("x"))),
		"truncated header":  groupInput(privateMessage(groupID, mls.ContentTypeApplication, nil)[:8]),
		"truncated body":    groupInput(privateMessage(groupID, mls.ContentTypeApplication, []byte("body"))[:20]),
		"trailing bytes":    groupInput(append(privateMessage(groupID, mls.ContentTypeApplication, []byte("x")), 0)),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			// A valid message first in the batch: nothing of a rejected batch is stored.
			_, err := c.mls.SendGroupMessages(context.Background(), connect.NewRequest(&mlsv1.SendGroupMessagesRequest{
				Messages: []*mlsv1.GroupMessageInput{groupInput(privateMessage(groupID, mls.ContentTypeApplication, []byte(name))), in},
			}))
			wantCode(t, err, connect.CodeInvalidArgument)
		})
	}
	res, err := c.mls.QueryGroupMessages(context.Background(), connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{GroupId: groupID}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Msg.GetMessages()) != 0 {
		t.Errorf("rejected batches stored %d messages", len(res.Msg.GetMessages()))
	}
	_, err = c.mls.QueryGroupMessages(context.Background(), connect.NewRequest(&mlsv1.QueryGroupMessagesRequest{}))
	wantCode(t, err, connect.CodeInvalidArgument)
}

func TestWelcomes(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	inst := randomBytes(t, 32)
	v1 := func(data, hpke []byte, alg mlscontents.WelcomeWrapperAlgorithm) *mlsv1.WelcomeMessageInput {
		return &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
			InstallationKey: inst, Data: data, HpkePublicKey: hpke, WrapperAlgorithm: alg, WelcomeMetadata: []byte("meta"),
		}}}
	}
	pointer := func(alg mlscontents.WelcomePointerWrapperAlgorithm) *mlsv1.WelcomeMessageInput {
		return &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessageInput_WelcomePointer{
			InstallationKey: inst, WelcomePointer: []byte("ptr"), HpkePublicKey: []byte("pk"), WrapperAlgorithm: alg,
		}}}
	}
	xwing := mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6
	good := []*mlsv1.WelcomeMessageInput{
		v1([]byte("w1"), []byte("pk"), xwing),
		v1([]byte("w2"), nil, mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_SYMMETRIC_KEY),
		pointer(mlscontents.WelcomePointerWrapperAlgorithm_WELCOME_POINTER_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6),
		v1([]byte("w1"), []byte("pk"), xwing), // duplicate
	}
	if _, err := c.mls.SendWelcomeMessages(ctx, connect.NewRequest(&mlsv1.SendWelcomeMessagesRequest{Messages: good})); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]*mlsv1.WelcomeMessageInput{
		"no payload":         {},
		"empty data":         v1(nil, []byte("pk"), xwing),
		"no hpke key":        v1([]byte("w"), nil, xwing),
		"pointer not x-wing": pointer(mlscontents.WelcomePointerWrapperAlgorithm_WELCOME_POINTER_WRAPPER_ALGORITHM_UNSPECIFIED),
	} {
		_, err := c.mls.SendWelcomeMessages(ctx, connect.NewRequest(&mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{bad}}))
		if connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Errorf("%s: got %v, want InvalidArgument", name, err)
		}
	}
	res, err := c.mls.QueryWelcomeMessages(ctx, connect.NewRequest(&mlsv1.QueryWelcomeMessagesRequest{
		InstallationKey: inst, PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING},
	}))
	if err != nil {
		t.Fatal(err)
	}
	msgs := res.Msg.GetMessages()
	if len(msgs) != 3 {
		t.Fatalf("got %d welcomes, want 3", len(msgs))
	}
	if w := msgs[0].GetV1(); string(w.GetData()) != "w1" || string(w.GetWelcomeMetadata()) != "meta" || w.GetWrapperAlgorithm() != xwing || w.GetId() == 0 || w.GetCreatedNs() == 0 {
		t.Errorf("V1 welcome stored wrong: %v", w)
	}
	if p := msgs[2].GetWelcomePointer(); p == nil || string(p.GetWelcomePointer()) != "ptr" || string(p.GetHpkePublicKey()) != "pk" {
		t.Errorf("welcome pointer stored wrong: %v", msgs[2])
	}
}

func TestKeyPackages(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	now := time.Now()
	inbox := randomInboxID(t)
	kp1, inst1 := newKeyPackage(t, inbox, now)
	kp2, inst2 := newKeyPackage(t, inbox, now)
	upload := func(kp []byte) error {
		_, err := c.mls.UploadKeyPackage(ctx, connect.NewRequest(&mlsv1.UploadKeyPackageRequest{
			KeyPackage: &mlsv1.KeyPackageUpload{KeyPackageTlsSerialized: kp}, IsInboxIdCredential: true,
		}))
		return err
	}
	for _, kp := range [][]byte{kp1, kp2} {
		if err := upload(kp); err != nil {
			t.Fatal(err)
		}
	}
	// A newer key package replaces the installation's previous one.
	kp1b, _ := newKeyPackage(t, inbox, now)
	reg, err := c.mls.RegisterInstallation(ctx, connect.NewRequest(&mlsv1.RegisterInstallationRequest{
		KeyPackage: &mlsv1.KeyPackageUpload{KeyPackageTlsSerialized: kp1b},
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, inst1b := newKeyPackage(t, inbox, now) // unknown installation
	res, err := c.mls.FetchKeyPackages(ctx, connect.NewRequest(&mlsv1.FetchKeyPackagesRequest{
		InstallationKeys: [][]byte{inst2, inst1b, inst1, reg.Msg.GetInstallationKey()},
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Msg.GetKeyPackages()
	if len(got) != 4 || !bytes.Equal(got[0].GetKeyPackageTlsSerialized(), kp2) || len(got[1].GetKeyPackageTlsSerialized()) != 0 ||
		!bytes.Equal(got[2].GetKeyPackageTlsSerialized(), kp1) || !bytes.Equal(got[3].GetKeyPackageTlsSerialized(), kp1b) {
		t.Fatalf("FetchKeyPackages returned the wrong packages or order")
	}

	tampered := bytes.Clone(kp1)
	tampered[len(tampered)-1] ^= 1
	expired, _ := newKeyPackage(t, inbox, now.Add(-100*24*time.Hour))
	badInbox, _ := newKeyPackage(t, "not-an-inbox", now)
	for name, kp := range map[string][]byte{
		"empty":               nil,
		"garbage":             []byte("garbage"),
		"bad signature":       tampered,
		"expired":             expired,
		"credential no inbox": badInbox,
	} {
		if err := upload(kp); connect.CodeOf(err) != connect.CodeInvalidArgument {
			t.Errorf("%s: got %v, want InvalidArgument", name, err)
		}
	}
}

func TestCommitLog(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	g1, g2 := randomBytes(t, 16), randomBytes(t, 16)
	sig := &associations.RecoverableEd25519Signature{Bytes: randomBytes(t, 64), PublicKey: randomBytes(t, 32)}
	var reqs []*mlsv1.PublishCommitLogRequest
	for i := range 3 {
		reqs = append(reqs, &mlsv1.PublishCommitLogRequest{GroupId: g1, SerializedCommitLogEntry: []byte{byte(i)}, Signature: sig})
	}
	reqs = append(reqs, &mlsv1.PublishCommitLogRequest{GroupId: g2, SerializedCommitLogEntry: []byte("g2")})
	if _, err := c.mls.BatchPublishCommitLog(ctx, connect.NewRequest(&mlsv1.BatchPublishCommitLogRequest{Requests: reqs})); err != nil {
		t.Fatal(err)
	}
	res, err := c.mls.BatchQueryCommitLog(ctx, connect.NewRequest(&mlsv1.BatchQueryCommitLogRequest{Requests: []*mlsv1.QueryCommitLogRequest{
		{GroupId: g1, PagingInfo: &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: 2}},
		{GroupId: g2},
	}}))
	if err != nil {
		t.Fatal(err)
	}
	r1, r2 := res.Msg.GetResponses()[0], res.Msg.GetResponses()[1]
	if !bytes.Equal(r1.GetGroupId(), g1) || len(r1.GetCommitLogEntries()) != 2 || r1.GetCommitLogEntries()[1].GetSerializedCommitLogEntry()[0] != 1 {
		t.Fatalf("group 1 commit log wrong: %v", r1)
	}
	if !bytes.Equal(r1.GetCommitLogEntries()[0].GetSignature().GetBytes(), sig.GetBytes()) {
		t.Errorf("signature not stored")
	}
	if r1.GetPagingInfo().GetIdCursor() != r1.GetCommitLogEntries()[1].GetSequenceId() {
		t.Errorf("full page without cursor")
	}
	if len(r2.GetCommitLogEntries()) != 1 || r2.GetCommitLogEntries()[0].GetSignature() != nil {
		t.Errorf("group 2 commit log wrong: %v", r2)
	}
	_, err = c.mls.BatchPublishCommitLog(ctx, connect.NewRequest(&mlsv1.BatchPublishCommitLogRequest{Requests: append(append(reqs, reqs...), reqs...)[:11]}))
	wantCode(t, err, connect.CodeResourceExhausted)
	_, err = c.mls.BatchQueryCommitLog(ctx, connect.NewRequest(&mlsv1.BatchQueryCommitLogRequest{Requests: make([]*mlsv1.QueryCommitLogRequest, 21)}))
	wantCode(t, err, connect.CodeResourceExhausted)
}

func TestGetNewestGroupMessage(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	g1, g2 := randomBytes(t, 16), randomBytes(t, 16)
	sendGroup(t, c, g1, "old", "new")
	for _, include := range []bool{true, false} {
		res, err := c.mls.GetNewestGroupMessage(context.Background(), connect.NewRequest(&mlsv1.GetNewestGroupMessageRequest{
			GroupIds: [][]byte{g2, g1}, IncludeContent: include,
		}))
		if err != nil {
			t.Fatal(err)
		}
		rs := res.Msg.GetResponses()
		if len(rs) != 2 || rs[0].GroupMessage != nil {
			t.Fatalf("unknown group must get an empty entry: %v", rs)
		}
		m := rs[1].GetGroupMessage().GetV1()
		want := privateMessage(g1, mls.ContentTypeApplication, []byte("new"))
		if include != bytes.Equal(m.GetData(), want) || m.GetId() == 0 {
			t.Errorf("include_content=%v: got %v", include, m)
		}
	}
}

// TestUnimplementedRPCs covers what XMTP's node does not serve either (the legacy RPCs) and
// what needs a chain (smart-contract wallet signatures).
func TestUnimplementedRPCs(t *testing.T) {
	tn := startNode(t, Config{})
	c := tn.grpcClients()
	ctx := context.Background()
	_, err := c.mls.RevokeInstallation(ctx, connect.NewRequest(&mlsv1.RevokeInstallationRequest{}))
	wantCode(t, err, connect.CodeUnimplemented)
	_, err = c.mls.GetIdentityUpdates(ctx, connect.NewRequest(&mlsv1.GetIdentityUpdatesRequest{}))
	wantCode(t, err, connect.CodeUnimplemented)
	_, err = c.id.VerifySmartContractWalletSignatures(ctx, connect.NewRequest(&identityv1.VerifySmartContractWalletSignaturesRequest{}))
	wantCode(t, err, connect.CodeUnimplemented)
}
