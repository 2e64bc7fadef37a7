package core

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/errs"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/mls/parallel"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Welcome pointers (XIP-74, xmtp-protocol.md §3.3 item 7, §7.2): a large group's Welcome is
// published once, encrypted under a random key, to a random "pointee" topic, and each
// installation that can resolve pointers gets a small pointer to it, HPKE-sealed like a
// welcome, instead of its own copy. libxmtp does this when more than two recipients can; it
// seals pointers with X-Wing only, so the installations that can are those whose key package
// advertises both 0xff04 (ChaCha20-Poly1305 pointees) and 0xff03 (X-Wing). goxmtp's key
// packages advertise both, so it sends and resolves pointers as libxmtp does.

// ErrInvalidWelcomePointer reports a welcome pointer that does not open, does not decode, or
// names no pointee that opens with its key; like an invalid welcome, it is skipped.
var ErrInvalidWelcomePointer = errs.New("group.invalid_welcome_pointer", "goxmtp: welcome pointer rejected")

// pointeeCandidates is how many welcomes of a pointee's topic are tried, oldest first. The
// sender publishes one; anyone can publish more to a topic, and only the pointer's key tells
// the real one.
const pointeeCandidates = 8

// pointeeWaits are the pauses before reading an empty pointee topic again: about three
// seconds in all, which a pointer naming a topic nobody writes costs once.
var pointeeWaits = []time.Duration{250 * time.Millisecond, 750 * time.Millisecond, 2 * time.Second}

// pointerThreshold is libxmtp's INSTALLATION_THRESHOLD_FOR_WELCOME_POINTER_SENDING: pointers
// are used when more recipients than this can resolve them.
const pointerThreshold = 2

// pointeeDestinationSize is the size of a pointee's random topic id, as libxmtp draws it.
const pointeeDestinationSize = 32

// pointeeCapable reports whether a key package advertises ChaCha20-Poly1305 pointees (0xff04).
func pointeeCapable(kp *mls.KeyPackage) bool {
	b, ok := kp.Extensions.Find(metadata.ExtensionWelcomePointeeAEADTypes)
	if !ok {
		return false
	}
	var ext mlscontents.WelcomePointeeEncryptionAeadTypesExtension
	if proto.Unmarshal(b, &ext) != nil {
		return false
	}
	return slices.Contains(ext.GetSupportedAeadTypes(), mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305)
}

// pointersAhead starts sealing the pointers of a commit's welcome in the background: they
// depend neither on the commit's id (the welcome's cursor, sealed in the pointee) nor on
// anything the node answers, so the X-Wing encapsulations, most of what sending a large
// group's welcomes costs, can overlap publishing the commit and reading it back. When more
// than pointerThreshold recipients can resolve pointers, the welcome will be published once
// as a pointee and each of those gets a pointer to it; the others get the welcome itself.
func (c *Client) pointersAhead(welcome []byte, recipients []welcomeRecipient) *pointerSeal {
	s := &pointerSeal{welcome: welcome, done: make(chan struct{})}
	var capable []welcomeRecipient
	for _, r := range recipients {
		if r.Pointers {
			capable = append(capable, r)
		} else {
			s.direct = append(s.direct, r)
		}
	}
	if len(capable) <= pointerThreshold {
		s.direct = recipients
		close(s.done)
		return s
	}
	// The destination is drawn here, not in the background: c.opts.Rand need not be safe
	// for concurrent use.
	p := &welcomePointers{destination: make([]byte, pointeeDestinationSize), key: wrap.NewPointeeKey()}
	if _, err := io.ReadFull(c.opts.Rand, p.destination); err != nil {
		s.err = fmt.Errorf("welcome pointee: %w", err)
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		pointer, err := proto.Marshal(&mlscontents.WelcomePointer{Version: &mlscontents.WelcomePointer_WelcomeV1Pointer_{
			WelcomeV1Pointer: &mlscontents.WelcomePointer_WelcomeV1Pointer{
				Destination:          p.destination,
				AeadType:             mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305,
				EncryptionKey:        p.key.Key[:],
				DataNonce:            p.key.DataNonce[:],
				WelcomeMetadataNonce: p.key.MetadataNonce[:],
			},
		}})
		if err != nil {
			s.err = fmt.Errorf("welcome pointer: %w", err)
			return
		}
		if p.sealed, s.err = sealPointers(pointer, capable); s.err == nil {
			s.pointers = p
		}
	}()
	return s
}

