package mls

import (
	"errors"
	"fmt"
	"maps"
	"math/bits"
	"slices"
)

// The secret tree (RFC 9420 §9) turns an epoch's encryption_secret into one handshake and one
// application ratchet per member. Secrets are derived lazily, from the root down to the leaf
// of the first message a member sends or receives, and every secret is erased as soon as what
// it derives has been taken, so a compromise later in the epoch reveals no consumed key.

// Bounds of a receiving ratchet.
const (
	// RatchetOutOfOrder is how many generations older than the newest one received stay
	// decryptable; their keys are kept until used or pushed out of this window.
	RatchetOutOfOrder = 5
	// RatchetMaxForward is how far past the next expected generation a message may be.
	// It bounds the work an attacker can cause with one forged generation number.
	RatchetMaxForward = 1000
)

// secretTreeVersion is the version of the serialized form written by MarshalBinary.
const secretTreeVersion = 1

// Secret tree errors.
var (
	// ErrSecretTreeSize means the leaf count is not a power of two between 1 and 2^31.
	ErrSecretTreeSize = errors.New("mls: secret tree size is not a power of two")
	// ErrEncryptionSecretSize means the encryption secret is not Nh bytes long.
	ErrEncryptionSecretSize = errors.New("mls: encryption secret has wrong size")
	// ErrLeafOutOfRange means a leaf index lies outside the tree.
	ErrLeafOutOfRange = errors.New("mls: leaf index outside the tree")
	// ErrGenerationConsumed means the key of a generation was already used or has been
	// erased: a replay, or a message older than the out-of-order window.
	ErrGenerationConsumed = errors.New("mls: ratchet generation already consumed")
	// ErrGenerationTooFar means a generation lies more than RatchetMaxForward ahead.
	ErrGenerationTooFar = errors.New("mls: ratchet generation too far ahead")
	// ErrRatchetExhausted means a ratchet reached the last 32-bit generation.
	ErrRatchetExhausted = errors.New("mls: ratchet generations exhausted")
	// ErrSecretTreeVersion means a serialized secret tree has an unknown version.
	ErrSecretTreeVersion = errors.New("mls: unknown secret tree state version")
	// ErrSecretTreeState means a serialized secret tree is inconsistent.
	ErrSecretTreeState = errors.New("mls: invalid secret tree state")
)

// RatchetType selects one of a member's two ratchets: handshake messages (proposals and
// commits) and application messages advance independently.
type RatchetType uint8

const (
	RatchetHandshake RatchetType = iota
	RatchetApplication
)

func (r RatchetType) label() string {
	if r == RatchetApplication {
		return "application"
	}
	return "handshake"
}

// SecretTree holds what is left of one epoch's secret tree. A member's own messages come back
// from the delivery service undecryptable (their keys were consumed when sending), so the
// caller recognizes them by other means. A SecretTree is not safe for concurrent use.
type SecretTree struct {
	suite CipherSuite
	size  treeSize
	// nodes holds the secrets of the nodes not yet expanded. It stays sparse: at most one
	// node per level on each path that has been walked.
	nodes map[NodeIndex][]byte
	// ratchets holds the ratchets of leaves whose secret has been expanded.
	ratchets map[LeafIndex]*[2]ratchet
}

// ratchet is one member's chain of keys of one type.
type ratchet struct {
	// next is the generation that secret derives.
	next   uint32
	secret []byte
	// skipped keeps the keys of generations below next that were passed over and are
	// still inside the out-of-order window.
	skipped map[uint32]messageKey
}

// messageKey is the AEAD key and nonce of one generation.
type messageKey struct {
	key, nonce []byte
}

// NewSecretTree builds the secret tree of an epoch from its encryption secret, for a ratchet
// tree of leafCount leaves. It keeps its own copy of the secret.
func NewSecretTree(cs CipherSuite, encryptionSecret []byte, leafCount uint32) (*SecretTree, error) {
	if err := cs.Check(); err != nil {
		return nil, err
	}
	if err := checkLeafCount(leafCount); err != nil {
		return nil, err
	}
	if len(encryptionSecret) != cs.HashSize() {
		return nil, ErrEncryptionSecretSize
	}
	t := newSecretTree(cs, treeSize(leafCount))
	t.nodes[t.size.root()] = append([]byte(nil), encryptionSecret...)
	return t, nil
}

