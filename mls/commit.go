package mls

// Commit applies a list of proposals and, unless every proposal allows omitting it, carries
// an UpdatePath that refreshes the committer's path in the tree (RFC 9420 §12.4).
type Commit struct {
	Proposals []ProposalOrRef
	Path      *UpdatePath
}

// Marshal writes the commit.
func (c *Commit) Marshal(e *Encoder) {
	e.Vector(func(e *Encoder) {
		for i := range c.Proposals {
			c.Proposals[i].Marshal(e)
		}
	})
	e.Optional(c.Path != nil, func(e *Encoder) { c.Path.Marshal(e) })
}

// Unmarshal reads a commit.
func (c *Commit) Unmarshal(d *Decoder) {
	c.Proposals = nil
	d.Vector(func(d *Decoder) {
		var p ProposalOrRef
		p.Unmarshal(d)
		c.Proposals = append(c.Proposals, p)
	})
	c.Path = nil
	if d.Optional() {
		c.Path = new(UpdatePath)
		c.Path.Unmarshal(d)
	}
}

// Encode returns the wire form of the commit.
func (c *Commit) Encode() []byte { return encode(c, 256) }

// DecodeCommit parses a commit.
func DecodeCommit(b []byte) (Commit, error) { return decode[Commit]("commit", b) }

// UpdatePath is the committer's new leaf node and, for each node on its filtered direct path,
// the node's new public key and its path secret encrypted to the node's copath resolution
// (RFC 9420 §7.6).
type UpdatePath struct {
	LeafNode LeafNode
	Nodes    []UpdatePathNode
}

// UpdatePathNode is one step of an UpdatePath.
type UpdatePathNode struct {
	EncryptionKey       []byte
	EncryptedPathSecret []HPKECiphertext
}

// HPKECiphertext is an HPKE-sealed value with its KEM output (RFC 9420 §7.6).
type HPKECiphertext struct {
	KEMOutput  []byte
	Ciphertext []byte
}

// Marshal writes the ciphertext.
func (h *HPKECiphertext) Marshal(e *Encoder) {
	e.Opaque(h.KEMOutput)
	e.Opaque(h.Ciphertext)
}

// Unmarshal reads a ciphertext.
func (h *HPKECiphertext) Unmarshal(d *Decoder) {
	h.KEMOutput = d.Opaque()
	h.Ciphertext = d.Opaque()
}

// Marshal writes the update path.
func (u *UpdatePath) Marshal(e *Encoder) {
	u.LeafNode.Marshal(e)
	e.Vector(func(e *Encoder) {
		for i := range u.Nodes {
			n := &u.Nodes[i]
			e.Opaque(n.EncryptionKey)
			e.Vector(func(e *Encoder) {
				for j := range n.EncryptedPathSecret {
					n.EncryptedPathSecret[j].Marshal(e)
				}
			})
		}
	})
}

// Unmarshal reads an update path.
func (u *UpdatePath) Unmarshal(d *Decoder) {
	u.LeafNode.Unmarshal(d)
	u.Nodes = nil
	d.Vector(func(d *Decoder) {
		var n UpdatePathNode
		n.EncryptionKey = d.Opaque()
		d.Vector(func(d *Decoder) {
			var h HPKECiphertext
			h.Unmarshal(d)
			n.EncryptedPathSecret = append(n.EncryptedPathSecret, h)
		})
		u.Nodes = append(u.Nodes, n)
	})
}
