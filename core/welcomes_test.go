//go:build !js

package core

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/connectapi"
	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/memstore"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/node"
	"github.com/goxmtp/goxmtp/node/nodetest"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// curve25519Client is a client whose key packages advertise no X-Wing key and no pointers.
func (n *testNet) curve25519Client(s store.Store) *Client {
	n.t.Helper()
	w, err := identity.NewLocalWallet()
	if err != nil {
		n.t.Fatal(err)
	}
	c, err := Create(context.Background(), w, Options{API: connectapi.New(n.node.URL(), connectapi.Config{}), Store: s, Curve25519Welcomes: true})
	if err != nil {
		n.t.Fatal(err)
	}
	return c
}

// welcomesOf returns what the node holds on c's welcome topic, oldest first.
func welcomesOf(t *testing.T, c *Client) []*mlsv1.WelcomeMessage {
	t.Helper()
	resp, err := c.opts.API.QueryWelcomeMessages(context.Background(), &mlsv1.QueryWelcomeMessagesRequest{
		InstallationKey: c.InstallationID(),
		PagingInfo:      &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetMessages()
}

// publishedKeyPackage is the key package the node serves for c.
func publishedKeyPackage(t *testing.T, c *Client) mls.KeyPackage {
	t.Helper()
	resp, err := c.opts.API.FetchKeyPackages(context.Background(), &mlsv1.FetchKeyPackagesRequest{InstallationKeys: [][]byte{c.InstallationID()}})
	if err != nil {
		t.Fatal(err)
	}
	kp, err := mls.DecodeKeyPackage(resp.GetKeyPackages()[0].GetKeyPackageTlsSerialized())
	if err != nil {
		t.Fatal(err)
	}
	return kp
}

// recipientOf is how a sender wraps welcomes to c: what c's published key package offers.
func recipientOf(t *testing.T, c *Client) welcomeRecipient {
	t.Helper()
	kp := publishedKeyPackage(t, c)
	return welcomeRecipientOf(&kp)
}

// talk checks that a message from the first group reaches every other one.
func talk(t *testing.T, from *Group, to ...*Group) {
	t.Helper()
	ctx := context.Background()
	if _, err := from.SendText(ctx, "hello"); err != nil {
		t.Fatal(err)
	}
	for i, g := range to {
		if err := g.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		ms, err := g.Messages(ctx, MessagesOptions{Kind: KindApplication})
		if err != nil || len(ms) != 1 {
			t.Fatalf("member %d: %d messages (%v)", i, len(ms), err)
		}
	}
}

// TestKeyPackageAdvertisesXWingAndPointees: a key package carries libxmtp's extensions in
// libxmtp's order — LastResort, 0xff04 {CHACHA20_POLY1305}, 0xff03 {X-Wing key, algorithm 2} —
// and the X-Wing key finds the package's record, whose seed is that key's.
func TestKeyPackageAdvertisesXWingAndPointees(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	bob := net.newClient()
	kp := publishedKeyPackage(t, bob)
	var types []mls.ExtensionType
	for _, e := range kp.Extensions {
		types = append(types, e.Type)
	}
	want := []mls.ExtensionType{mls.ExtensionLastResort, metadata.ExtensionWelcomePointeeAEADTypes, metadata.ExtensionWelcomeWrapperEncryption}
	if !slices.Equal(types, want) {
		t.Fatalf("key package extensions %#x, want %#x", types, want)
	}
	if !pointeeCapable(&kp) {
		t.Fatal("0xff04 does not offer ChaCha20-Poly1305")
	}
	r := welcomeRecipientOf(&kp)
	if r.Algorithm != uint8(wrap.XWing) || len(r.HPKEPublicKey) != wrap.XWingPublicKeySize || !r.Pointers {
		t.Fatalf("recipient %v with a %d-byte key, pointers %v", r.Algorithm, len(r.HPKEPublicKey), r.Pointers)
	}
	rec, seed, err := bob.keyPackageFor(ctx, wrap.XWing, r.HPKEPublicKey)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := wrap.NewXWingPrivateKey(seed)
	if err != nil || !bytes.Equal(sk.PublicKey().Bytes(), r.HPKEPublicKey) || !bytes.Equal(rec.XWingSeed, seed) {
		t.Fatalf("the stored seed is not the advertised key's (%v)", err)
	}

	plain := net.curve25519Client(memstore.New())
	kp = publishedKeyPackage(t, plain)
	if _, ok := kp.Extensions.Find(metadata.ExtensionWelcomeWrapperEncryption); ok || pointeeCapable(&kp) || !kp.LastResort() {
		t.Fatalf("Curve25519Welcomes key package extensions %+v", kp.Extensions)
	}
}

// TestXWingAndCurve25519WelcomesJoin: goxmtp wraps for goxmtp with X-Wing when the key
// package advertises it and with Curve25519 when it does not; both join and talk.
func TestXWingAndCurve25519WelcomesJoin(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice, bob, carol := net.newClient(), net.newClient(), net.curve25519Client(memstore.New())
	bobKey := recipientOf(t, bob).HPKEPublicKey
	carolKey := publishedKeyPackage(t, carol).InitKey
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID(), carol.InboxID()}, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		client *Client
		alg    mlscontents.WelcomeWrapperAlgorithm
		key    []byte
	}{
		"bob":   {bob, mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6, bobKey},
		"carol": {carol, mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_CURVE25519, carolKey},
	} {
		ws := welcomesOf(t, c.client)
		if len(ws) != 1 || ws[0].GetV1() == nil {
			t.Fatalf("%s: %d welcomes, want one V1", name, len(ws))
		}
		v1 := ws[0].GetV1()
		if v1.GetWrapperAlgorithm() != c.alg || !bytes.Equal(v1.GetHpkePublicKey(), c.key) || !bytes.Equal(v1.GetInstallationKey(), c.client.InstallationID()) {
			t.Fatalf("%s: welcome wrapped with %v to a %d-byte key", name, v1.GetWrapperAlgorithm(), len(v1.GetHpkePublicKey()))
		}
	}
	talk(t, ga, join(t, bob, ga.ID()), join(t, carol, ga.ID()))
}