// newSecretTree returns a tree of n leaves that holds no secret yet.
func newSecretTree(cs CipherSuite, n treeSize) *SecretTree {
	return &SecretTree{suite: cs, size: n, nodes: map[NodeIndex][]byte{}, ratchets: map[LeafIndex]*[2]ratchet{}}
}

// checkLeafCount accepts the sizes a full ratchet tree can have.
func checkLeafCount(n uint32) error {
	if n == 0 || n > 1<<31 || bits.OnesCount32(n) != 1 {
		return fmt.Errorf("%w: %d leaves", ErrSecretTreeSize, n)
	}
	return nil
}

// leafRatchets returns the ratchets of leaf, deriving them from the lowest stored ancestor
// on first use and erasing each node secret once both its children are derived.
func (t *SecretTree) leafRatchets(leaf LeafIndex) (*[2]ratchet, error) {
	if uint32(leaf) >= uint32(t.size) {
		return nil, fmt.Errorf("%w: leaf %d of %d", ErrLeafOutOfRange, leaf, t.size)
	}
	if r, ok := t.ratchets[leaf]; ok {
		return r, nil
	}
	cs := t.suite
	target := leaf.Node()
	// Walk up from the leaf to the nearest ancestor whose secret is still stored. Expanding a
	// node stores both children, so every leaf without ratchets has exactly one stored node
	// on its path (UnmarshalSecretTree checks this of restored state).
	path := append([]NodeIndex{target}, t.size.directPath(target)...)
	top := 0
	for t.nodes[path[top]] == nil {
		top++
	}
	for i := top; i > 0; i-- {
		p := path[i]
		secret := t.nodes[p]
		t.nodes[p.left()] = cs.ExpandWithLabel(secret, "tree", []byte("left"), cs.HashSize())
		t.nodes[p.right()] = cs.ExpandWithLabel(secret, "tree", []byte("right"), cs.HashSize())
		erase(secret)
		delete(t.nodes, p)
	}
	secret := t.nodes[target]
	r := &[2]ratchet{}
	for _, typ := range []RatchetType{RatchetHandshake, RatchetApplication} {
		r[typ].secret = cs.ExpandWithLabel(secret, typ.label(), nil, cs.HashSize())
	}
	erase(secret)
	delete(t.nodes, target)
	t.ratchets[leaf] = r
	return r, nil
}

// NextKey returns the key, nonce and generation for the next message that leaf sends on
// ratchet typ (RatchetHandshake or RatchetApplication), and moves the ratchet past it: the
// sender's side of the ratchet.
func (t *SecretTree) NextKey(leaf LeafIndex, typ RatchetType) (generation uint32, key, nonce []byte, err error) {
	rs, err := t.leafRatchets(leaf)
	if err != nil {
		return 0, nil, nil, err
	}
	r := &rs[typ]
	generation = r.next
	k, err := r.advance(t.suite)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("leaf %d %s: %w", leaf, typ.label(), err)
	}
	return generation, k.key, k.nonce, nil
}

// Key returns the key and nonce of a received message from leaf on ratchet typ at
// generation, and erases them from the tree: each key opens one message only. Generations
// skipped on the way are kept for RatchetOutOfOrder generations behind the newest.
func (t *SecretTree) Key(leaf LeafIndex, typ RatchetType, generation uint32) (key, nonce []byte, err error) {
	rs, err := t.leafRatchets(leaf)
	if err != nil {
		return nil, nil, err
	}
	k, err := rs[typ].take(t.suite, generation)
	if err != nil {
		return nil, nil, fmt.Errorf("leaf %d %s generation %d: %w", leaf, typ.label(), generation, err)
	}
	return k.key, k.nonce, nil
}

// current derives the key and nonce of generation r.next.
func (r *ratchet) current(cs CipherSuite) messageKey {
	return messageKey{
		key:   cs.DeriveTreeSecret(r.secret, "key", r.next, cs.AEADKeySize()),
		nonce: cs.DeriveTreeSecret(r.secret, "nonce", r.next, cs.AEADNonceSize()),
	}
}

