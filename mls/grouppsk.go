package mls

// Pre-shared keys in a group (RFC 9420 §8.4): a commit's PreSharedKey proposals name keys
// that every member must hold. Resumption PSKs of this group's recent epochs are kept by the
// group state; external PSKs and other groups' resumption PSKs come from GroupConfig.PSKs.

// keepResumption records the current epoch's resumption secret before the epoch ends,
// keeping as many past ones as past epochs (at least one).
func (g *Group) keepResumption() {
	g.resumption = append(g.resumption, resumptionSecret{epoch: g.cur.gc.Epoch, secret: g.cur.secrets.Resumption})
	if drop := len(g.resumption) - max(1, g.cfg.maxPastEpochs()); drop > 0 {
		g.resumption = append(g.resumption[:0:0], g.resumption[drop:]...)
	}
}

// groupPSKs answers PSK lookups for a group: its own resumption secrets first, then the
// configured source.
type groupPSKs struct{ g *Group }

func (s groupPSKs) ExternalPSK(id []byte) ([]byte, bool) {
	if s.g.cfg.PSKs == nil {
		return nil, false
	}
	return s.g.cfg.PSKs.ExternalPSK(id)
}

func (s groupPSKs) ResumptionPSK(groupID []byte, epoch uint64) ([]byte, bool) {
	g := s.g
	if string(groupID) == string(g.cur.gc.GroupID) {
		if epoch == g.cur.gc.Epoch && g.cur.secrets.Resumption != nil {
			return g.cur.secrets.Resumption, true
		}
		for _, r := range g.resumption {
			if r.epoch == epoch {
				return r.secret, true
			}
		}
	}
	if g.cfg.PSKs == nil {
		return nil, false
	}
	return g.cfg.PSKs.ResumptionPSK(groupID, epoch)
}

// pskSecret resolves and checks the PSKs of a commit and chains them into the psk_secret.
func (g *Group) pskSecret(ids []PreSharedKeyID) ([]byte, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	cs := g.cur.gc.CipherSuite
	psks, err := cs.ResolvePSKs(ids, ResumptionApplication, groupPSKs{g})
	if err != nil {
		return nil, err
	}
	return cs.PSKSecret(psks)
}

// ExternalPSKID returns the id of an external PSK with a fresh nonce, for CommitOptions.PSKs
// or a PreSharedKey proposal.
func (g *Group) ExternalPSKID(id []byte) (PreSharedKeyID, error) {
	return g.pskID(PreSharedKeyID{Type: PSKExternal, ID: id})
}

// ResumptionPSKID returns the id of this group's resumption PSK of epoch (the current one or
// a retained past one) with a fresh nonce.
func (g *Group) ResumptionPSKID(epoch uint64) (PreSharedKeyID, error) {
	return g.pskID(PreSharedKeyID{Type: PSKResumption, Usage: ResumptionApplication, GroupID: g.cur.gc.GroupID, Epoch: epoch})
}

func (g *Group) pskID(id PreSharedKeyID) (PreSharedKeyID, error) {
	nonce, err := g.cur.gc.CipherSuite.NewPSKNonce(g.cfg.rand())
	if err != nil {
		return PreSharedKeyID{}, err
	}
	id.Nonce = nonce
	return id, nil
}