// TestWelcomePointersJoinAGroupOfSix: a goxmtp group of six installations sends pointers to
// the five it adds (all advertise 0xff03 and 0xff04); each resolves its pointer, joins and
// reads the creator's message.
func TestWelcomePointersJoinAGroupOfSix(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	creator := net.newClient()
	var members []*Client
	var inboxes []string
	for range 5 {
		c := net.newClient()
		members = append(members, c)
		inboxes = append(inboxes, c.InboxID())
	}
	g, err := creator.Conversations().CreateGroup(ctx, inboxes, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var joined []*Group
	for i, c := range members {
		ws := welcomesOf(t, c)
		if len(ws) != 1 || ws[0].GetWelcomePointer() == nil {
			t.Fatalf("member %d: %d welcomes, want one pointer", i, len(ws))
		}
		joined = append(joined, join(t, c, g.ID()))
	}
	talk(t, g, joined...)
}

// pointerPoster publishes hand-made welcome pointers and pointees to one installation, as
// a sender (honest or not) could.
type pointerPoster struct {
	t   *testing.T
	api interface {
		SendWelcomeMessages(context.Context, *mlsv1.SendWelcomeMessagesRequest) error
	}
	to    *Client
	xwing []byte // the X-Wing key to's key package advertises
}

func newPointerPoster(t *testing.T, from, to *Client) *pointerPoster {
	return &pointerPoster{t: t, api: from.opts.API, to: to, xwing: recipientOf(t, to).HPKEPublicKey}
}

func (p *pointerPoster) send(in *mlsv1.WelcomeMessageInput) {
	p.t.Helper()
	if err := p.api.SendWelcomeMessages(context.Background(), &mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{in}}); err != nil {
		p.t.Fatal(err)
	}
}

// sealed is a WelcomePointer naming destination and key, sealed to the recipient.
func (p *pointerPoster) sealed(destination []byte, key wrap.PointeeKey) []byte {
	p.t.Helper()
	b, err := proto.Marshal(&mlscontents.WelcomePointer{Version: &mlscontents.WelcomePointer_WelcomeV1Pointer_{WelcomeV1Pointer: &mlscontents.WelcomePointer_WelcomeV1Pointer{
		Destination: destination, AeadType: mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305,
		EncryptionKey: key.Key[:], DataNonce: key.DataNonce[:], WelcomeMetadataNonce: key.MetadataNonce[:],
	}}})
	if err != nil {
		p.t.Fatal(err)
	}
	s, err := wrap.SealPointer(wrap.XWing, p.xwing, b)
	if err != nil {
		p.t.Fatal(err)
	}
	return s
}

// pointer posts sealed pointer bytes to the recipient's welcome topic.
func (p *pointerPoster) pointer(sealed []byte) {
	p.t.Helper()
	p.send(&mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessageInput_WelcomePointer{
		InstallationKey: p.to.InstallationID(), WelcomePointer: sealed, HpkePublicKey: p.xwing,
		WrapperAlgorithm: mlscontents.WelcomePointerWrapperAlgorithm_WELCOME_POINTER_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6,
	}}})
}

// pointee is welcome and metadata encrypted under key, to be posted to destination.
func (p *pointerPoster) pointee(destination []byte, key wrap.PointeeKey, welcome, meta []byte) *mlsv1.WelcomeMessageInput {
	data, metaCT := key.Seal(welcome, meta)
	return &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
		InstallationKey: destination, Data: data, WelcomeMetadata: metaCT, WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_SYMMETRIC_KEY,
	}}}
}