// step replaces the chain secret by the next generation's, erasing the old one.
func (r *ratchet) step(cs CipherSuite) error {
	if r.next == ^uint32(0) {
		return ErrRatchetExhausted
	}
	next := cs.DeriveTreeSecret(r.secret, "secret", r.next, cs.HashSize())
	erase(r.secret)
	r.secret = next
	r.next++
	return nil
}

// advance returns the key of generation r.next and steps past it.
func (r *ratchet) advance(cs CipherSuite) (messageKey, error) {
	k := r.current(cs)
	if err := r.step(cs); err != nil {
		return messageKey{}, err
	}
	return k, nil
}

// take returns the key of generation g and forgets it.
func (r *ratchet) take(cs CipherSuite, g uint32) (messageKey, error) {
	if g < r.next {
		k, ok := r.skipped[g]
		if !ok {
			return messageKey{}, ErrGenerationConsumed
		}
		delete(r.skipped, g)
		return k, nil
	}
	if g-r.next > RatchetMaxForward {
		return messageKey{}, ErrGenerationTooFar
	}
	// Generations more than the window behind g are passed over without deriving their
	// keys; the ones inside it are kept for messages still on their way.
	var oldest uint32
	if g > RatchetOutOfOrder {
		oldest = g - RatchetOutOfOrder
	}
	for r.next < g {
		if r.next >= oldest {
			if r.skipped == nil {
				r.skipped = map[uint32]messageKey{}
			}
			r.skipped[r.next] = r.current(cs)
		}
		if err := r.step(cs); err != nil {
			return messageKey{}, err
		}
	}
	k, err := r.advance(cs)
	if err != nil {
		return messageKey{}, err
	}
	for old, stale := range r.skipped {
		if old < oldest {
			erase(stale.key)
			erase(stale.nonce)
			delete(r.skipped, old)
		}
	}
	return k, nil
}

// erase overwrites a secret that is no longer needed. Go may have copied it elsewhere, so this
// is hygiene, not a guarantee; what makes keys unrecoverable is that no reference remains.
func erase(b []byte) { clear(b) }

// MarshalBinary serializes the remaining state of the tree: the node secrets not yet expanded,
// each ratchet's chain secret and next generation, and the skipped keys still kept. Consumed
// keys are not in it, so persisting the tree keeps forward secrecy.
func (t *SecretTree) MarshalBinary() ([]byte, error) {
	cs := t.suite
	e := NewEncoder(64 + len(t.ratchets)*(2*(cs.HashSize()+8)))
	e.U8(secretTreeVersion)
	e.U16(uint16(cs))
	e.U32(uint32(t.size))
	e.Vector(func(e *Encoder) {
		for _, x := range slices.Sorted(maps.Keys(t.nodes)) {
			e.U32(uint32(x))
			e.Opaque(t.nodes[x])
		}
	})
	e.Vector(func(e *Encoder) {
		for _, leaf := range slices.Sorted(maps.Keys(t.ratchets)) {
			rs := t.ratchets[leaf]
			e.U32(uint32(leaf))
			for _, r := range rs {
				e.U32(r.next)
				e.Opaque(r.secret)
				e.Vector(func(e *Encoder) {
					for g := r.next - min(r.next, RatchetOutOfOrder+1); g < r.next; g++ {
						if k, ok := r.skipped[g]; ok {
							e.U32(g)
							e.Opaque(k.key)
							e.Opaque(k.nonce)
						}
					}
				})
			}
		}
	})
	return e.Bytes(), nil
}

// UnmarshalSecretTree restores a tree serialized by MarshalBinary. It accepts only the
// canonical form (entries in increasing order) and checks every index, size and generation,
// so that corrupted state fails here rather than in the middle of decrypting.
func UnmarshalSecretTree(b []byte) (*SecretTree, error) {
	t, err := decodeSecretTree(NewDecoder(append([]byte(nil), b...)))
	if err != nil {
		return nil, fmt.Errorf("mls: decode secret tree: %w", err)
	}
	return t, nil
}

