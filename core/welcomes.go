package core

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/content"
	"github.com/goxmtp/goxmtp/core/permissions"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/mls/parallel"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Welcome batching: one SendWelcomeMessages stays well under the node's 25 MiB request limit
// and its per-request entry cap.
const (
	welcomeBatchBytes   = 16 << 20
	welcomeBatchEntries = 250
)

// welcomeOverhead bounds what one wrapped welcome adds to the Welcome's size: the KEM output
// (1120 bytes for X-Wing), the AEAD tags, the sealed metadata, the keys and the framing.
const welcomeOverhead = 2048

// sendWelcomes wraps a commit's Welcome for each added installation (xmtp-protocol.md §3.3)
// with the id of the commit as the joiner's starting cursor, and sends them in batches that
// stay under the request limit; recipients that resolve welcome pointers get pointers when
// there are enough of them. ahead is the pointers pointersAhead began sealing when the commit
// was made, or nil to seal them now.
func (c *Client) sendWelcomes(ctx context.Context, welcome []byte, recipients []welcomeRecipient, cursor uint64, ahead *pointerSeal) error {
	meta, err := proto.Marshal(&mlsv1.WelcomeMetadata{MessageCursor: cursor})
	if err != nil {
		return fmt.Errorf("welcome metadata: %w", err)
	}
	if ahead == nil {
		ahead = c.pointersAhead(welcome, recipients)
	}
	pointers, direct, err := ahead.wait(ctx)
	if err != nil {
		return err
	}
	var batches []welcomeBatch
	if pointers != nil {
		for _, b := range pointers.batches(welcome, meta) {
			batches = append(batches, func() ([]*mlsv1.WelcomeMessageInput, error) { return b, nil })
		}
	}
	per := max(1, min(welcomeBatchEntries, welcomeBatchBytes/(len(welcome)+welcomeOverhead)))
	for start := 0; start < len(direct); start += per {
		rs := direct[start:min(start+per, len(direct))]
		batches = append(batches, func() ([]*mlsv1.WelcomeMessageInput, error) { return sealWelcomes(welcome, meta, rs) })
	}
	return c.sendWelcomeBatches(ctx, batches)
}

// welcomeBatch seals the inputs of one SendWelcomeMessages request.
type welcomeBatch func() ([]*mlsv1.WelcomeMessageInput, error)

// sealedBatch is a welcomeBatch's result.
type sealedBatch struct {
	inputs []*mlsv1.WelcomeMessageInput
	err    error
}