// sealPointersAhead starts sealing the pointers of a commit's welcome as the commit is
// published, unless that is under way: the sealing then overlaps the round trips that
// publish the commit and read it back, natively and in js/wasm, where it runs while this
// goroutine waits on the node.
func (g *Group) sealPointersAhead(it *intentRecord) {
	if len(it.Welcome) == 0 || g.pointers != nil && bytes.Equal(g.pointers.welcome, it.Welcome) {
		return
	}
	g.pointers = g.c.pointersAhead(it.Welcome, it.Recipients)
}

// takePointers returns the pointers sealed ahead for a welcome of this group and forgets
// them, or nil when the last commit published here had another welcome (it was made again,
// or this one was published before a restart) or none.
func (g *Group) takePointers(welcome []byte) *pointerSeal {
	s := g.pointers
	if s == nil || !bytes.Equal(s.welcome, welcome) {
		return nil
	}
	g.pointers = nil
	return s
}

// pointerSeal is what pointersAhead is working out for one welcome; its fields other than
// welcome are read once done is closed.
type pointerSeal struct {
	welcome  []byte
	done     chan struct{}
	pointers *welcomePointers // nil when no recipient gets a pointer
	direct   []welcomeRecipient
	err      error
}

// wait returns the pointers sealed (nil if none) and the recipients that get the welcome
// itself.
func (s *pointerSeal) wait(ctx context.Context) (*welcomePointers, []welcomeRecipient, error) {
	select {
	case <-s.done:
		return s.pointers, s.direct, s.err
	case <-ctx.Done():
		return nil, nil, fmt.Errorf("seal welcome pointers: %w", ctx.Err())
	}
}

// welcomePointers is a pointee's topic and key, and the pointer to it sealed to each
// recipient that resolves pointers.
type welcomePointers struct {
	destination []byte
	key         wrap.PointeeKey
	sealed      []*mlsv1.WelcomeMessageInput
}

// batches are the requests that store the pointee, with the welcome and metadata encrypted
// under its key, and the pointers, at most welcomeBatchEntries inputs each. The pointee goes
// first, so no pointer is stored before what it points to.
func (p *welcomePointers) batches(welcome, meta []byte) [][]*mlsv1.WelcomeMessageInput {
	data, metaCT := p.key.Seal(welcome, meta)
	inputs := append([]*mlsv1.WelcomeMessageInput{{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
		InstallationKey: p.destination, Data: data, WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm(wrap.SymmetricKey), WelcomeMetadata: metaCT,
	}}}}, p.sealed...)
	var out [][]*mlsv1.WelcomeMessageInput
	for start := 0; start < len(inputs); start += welcomeBatchEntries {
		out = append(out, inputs[start:min(start+welcomeBatchEntries, len(inputs))])
	}
	return out
}