func decodeSecretTree(d *Decoder) (*SecretTree, error) {
	if v := d.U8(); d.Err() == nil && v != secretTreeVersion {
		return nil, fmt.Errorf("%w: %d", ErrSecretTreeVersion, v)
	}
	cs := CipherSuite(d.U16())
	size := d.U32()
	if err := d.Err(); err != nil {
		return nil, err
	}
	if err := cs.Check(); err != nil {
		return nil, err
	}
	if err := checkLeafCount(size); err != nil {
		return nil, err
	}
	t := newSecretTree(cs, treeSize(size))
	nh, nk, nn := cs.HashSize(), cs.AEADKeySize(), cs.AEADNonceSize()
	bad := func(format string, args ...any) {
		d.Fail(fmt.Errorf("%w: "+format, append([]any{ErrSecretTreeState}, args...)...))
	}
	prevNode := int64(-1)
	d.Vector(func(d *Decoder) {
		x, s := d.U32(), d.Opaque()
		switch {
		case d.Err() != nil:
		case int64(x) <= prevNode || x >= t.size.width() || len(s) != nh:
			bad("node %d", x)
		default:
			t.nodes[NodeIndex(x)] = s
			prevNode = int64(x)
		}
	})
	prevLeaf := int64(-1)
	d.Vector(func(d *Decoder) {
		leaf := d.U32()
		if d.Err() == nil && (int64(leaf) <= prevLeaf || leaf >= uint32(t.size)) {
			bad("leaf %d", leaf)
		}
		prevLeaf = int64(leaf)
		rs := &[2]ratchet{}
		for typ := range rs {
			rs[typ] = decodeRatchet(d, nh, nk, nn)
		}
		if d.Err() == nil {
			t.ratchets[LeafIndex(leaf)] = rs
		}
	})
	if err := d.Finish(); err != nil {
		return nil, err
	}
	if err := t.checkCoverage(); err != nil {
		return nil, err
	}
	return t, nil
}

// decodeRatchet reads one ratchet whose skipped keys must lie, in increasing order, inside
// the out-of-order window below its next generation.
func decodeRatchet(d *Decoder, nh, nk, nn int) ratchet {
	r := ratchet{next: d.U32(), secret: d.Opaque()}
	if d.Err() == nil && len(r.secret) != nh {
		d.Fail(fmt.Errorf("%w: ratchet secret size", ErrSecretTreeState))
	}
	lowest := int64(r.next) - (RatchetOutOfOrder + 1)
	d.Vector(func(d *Decoder) {
		g, key, nonce := d.U32(), d.Opaque(), d.Opaque()
		switch {
		case d.Err() != nil:
		case int64(g) < lowest || g >= r.next || len(key) != nk || len(nonce) != nn:
			d.Fail(fmt.Errorf("%w: skipped generation %d", ErrSecretTreeState, g))
		default:
			if r.skipped == nil {
				r.skipped = map[uint32]messageKey{}
			}
			r.skipped[g] = messageKey{key: key, nonce: nonce}
			lowest = int64(g) + 1
		}
	})
	return r
}

// checkCoverage verifies that the stored nodes and the leaves with ratchets partition the
// leaves: each leaf has its ratchets or exactly one stored node on its path to the root, the
// invariant leafRatchets relies on. No stored node may lie above another or above a leaf with
// ratchets, and together they must cover every leaf.
func (t *SecretTree) checkCoverage() error {
	var covered uint64
	disjoint := func(x NodeIndex) bool {
		for _, p := range t.size.directPath(x) {
			if t.nodes[p] != nil {
				return false
			}
		}
		return true
	}
	for x := range t.nodes {
		if !disjoint(x) {
			return fmt.Errorf("%w: node %d lies under another stored node", ErrSecretTreeState, x)
		}
		covered += 1 << x.level()
	}
	for leaf := range t.ratchets {
		if x := leaf.Node(); t.nodes[x] != nil || !disjoint(x) {
			return fmt.Errorf("%w: leaf %d has ratchets and a stored node", ErrSecretTreeState, leaf)
		}
		covered++
	}
	if covered != uint64(t.size) {
		return fmt.Errorf("%w: %d of %d leaves covered", ErrSecretTreeState, covered, t.size)
	}
	return nil
}