// sendWelcomeBatches seals and sends the batches in order, sealing the next one while the
// current one uploads: for a large group each takes about as long as the other. It returns
// the error that sealing and sending one batch after the other would meet first, and sends
// nothing after it.
func (c *Client) sendWelcomeBatches(ctx context.Context, batches []welcomeBatch) error {
	sealed := make(chan sealedBatch)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(sealed)
		for _, seal := range batches {
			inputs, err := seal()
			select {
			case sealed <- sealedBatch{inputs, err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for b := range sealed {
		if b.err != nil {
			return b.err
		}
		req := &mlsv1.SendWelcomeMessagesRequest{Messages: b.inputs}
		if err := retryRateLimited(ctx, func() error { return c.opts.API.SendWelcomeMessages(ctx, req) }); err != nil {
			return fmt.Errorf("send welcomes: %w", err)
		}
	}
	return nil
}

// sealWelcomes wraps the welcome for each recipient, on every CPU: wrapping a large group's
// welcome hundreds of times is most of the cost of creating it.
func sealWelcomes(welcome, meta []byte, recipients []welcomeRecipient) ([]*mlsv1.WelcomeMessageInput, error) {
	out := make([]*mlsv1.WelcomeMessageInput, len(recipients))
	err := parallel.ForEach(len(recipients), parallel.CPUs(), func(i int) error {
		r := recipients[i]
		data, metaCT, err := wrap.Seal(wrap.Algorithm(r.Algorithm), r.HPKEPublicKey, welcome, meta)
		if err != nil {
			return fmt.Errorf("wrap welcome for %x: %w", r.InstallationKey, err)
		}
		out[i] = &mlsv1.WelcomeMessageInput{Version: &mlsv1.WelcomeMessageInput_V1_{V1: &mlsv1.WelcomeMessageInput_V1{
			InstallationKey: r.InstallationKey, Data: data, HpkePublicKey: r.HPKEPublicKey,
			WrapperAlgorithm: mlscontents.WelcomeWrapperAlgorithm(r.Algorithm), WelcomeMetadata: metaCT,
		}}}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Sync fetches the welcomes sent to this installation since the last call and joins their
// groups. Welcomes that cannot be opened or whose group breaks XMTP's membership rules are
// skipped. A welcome that used the published key package queues a rotation, done here too.
func (cv *Conversations) Sync(ctx context.Context) error {
	_, err := cv.syncWelcomes(ctx)
	return err
}

// syncWelcomes is Sync, returning the groups joined.
func (cv *Conversations) syncWelcomes(ctx context.Context) ([]*Group, error) {
	cv.joinMu.Lock()
	defer cv.joinMu.Unlock()
	c := cv.c
	cursor, err := cv.welcomeCursor(ctx)
	if err != nil {
		return nil, err
	}
	var joined []*Group
	for {
		req := &mlsv1.QueryWelcomeMessagesRequest{
			InstallationKey: c.InstallationID(),
			PagingInfo:      &mlsv1.PagingInfo{Direction: mlsv1.SortDirection_SORT_DIRECTION_ASCENDING, Limit: queryPageSize, IdCursor: cursor},
		}
		resp, err := c.queryWelcomes(ctx, req)
		if err != nil {
			return joined, err
		}
		for _, w := range resp.GetMessages() {
			g, id, err := cv.processWelcome(ctx, w)
			if err != nil {
				return joined, err
			}
			if id > cursor {
				cursor = id
			}
			if g != nil {
				joined = append(joined, g)
			}
		}
		if len(resp.GetMessages()) < queryPageSize {
			break
		}
	}
	if len(joined) > 0 {
		if err := c.maintainKeyPackages(ctx); err != nil {
			return joined, err
		}
	}
	return joined, nil
}

// queryWelcomes reads a page of a welcome topic, waiting out the node's rate limits.
func (c *Client) queryWelcomes(ctx context.Context, req *mlsv1.QueryWelcomeMessagesRequest) (*mlsv1.QueryWelcomeMessagesResponse, error) {
	var resp *mlsv1.QueryWelcomeMessagesResponse
	err := retryRateLimited(ctx, func() (err error) {
		resp, err = c.opts.API.QueryWelcomeMessages(ctx, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("query welcomes of %x: %w", req.GetInstallationKey(), err)
	}
	return resp, nil
}

func (cv *Conversations) welcomeCursor(ctx context.Context) (uint64, error) {
	b, found, err := cv.c.opts.Store.Get(ctx, tableWelcomeCursor, welcomeCursorID)
	if err != nil {
		return 0, fmt.Errorf("welcome cursor: %w", err)
	}
	if !found {
		return 0, nil
	}
	if len(b) != 8 {
		return 0, fmt.Errorf("%w: welcome cursor", ErrCorruptRecord)
	}
	return binary.BigEndian.Uint64(b), nil
}

func welcomeCursorChange(ch *store.Changes, id uint64) {
	ch.Put(tableWelcomeCursor, welcomeCursorID, binary.BigEndian.AppendUint64(nil, id))
}

// processWelcome joins the group of one welcome, storing it with the welcome cursor in one
// Apply; a welcome that is rejected only moves the cursor. It returns the group joined (nil
// when none) and the welcome's id.
func (cv *Conversations) processWelcome(ctx context.Context, w *mlsv1.WelcomeMessage) (*Group, uint64, error) {
	id, createdNs := w.GetV1().GetId(), w.GetV1().GetCreatedNs()
	if p := w.GetWelcomePointer(); p != nil {
		id, createdNs = p.GetId(), p.GetCreatedNs()
	}
	if id == 0 {
		return nil, 0, nil // a version of WelcomeMessage this client does not know
	}
	m, adder, cursor, err := cv.openWelcome(ctx, w)
	if err != nil {
		if errors.Is(err, ErrInvalidWelcome) || errors.Is(err, ErrInvalidWelcomePointer) || errors.Is(err, ErrMembershipMismatch) {
			return nil, id, cv.skipWelcome(ctx, id)
		}
		return nil, 0, err
	}
	if existing, err := cv.load(ctx, m.GroupID()); err == nil && existing.IsActive() {
		return nil, id, cv.skipWelcome(ctx, id) // already a member: a duplicate
	}
	st, _ := permissions.ReadState(m.Extensions()) // read successfully by openWelcome
	c := cv.c
	self := c.InboxID()
	consent := ConsentUnknown
	if adder == self {
		consent = ConsentAllowed
	} else if byAdder, err := c.InboxConsent(ctx, adder); err != nil {
		return nil, 0, err
	} else if byAdder == ConsentAllowed {
		consent = ConsentAllowed // added by someone the user trusts
	}
	rec := &groupRecord{
		Type: st.Immutable.ConversationType, CreatedAtNs: createdNs, AddedBy: adder, Consent: consent,
		Cursor: cursor, LastActivityNs: createdNs, InstallationsCheckedNs: uint64(c.opts.Now().UnixNano()),
	}
	if st.Immutable.DMMembers != nil {
		rec.DMID = st.Immutable.DMMembers.ID()
	}
	g, err := cv.install(ctx, m, rec, func(g *Group, rec *groupRecord, ch *store.Changes) {
		key := fmt.Sprintf("%d%s", createdNs, content.WelcomeAddedSuffix)
		g.addGroupUpdated(rec, ch, content.GroupUpdated{InitiatedBy: adder, Added: []string{self}}, key, createdNs)
		welcomeCursorChange(ch, id)
	})
	if err != nil {
		return nil, 0, err
	}
	c.mu.Lock()
	next := *c.rec
	next.RotateNeeded = true
	err = c.saveClientRecord(ctx, &next, nil)
	c.mu.Unlock()
	if err != nil {
		return nil, 0, fmt.Errorf("queue key package rotation: %w", err)
	}
	cv.watch.joined(g)
	return g, id, nil
}

func (cv *Conversations) skipWelcome(ctx context.Context, id uint64) error {
	var ch store.Changes
	welcomeCursorChange(&ch, id)
	if err := cv.c.opts.Store.Apply(ctx, ch); err != nil {
		return fmt.Errorf("welcome cursor: %w", err)
	}
	return nil
}

// openWelcome unwraps a welcome (resolving it first when it is a pointer) with the private
// keys of the key package it was sent to, joins the group and checks its tree against the
// members' identities. It returns the group, the inbox that added us (the GroupInfo signer)
// and the cursor to read messages from.
func (cv *Conversations) openWelcome(ctx context.Context, w *mlsv1.WelcomeMessage) (*mls.Group, string, uint64, error) {
	c := cv.c
	var (
		kpRec            *keyPackageRecord
		plain, metaBytes []byte
		err              error
	)
	switch {
	case w.GetV1() != nil:
		kpRec, plain, metaBytes, err = c.unwrapWelcome(ctx, w.GetV1())
	case w.GetWelcomePointer() != nil:
		kpRec, plain, metaBytes, err = c.resolveWelcomePointer(ctx, w.GetWelcomePointer())
	default:
		err = fmt.Errorf("%w: unknown welcome version", ErrInvalidWelcome)
	}
	if err != nil {
		return nil, "", 0, err
	}
	var meta mlsv1.WelcomeMetadata
	if err := proto.Unmarshal(metaBytes, &meta); err != nil {
		return nil, "", 0, ErrInvalidWelcome.Wrap(err)
	}
	msg, err := mls.DecodeMLSMessage(plain)
	if err != nil || msg.Welcome == nil {
		return nil, "", 0, fmt.Errorf("%w: not an MLS welcome", ErrInvalidWelcome)
	}
	kp, err := mls.DecodeKeyPackage(kpRec.KeyPackage)
	if err != nil {
		return nil, "", 0, ErrCorruptRecord.Wrap(err)
	}
	bundle := &mls.KeyPackageBundle{KeyPackage: kp, InitPrivateKey: kpRec.InitPrivate, EncryptionPrivateKey: kpRec.LeafPrivate}
	opened, err := mls.OpenWelcome(c.groupConfig(), msg.Welcome, mls.JoinOptions{KeyPackage: bundle, SignaturePrivateKey: c.signingKey()})
	if err != nil {
		return nil, "", 0, ErrInvalidWelcome.Wrap(err)
	}
	prefetched := c.prefetchMembers(ctx, opened.UnverifiedExtensions())
	m, signer, err := opened.Join()
	if err != nil {
		return nil, "", 0, ErrInvalidWelcome.Wrap(err)
	}
	adder, err := adderInbox(m, signer)
	if err != nil {
		return nil, "", 0, err
	}
	st, err := permissions.ReadState(m.Extensions())
	if err != nil {
		return nil, "", 0, ErrInvalidWelcome.Wrap(err)
	}
	<-prefetched
	if err := c.checkTreeMembership(ctx, st.Membership, leafInboxes(m)); err != nil {
		return nil, "", 0, err
	}
	return m, adder, meta.GetMessageCursor(), nil
}

// prefetchMembers starts loading the identities of the members a welcome's group context
// names, before the join has verified it, so that the lookups (round trips to the node for
// a large group) overlap validating the group's tree; checkTreeMembership then finds them
// cached, and meets again any error they had. The channel closes when they are done.
func (c *Client) prefetchMembers(ctx context.Context, unverified mls.Extensions) <-chan struct{} {
	done := make(chan struct{})
	st, err := permissions.ReadState(unverified)
	if err != nil {
		close(done)
		return done
	}
	go func() {
		defer close(done)
		_, _ = c.history.statesAt(ctx, st.Membership.Members)
	}()
	// js/wasm runs one goroutine until it blocks: let the lookup send its first request
	// before the join's CPU work starts.
	runtime.Gosched()
	return done
}

// unwrapWelcome opens a V1 welcome with the key package it names by the key it was wrapped
// to, returning the package's record, the Welcome MLSMessage and the WelcomeMetadata bytes.
func (c *Client) unwrapWelcome(ctx context.Context, v1 *mlsv1.WelcomeMessage_V1) (*keyPackageRecord, []byte, []byte, error) {
	alg := wrap.Algorithm(v1.GetWrapperAlgorithm())
	kpRec, priv, err := c.keyPackageFor(ctx, alg, v1.GetHpkePublicKey())
	if err != nil {
		return nil, nil, nil, err
	}
	plain, meta, err := wrap.Open(alg, priv, v1.GetData(), v1.GetWelcomeMetadata())
	if err != nil {
		return nil, nil, nil, ErrInvalidWelcome.Wrap(err)
	}
	return kpRec, plain, meta, nil
}

// keyPackageFor finds the key package a welcome (or pointer) was wrapped to, by the public
// key the sender names, as libxmtp does: the init key for Curve25519, the key of extension
// 0xff03 for X-Wing. It returns the package's record and the private key of that algorithm.
func (c *Client) keyPackageFor(ctx context.Context, alg wrap.Algorithm, pub []byte) (*keyPackageRecord, []byte, error) {
	initKey := pub
	switch alg {
	case wrap.Unspecified, wrap.Curve25519:
	case wrap.XWing:
		k, found, err := c.opts.Store.Get(ctx, tableKeyPackageXWing, pub)
		if err != nil {
			return nil, nil, fmt.Errorf("key package lookup: %w", err)
		}
		if !found {
			return nil, nil, fmt.Errorf("%w: no key package for its X-Wing key", ErrInvalidWelcome)
		}
		initKey = k
	default:
		return nil, nil, fmt.Errorf("%w: wrapped with %v", ErrInvalidWelcome, alg)
	}
	b, found, err := c.opts.Store.Get(ctx, tableKeyPackages, initKey)
	if err != nil {
		return nil, nil, fmt.Errorf("key package lookup: %w", err)
	}
	if !found {
		return nil, nil, fmt.Errorf("%w: no key package for its key", ErrInvalidWelcome)
	}
	rec, err := decodeKeyPackageRecord(b)
	if err != nil {
		return nil, nil, err
	}
	if alg != wrap.XWing {
		return rec, rec.InitPrivate, nil
	}
	if len(rec.XWingSeed) == 0 {
		return nil, nil, fmt.Errorf("%w: its key package has no X-Wing key", ErrInvalidWelcome)
	}
	return rec, rec.XWingSeed, nil
}

// adderInbox returns the inbox of the member that signed the welcome's GroupInfo, at leaf
// signer of the group joined: the member that added us.
func adderInbox(m *mls.Group, signer mls.LeafIndex) (string, error) {
	member := m.Member(signer)
	if member == nil {
		return "", fmt.Errorf("%w: signer is not a member", ErrInvalidWelcome)
	}
	inbox, err := credentialInbox(member)
	if err != nil {
		return "", ErrInvalidWelcome.Wrap(err)
	}
	return inbox, nil
}