// TestTamperedWelcomePointersAreRejected: pointers that do not open, name no pointee, or name
// a pointee their key does not open fail with ErrInvalidWelcomePointer; Sync skips them
// without joining anything, and a real welcome after them still joins.
func TestTamperedWelcomePointersAreRejected(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice, bob := net.newClient(), net.newClient()
	post := newPointerPoster(t, alice, bob)
	defer func(w []time.Duration) { pointeeWaits = w }(pointeeWaits)
	pointeeWaits = []time.Duration{time.Millisecond}

	// A pointee only another key opens, at a destination of its own.
	destination, key := randomKey(), wrap.NewPointeeKey()
	post.send(post.pointee(destination, wrap.NewPointeeKey(), []byte("not this welcome"), nil))
	flipped := post.sealed(destination, key)
	flipped[len(flipped)-1] ^= 1
	post.pointer(flipped)                            // does not open
	post.pointer(post.sealed(randomKey(), key))      // names an empty topic
	post.pointer(post.sealed(destination, key))      // names a pointee its key does not open
	post.pointer(post.sealed(destination[:16], key)) // a destination of the wrong size

	ws := welcomesOf(t, bob)
	if len(ws) != 4 {
		t.Fatalf("%d welcomes on bob's topic, want 4", len(ws))
	}
	for i, w := range ws {
		if _, _, _, err := bob.Conversations().openWelcome(ctx, w); !errors.Is(err, ErrInvalidWelcomePointer) {
			t.Errorf("pointer %d: %v, want ErrInvalidWelcomePointer", i, err)
		}
	}
	if err := bob.Conversations().Sync(ctx); err != nil {
		t.Fatalf("sync over tampered pointers: %v", err)
	}
	if cursor, err := bob.Conversations().welcomeCursor(ctx); err != nil || cursor != ws[3].GetWelcomePointer().GetId() {
		t.Fatalf("welcome cursor %d (%v), want past the tampered pointers", cursor, err)
	}
	if list, err := bob.Conversations().List(ctx, ListOptions{}); err != nil || len(list) != 0 {
		t.Fatalf("bob lists %d conversations (%v) after tampered pointers", len(list), err)
	}
	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	talk(t, ga, join(t, bob, ga.ID()))
}

// TestWelcomePointerWaitsForALatePointee: a pointer stored before its pointee (libxmtp sends
// welcome batches concurrently) resolves once the pointee lands within the wait.
func TestWelcomePointerWaitsForALatePointee(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	alice, bob := net.newClient(), net.newClient()
	post := newPointerPoster(t, alice, bob)
	destination, key := randomKey(), wrap.NewPointeeKey()
	post.pointer(post.sealed(destination, key))
	late := &mlsv1.SendWelcomeMessagesRequest{Messages: []*mlsv1.WelcomeMessageInput{post.pointee(destination, key, []byte("late welcome"), []byte("meta"))}}
	go func() {
		time.Sleep(pointeeWaits[0] / 2)
		if err := alice.opts.API.SendWelcomeMessages(ctx, late); err != nil {
			t.Error(err)
		}
	}()
	_, welcome, meta, err := bob.resolveWelcomePointer(ctx, welcomesOf(t, bob)[0].GetWelcomePointer())
	if err != nil || string(welcome) != "late welcome" || string(meta) != "meta" {
		t.Fatalf("late pointee: %q, %q, %v", welcome, meta, err)
	}
}

// TestKeyPackageRecordWithoutXWingSeedLoads: a record in the version-1 layout written before
// key packages had an X-Wing key still opens its Curve25519 welcome, and the next key
// package of that installation advertises X-Wing again.
func TestKeyPackageRecordWithoutXWingSeedLoads(t *testing.T) {
	ctx := context.Background()
	net := &testNet{t: t, node: nodetest.Start(t, node.Config{})}
	s := memstore.New()
	alice, bob := net.newClient(), net.curve25519Client(s)
	initKey := publishedKeyPackage(t, bob).InitKey
	b, _, err := s.Get(ctx, tableKeyPackages, initKey)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := decodeKeyPackageRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	// The version-1 layout, written field by field as releases before X-Wing wrote it.
	e := mls.NewEncoder(len(b))
	e.U8(1)
	e.Opaque(rec.KeyPackage)
	e.Opaque(rec.InitPrivate)
	e.Opaque(rec.LeafPrivate)
	e.U64(rec.CreatedAtNs)
	var ch store.Changes
	ch.Put(tableKeyPackages, initKey, e.Bytes())
	if err := s.Apply(ctx, ch); err != nil {
		t.Fatal(err)
	}
	bob.opts.Curve25519Welcomes = false // what the next release of the app does

	ga, err := alice.Conversations().CreateGroup(ctx, []string{bob.InboxID()}, CreateGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	talk(t, ga, join(t, bob, ga.ID()))
	if r := recipientOf(t, bob); r.Algorithm != uint8(wrap.XWing) || !r.Pointers {
		t.Fatal("the key package rotated after the welcome does not advertise X-Wing and pointers")
	}
}
