package mls

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"maps"
	"slices"
)

// The serialized group state: what a client stores between sessions. It holds every secret
// the member still needs (and no consumed message key), so it must be stored encrypted. The
// GroupConfig is not in it; the caller supplies it again to UnmarshalGroup.

// groupStateVersion is the version of the serialized form; a change of layout bumps it.
const groupStateVersion = 1

// MarshalBinary serializes the group's state.
func (g *Group) MarshalBinary() ([]byte, error) {
	cur := g.cur
	e := NewEncoder(2048 + 512*int(cur.tree.LeafCount()))
	e.U8(groupStateVersion)
	cur.gc.Marshal(e)
	cur.tree.RatchetTree().Marshal(e)
	cur.priv.Marshal(e)
	e.Opaque(g.signPriv[:ed25519.SeedSize])
	for _, s := range cur.secrets.stored() {
		e.Opaque(*s)
	}
	keys, err := cur.keys.MarshalBinary()
	if err != nil {
		return nil, err
	}
	e.Opaque(keys)
	e.Opaque(cur.interim)
	e.Opaque(cur.confirmationTag)
	e.Vector(func(e *Encoder) {
		for _, p := range g.pending {
			e.Opaque(p.ref)
			p.sender.Marshal(e)
			MarshalProposal(e, p.proposal)
		}
	})
	e.Vector(func(e *Encoder) {
		for _, ref := range slices.Sorted(maps.Keys(g.ownUpdates)) {
			e.Opaque([]byte(ref))
			e.Opaque(g.ownUpdates[ref])
		}
	})
	var pastErr error
	e.Vector(func(e *Encoder) {
		for _, p := range g.past {
			p.gc.Marshal(e)
			e.Opaque(p.senderData)
			keys, err := p.keys.MarshalBinary()
			if err != nil {
				pastErr = err
			}
			e.Opaque(keys)
			e.Vector(func(e *Encoder) {
				for _, s := range p.signers {
					e.Optional(s != nil, func(e *Encoder) { e.Opaque(s) })
				}
			})
		}
	})
	if pastErr != nil {
		return nil, pastErr
	}
	e.Vector(func(e *Encoder) {
		for _, r := range g.resumption {
			e.U64(r.epoch)
			e.Opaque(r.secret)
		}
	})
	e.U8(uint8(g.ended))
	e.U64(g.endedEpoch)
	return e.Bytes(), nil
}

// stored lists the epoch secrets that outlive the epoch's start, in serialized order (the
// encryption secret is gone once the secret tree is built).
func (s *EpochSecrets) stored() []*[]byte {
	return []*[]byte{&s.SenderData, &s.Exporter, &s.External, &s.Confirmation, &s.Membership, &s.Resumption, &s.Authenticator, &s.Init}
}

// UnmarshalGroup restores a group serialized by MarshalBinary, with cfg as its configuration.
// It checks the state's consistency (suite, sizes, own leaf and keys, epochs), so corrupted
// storage fails here and not in the middle of a commit.
func UnmarshalGroup(cfg GroupConfig, b []byte) (*Group, error) {
	g, err := decodeGroup(cfg, NewDecoder(bytes.Clone(b)))
	if err != nil {
		return nil, fmt.Errorf("mls: decode group state: %w", err)
	}
	return g, nil
}

