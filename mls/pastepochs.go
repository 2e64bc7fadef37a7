package mls

import "fmt"

// Past epochs (RFC 9420 §15.2 leaves their retention to the application): application
// messages sent just before a commit arrive after it, so the message keys of the last few
// epochs are kept, with what is needed to check their signatures. Older ones are deleted,
// and with them every key that could open that epoch's messages.

// pastEpoch is what remains of a past epoch: enough to open its application messages.
type pastEpoch struct {
	gc         GroupContext
	senderData []byte
	keys       *SecretTree
	// signers holds each leaf's signature key in that epoch, nil for a blank leaf.
	signers [][]byte
}

// epochView is the key material of one epoch, current or past, that opens its messages.
type epochView struct {
	gc         *GroupContext
	keys       *SecretTree
	senderData []byte
	// signer returns the signature key of a leaf in that epoch, or nil when it is blank.
	signer func(LeafIndex) []byte
}

// epochKeys returns the keys of epoch, which must be the current one or a retained past one.
func (g *Group) epochKeys(epoch uint64) (epochView, error) {
	cur := g.cur
	if epoch == cur.gc.Epoch {
		return epochView{gc: &cur.gc, keys: cur.keys, senderData: cur.secrets.SenderData, signer: func(i LeafIndex) []byte {
			if leaf := cur.tree.Leaf(i); leaf != nil {
				return leaf.SignatureKey
			}
			return nil
		}}, nil
	}
	if epoch > cur.gc.Epoch {
		return epochView{}, fmt.Errorf("%w: epoch %d, group at %d", ErrWrongEpoch, epoch, cur.gc.Epoch)
	}
	for _, p := range g.past {
		if p.gc.Epoch == epoch {
			return epochView{gc: &p.gc, keys: p.keys, senderData: p.senderData, signer: func(i LeafIndex) []byte {
				if int64(i) < int64(len(p.signers)) {
					return p.signers[i]
				}
				return nil
			}}, nil
		}
	}
	return epochView{}, fmt.Errorf("%w: epoch %d, group at %d", ErrEpochUnavailable, epoch, cur.gc.Epoch)
}

// retire moves the current epoch into the past epochs before the next one is installed,
// dropping the oldest beyond the configured number.
func (g *Group) retire() {
	max := g.cfg.maxPastEpochs()
	if max > 0 {
		cur := g.cur
		signers := make([][]byte, cur.tree.LeafCount())
		for i, leaf := range cur.tree.Members() {
			signers[i] = leaf.SignatureKey
		}
		g.past = append(g.past, &pastEpoch{gc: cur.gc, senderData: cur.secrets.SenderData, keys: cur.keys, signers: signers})
	}
	if drop := len(g.past) - max; drop > 0 {
		for _, p := range g.past[:drop] {
			erase(p.senderData)
		}
		g.past = append(g.past[:0:0], g.past[drop:]...)
	}
}