// sealPointers seals a pointer to each recipient's X-Wing key, on every CPU: an X-Wing
// encapsulation per member is most of what pointers cost a large group's creator.
func sealPointers(pointer []byte, recipients []welcomeRecipient) ([]*mlsv1.WelcomeMessageInput, error) {
	out := make([]*mlsv1.WelcomeMessageInput, len(recipients))
	err := parallel.ForEach(len(recipients), parallel.CPUs(), func(i int) error {
		r := recipients[i]
		sealed, err := wrap.SealPointer(wrap.Algorithm(r.Algorithm), r.HPKEPublicKey, pointer)
		if err != nil {
			return fmt.Errorf("wrap welcome pointer for %x: %w", r.InstallationKey, err)
		}
		out[i] = &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_WelcomePointer_{WelcomePointer: &mlsv1.WelcomeMessageInput_WelcomePointer{
			InstallationKey: r.InstallationKey, WelcomePointer: sealed, HpkePublicKey: r.HPKEPublicKey,
			WrapperAlgorithm: mlscontents.WelcomePointerWrapperAlgorithm(r.Algorithm),
		}}}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// resolveWelcomePointer opens a pointer sealed to one of our key packages' X-Wing key, fetches
// the pointee it names and decrypts it with the pointer's key. It returns the key package's
// record, the Welcome MLSMessage and the WelcomeMetadata bytes, as unwrapWelcome does.
func (c *Client) resolveWelcomePointer(ctx context.Context, p *mlsv1.WelcomeMessage_WelcomePointer) (*keyPackageRecord, []byte, []byte, error) {
	if alg := wrap.Algorithm(p.GetWrapperAlgorithm()); alg != wrap.XWing {
		return nil, nil, nil, fmt.Errorf("%w: wrapped with %v", ErrInvalidWelcomePointer, alg)
	}
	kpRec, priv, err := c.keyPackageFor(ctx, wrap.XWing, p.GetHpkePublicKey())
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := wrap.OpenPointer(wrap.XWing, priv, p.GetWelcomePointer())
	if err != nil {
		return nil, nil, nil, ErrInvalidWelcomePointer.Wrap(err)
	}
	destination, key, err := decodeWelcomePointer(b)
	if err != nil {
		return nil, nil, nil, err
	}
	pointees, err := c.queryPointee(ctx, destination)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, m := range pointees {
		v1 := m.GetV1()
		if v1 == nil || wrap.Algorithm(v1.GetWrapperAlgorithm()) != wrap.SymmetricKey {
			continue
		}
		if welcome, meta, err := key.Open(v1.GetData(), v1.GetWelcomeMetadata()); err == nil {
			return kpRec, welcome, meta, nil
		}
	}
	return nil, nil, nil, fmt.Errorf("%w: no pointee at its destination opens", ErrInvalidWelcomePointer)
}

// queryPointee reads the first welcomes of a pointee's topic, oldest first. A sender may
// publish the pointee in a request that lands after some of its pointers (libxmtp sends its
// batches concurrently), so an empty topic is read again after each of pointeeWaits before
// the pointer is given up; libxmtp instead retries in the background for days.
func (c *Client) queryPointee(ctx context.Context, destination []byte) ([]*mlsv1.WelcomeMessage, error) {
	req := &mlsv1.QueryWelcomeMessagesRequest{
		InstallationKey: destination,
		PagingInfo:      &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: pointeeCandidates},
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.queryWelcomes(ctx, req)
		if err != nil {
			return nil, err
		}
		if len(resp.GetMessages()) > 0 || attempt == len(pointeeWaits) {
			return resp.GetMessages(), nil
		}
		t := time.NewTimer(pointeeWaits[attempt])
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("query welcome pointee: %w", ctx.Err())
		}
	}
}

// decodeWelcomePointer reads an opened WelcomePointer proto: the pointee's topic and the key
// and nonces it is encrypted with, which must be ChaCha20-Poly1305's, the only AEAD goxmtp
// advertises in 0xff04.
func decodeWelcomePointer(b []byte) ([]byte, wrap.PointeeKey, error) {
	var ptr mlscontents.WelcomePointer
	if err := proto.Unmarshal(b, &ptr); err != nil {
		return nil, wrap.PointeeKey{}, ErrInvalidWelcomePointer.Wrap(err)
	}
	v1 := ptr.GetWelcomeV1Pointer()
	if v1 == nil {
		return nil, wrap.PointeeKey{}, fmt.Errorf("%w: not a V1 pointer", ErrInvalidWelcomePointer)
	}
	if v1.GetAeadType() != mlscontents.WelcomePointeeEncryptionAeadType_WELCOME_POINTEE_ENCRYPTION_AEAD_TYPE_CHACHA20_POLY1305 {
		return nil, wrap.PointeeKey{}, fmt.Errorf("%w: pointee AEAD %v", ErrInvalidWelcomePointer, v1.GetAeadType())
	}
	if len(v1.GetDestination()) != pointeeDestinationSize {
		return nil, wrap.PointeeKey{}, fmt.Errorf("%w: destination of %d bytes", ErrInvalidWelcomePointer, len(v1.GetDestination()))
	}
	key, err := wrap.ParsePointeeKey(v1.GetEncryptionKey(), v1.GetDataNonce(), v1.GetWelcomeMetadataNonce())
	if err != nil {
		return nil, wrap.PointeeKey{}, ErrInvalidWelcomePointer.Wrap(err)
	}
	return v1.GetDestination(), key, nil
}