func decodeGroup(cfg GroupConfig, d *Decoder) (*Group, error) {
	if v := d.U8(); d.Err() == nil && v != groupStateVersion {
		return nil, fmt.Errorf("%w: %d", ErrGroupStateVersion, v)
	}
	cur := &epochState{}
	cur.gc.Unmarshal(d)
	if err := d.Err(); err != nil {
		return nil, err
	}
	cs := cur.gc.CipherSuite
	if err := cs.Check(); err != nil {
		return nil, err
	}
	var rt RatchetTree
	rt.Unmarshal(d)
	cur.priv = new(PrivateTree)
	cur.priv.Unmarshal(d)
	seed := d.Opaque()
	cur.secrets = &EpochSecrets{Suite: cs}
	for _, s := range cur.secrets.stored() {
		*s = d.Opaque()
	}
	keys := d.Opaque()
	cur.interim = d.Opaque()
	cur.confirmationTag = d.Opaque()
	g := &Group{cfg: cfg, cur: cur}
	d.Vector(func(d *Decoder) {
		var p pendingProposal
		p.ref = d.Opaque()
		p.sender.Unmarshal(d)
		p.proposal = UnmarshalProposal(d)
		g.pending = append(g.pending, p)
	})
	d.Vector(func(d *Decoder) {
		ref, priv := d.Opaque(), d.Opaque()
		if g.ownUpdates == nil {
			g.ownUpdates = map[string][]byte{}
		}
		g.ownUpdates[string(ref)] = priv
	})
	var pastKeys [][]byte
	d.Vector(func(d *Decoder) {
		p := &pastEpoch{}
		p.gc.Unmarshal(d)
		p.senderData = d.Opaque()
		pastKeys = append(pastKeys, d.Opaque())
		d.Vector(func(d *Decoder) {
			var s []byte
			if d.Optional() {
				s = d.Opaque()
			}
			p.signers = append(p.signers, s)
		})
		g.past = append(g.past, p)
	})
	d.Vector(func(d *Decoder) {
		g.resumption = append(g.resumption, resumptionSecret{epoch: d.U64(), secret: d.Opaque()})
	})
	g.ended = endReason(d.U8())
	g.endedEpoch = d.U64()
	if err := d.Finish(); err != nil {
		return nil, err
	}
	var err error
	if cur.tree, err = NewTree(cs, rt); err != nil {
		return nil, err
	}
	if cur.keys, err = UnmarshalSecretTree(keys); err != nil {
		return nil, err
	}
	for k, p := range g.past {
		if p.keys, err = UnmarshalSecretTree(pastKeys[k]); err != nil {
			return nil, err
		}
	}
	if g.signPriv, err = cs.ExpandSignatureKey(seed); err != nil {
		return nil, err
	}
	if err := g.checkState(); err != nil {
		return nil, err
	}
	return g, nil
}

// checkState checks what a decoded state must satisfy for the Group's methods to be safe.
func (g *Group) checkState() error {
	cur := g.cur
	cs := cur.gc.CipherSuite
	nh := cs.HashSize()
	for _, s := range cur.secrets.stored() {
		if len(*s) != nh {
			return fmt.Errorf("%w: epoch secret size", ErrGroupState)
		}
	}
	if len(cur.interim) != nh || len(cur.confirmationTag) != nh {
		return fmt.Errorf("%w: transcript hash size", ErrGroupState)
	}
	own := cur.tree.Leaf(cur.priv.Leaf)
	switch {
	case g.ended > endReInit:
		return fmt.Errorf("%w: activity %d", ErrGroupState, g.ended)
	case own == nil:
		return fmt.Errorf("%w: own leaf %d is blank", ErrGroupState, cur.priv.Leaf)
	case !bytes.Equal(own.SignatureKey, g.signPriv[ed25519.SeedSize:]):
		return ErrSignatureKeyMismatch
	case cur.keys.suite != cs || uint32(cur.keys.size) != cur.tree.LeafCount():
		return fmt.Errorf("%w: secret tree does not fit the ratchet tree", ErrGroupState)
	}
	for x := range cur.priv.nodes {
		if int(x) >= len(cur.tree.nodes) {
			return fmt.Errorf("%w: private key for node %d outside the tree", ErrGroupState, x)
		}
	}
	for _, p := range g.pending {
		if p.proposal == nil || len(p.ref) != nh {
			return fmt.Errorf("%w: pending proposal", ErrGroupState)
		}
	}
	last := int64(-1)
	for _, p := range g.past {
		if p.gc.CipherSuite != cs || p.keys.suite != cs || int64(p.gc.Epoch) <= last || p.gc.Epoch >= cur.gc.Epoch ||
			len(p.senderData) != nh || uint32(p.keys.size) != uint32(len(p.signers)) {
			return fmt.Errorf("%w: past epoch", ErrGroupState)
		}
		last = int64(p.gc.Epoch)
	}
	for _, r := range g.resumption {
		if len(r.secret) != nh || r.epoch >= cur.gc.Epoch {
			return fmt.Errorf("%w: resumption secret", ErrGroupState)
		}
	}
	return nil
}
