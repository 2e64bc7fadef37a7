package mls

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/goxmtp/goxmtp/mls/parallel"
)

// Validation of leaf nodes (RFC 9420 §7.3) and of a whole tree received when joining
// (§12.4.3.1). Each rule has its own error so that callers and tests can tell them apart.

// Tree and leaf validation errors.
var (
	// ErrTreeHashMismatch reports a tree whose root hash is not the group context's tree_hash.
	ErrTreeHashMismatch = errors.New("mls: tree hash does not match the group context")
	// ErrLeafSourceMismatch reports a leaf node whose source is wrong for where it appears
	// (update for an Update proposal, commit for an UpdatePath).
	ErrLeafSourceMismatch = errors.New("mls: leaf node source not allowed here")
	// ErrLeafCredentialUnlisted reports a leaf whose own capabilities omit its credential type.
	ErrLeafCredentialUnlisted = errors.New("mls: leaf capabilities omit its credential type")
	// ErrLeafExtensionUnsupported reports a leaf carrying an extension its capabilities omit.
	ErrLeafExtensionUnsupported = errors.New("mls: leaf carries an extension its capabilities omit")
	// ErrLeafRequiredCapabilities reports a leaf lacking a capability the group requires.
	ErrLeafRequiredCapabilities = errors.New("mls: leaf lacks the group's required capabilities")
	// ErrLeafCredential reports a credential the application's policy rejected.
	ErrLeafCredential = errors.New("mls: leaf credential rejected")
	// ErrCredentialTypeUnsupported reports a credential type some member cannot handle, or a
	// leaf that cannot handle a credential type in use.
	ErrCredentialTypeUnsupported = errors.New("mls: credential type not supported by every member")
	// ErrDuplicateEncryptionKey reports an HPKE public key that appears in two nodes.
	ErrDuplicateEncryptionKey = errors.New("mls: encryption key appears in more than one node")
	// ErrDuplicateSignatureKey reports a signature key shared by two members.
	ErrDuplicateSignatureKey = errors.New("mls: signature key used by more than one member")
	// ErrUnmergedLeavesUnsorted reports an unmerged_leaves list not in strictly increasing order.
	ErrUnmergedLeavesUnsorted = errors.New("mls: unmerged leaves not sorted")
	// ErrUnmergedLeafNotDescendant reports an unmerged leaf outside the parent's subtree.
	ErrUnmergedLeafNotDescendant = errors.New("mls: unmerged leaf not below its parent node")
	// ErrUnmergedLeafBlank reports an unmerged leaf that is blank.
	ErrUnmergedLeafBlank = errors.New("mls: unmerged leaf is blank")
	// ErrUnmergedLeafMissing reports a non-blank node between an unmerged leaf and the parent
	// listing it that does not list the leaf too.
	ErrUnmergedLeafMissing = errors.New("mls: unmerged leaf missing from an intermediate node")
)

// LeafPolicy is what leaf validation needs beyond the group context: the application's
// decisions, which RFC 9420 leaves to it.
type LeafPolicy struct {
	// Now, when set, is the time within which a key_package leaf's lifetime must lie. RFC
	// 9420 §7.3 only recommends this for received leaves, which may have expired in transit.
	Now time.Time
	// CheckCredential, when set, decides whether a leaf's credential is valid for its
	// signature key (§5.3.1); XMTP checks the inbox association here.
	CheckCredential func(leaf *LeafNode) error
}

// ValidateLeaf checks a leaf node that is to occupy leaf i of the group described by gc
// (RFC 9420 §7.3): its source (when want is not 0), key sizes, signature, capabilities,
// lifetime, credential, and the keys and credential types of the other members. For an Add,
// i is the leaf it will take (FreeLeaf); validate and add new members one at a time so that
// they are checked against each other too. A leaf replacing the one at i may keep its
// signature key but never its encryption key.
func (t *Tree) ValidateLeaf(leaf *LeafNode, i LeafIndex, want LeafNodeSource, gc *GroupContext, pol *LeafPolicy) error {
	if want != 0 && leaf.Source != want {
		return fmt.Errorf("mls: validate leaf %d: %w: %d, want %d", i, ErrLeafSourceMismatch, leaf.Source, want)
	}
	if err := t.checkLeaf(leaf, i, gc, pol); err != nil {
		return fmt.Errorf("mls: validate leaf %d: %w", i, err)
	}
	if err := t.checkLeafFitsGroup(leaf, i); err != nil {
		return fmt.Errorf("mls: validate leaf %d: %w", i, err)
	}
	return nil
}

// checkLeaf runs the checks that concern the leaf alone and the group context.
func (t *Tree) checkLeaf(leaf *LeafNode, i LeafIndex, gc *GroupContext, pol *LeafPolicy) error {
	return t.checkLeafSigned(leaf, gc, pol, func() error { return leaf.VerifySignature(t.suite, gc.GroupID, uint32(i)) })
}

// checkLeafSigned is checkLeaf with the signature check given, so that a whole tree's
// signatures can be verified at once, on every CPU, and still be reported in the same order
// among the other checks.
func (t *Tree) checkLeafSigned(leaf *LeafNode, gc *GroupContext, pol *LeafPolicy, verifySignature func() error) error {
	if err := leaf.checkKeySizes(t.suite); err != nil {
		return err
	}
	if err := verifySignature(); err != nil {
		return err
	}
	caps := &leaf.Capabilities
	if !slices.Contains(caps.Credentials, leaf.Credential.Type) {
		return fmt.Errorf("%w: %d", ErrLeafCredentialUnlisted, leaf.Credential.Type)
	}
	for _, ext := range leaf.Extensions {
		if !caps.SupportsExtension(ext.Type) {
			return fmt.Errorf("%w: 0x%04x", ErrLeafExtensionUnsupported, uint16(ext.Type))
		}
	}
	if data, ok := gc.Extensions.Find(ExtensionRequiredCapabilities); ok {
		req, err := DecodeRequiredCapabilities(data)
		if err != nil {
			return err
		}
		if !req.SatisfiedBy(caps) {
			return ErrLeafRequiredCapabilities
		}
	}
	if pol == nil {
		return nil
	}
	if lt := leaf.Lifetime; leaf.Source == LeafNodeSourceKeyPackage && !pol.Now.IsZero() {
		if now := pol.Now.Unix(); now < 0 || uint64(now) < lt.NotBefore || uint64(now) > lt.NotAfter {
			return fmt.Errorf("%w: %d to %d at %d", ErrLifetimeWindow, lt.NotBefore, lt.NotAfter, now)
		}
	}
	if pol.CheckCredential != nil {
		if err := pol.CheckCredential(leaf); err != nil {
			return fmt.Errorf("%w: %w", ErrLeafCredential, err)
		}
	}
	return nil
}

// checkLeafFitsGroup checks a leaf for position i against the rest of the tree: its
// encryption key new to every node, its signature key unused by other members, and
// credential types understood both ways.
func (t *Tree) checkLeafFitsGroup(leaf *LeafNode, i LeafIndex) error {
	for x, n := range t.nodes {
		if n == nil {
			continue
		}
		if bytes.Equal(t.encryptionKey(NodeIndex(x)), leaf.EncryptionKey) {
			return fmt.Errorf("%w: node %d", ErrDuplicateEncryptionKey, x)
		}
		if n.Leaf == nil || NodeIndex(x) == i.Node() {
			continue
		}
		if bytes.Equal(n.Leaf.SignatureKey, leaf.SignatureKey) {
			return fmt.Errorf("%w: leaf %d", ErrDuplicateSignatureKey, x/2)
		}
		if !slices.Contains(n.Leaf.Capabilities.Credentials, leaf.Credential.Type) ||
			!slices.Contains(leaf.Capabilities.Credentials, n.Leaf.Credential.Type) {
			return fmt.Errorf("%w: leaf %d", ErrCredentialTypeUnsupported, x/2)
		}
	}
	return nil
}

// Validate checks a tree received when joining the group described by gc (RFC 9420
// §12.4.3.1): its hash is gc's tree_hash, every parent node is parent-hash valid, every leaf
// is valid, unmerged leaves are consistent, and no key appears twice.
func (t *Tree) Validate(gc *GroupContext, pol *LeafPolicy) error {
	if err := t.validate(gc, pol); err != nil {
		return fmt.Errorf("mls: validate ratchet tree: %w", err)
	}
	return nil
}

func (t *Tree) validate(gc *GroupContext, pol *LeafPolicy) error {
	h := t.treeHashes()
	if !bytes.Equal(h[t.size().root()], gc.TreeHash) {
		return ErrTreeHashMismatch
	}
	if err := t.checkUnmergedLeaves(); err != nil {
		return err
	}
	if err := t.checkKeysUnique(); err != nil {
		return err
	}
	inUse := map[CredentialType]bool{}
	var (
		index  []LeafIndex
		leaves []*LeafNode
	)
	for i, leaf := range t.Members() {
		inUse[leaf.Credential.Type] = true
		index, leaves = append(index, i), append(leaves, leaf)
	}
	signatures := make([]error, len(leaves))
	_ = parallel.ForEach(len(leaves), parallel.CPUs(), func(k int) error {
		signatures[k] = leaves[k].VerifySignature(t.suite, gc.GroupID, uint32(index[k]))
		return nil // reported in order below
	})
	for k, leaf := range leaves {
		i := index[k]
		if err := t.checkLeafSigned(leaf, gc, pol, func() error { return signatures[k] }); err != nil {
			return fmt.Errorf("leaf %d: %w", i, err)
		}
		for typ := range inUse {
			if !slices.Contains(leaf.Capabilities.Credentials, typ) {
				return fmt.Errorf("%w: leaf %d lacks type %d", ErrCredentialTypeUnsupported, i, typ)
			}
		}
	}
	return t.verifyParentHashes(h)
}

// checkUnmergedLeaves checks every parent's unmerged_leaves: sorted, each a member below
// the parent and listed by every non-blank node in between. Sortedness is checked for all
// lists first so that membership can be looked up by binary search.
func (t *Tree) checkUnmergedLeaves() error {
	for x := NodeIndex(1); int(x) < len(t.nodes); x += 2 {
		if p := t.parent(x); p != nil && !strictlyIncreasing(p.UnmergedLeaves) {
			return fmt.Errorf("%w: node %d", ErrUnmergedLeavesUnsorted, x)
		}
	}
	n := t.size()
	for x := NodeIndex(1); int(x) < len(t.nodes); x += 2 {
		p := t.parent(x)
		if p == nil {
			continue
		}
		for _, u := range p.UnmergedLeaves {
			leaf := LeafIndex(u)
			if u >= uint32(n) || !x.covers(leaf.Node()) {
				return fmt.Errorf("%w: leaf %d under node %d", ErrUnmergedLeafNotDescendant, u, x)
			}
			if t.nodes[leaf.Node()] == nil {
				return fmt.Errorf("%w: leaf %d under node %d", ErrUnmergedLeafBlank, u, x)
			}
			for _, y := range n.directPath(leaf.Node()) {
				if y == x {
					break
				}
				if q := t.parent(y); q != nil {
					if _, found := slices.BinarySearch(q.UnmergedLeaves, u); !found {
						return fmt.Errorf("%w: leaf %d at node %d", ErrUnmergedLeafMissing, u, y)
					}
				}
			}
		}
	}
	return nil
}

// strictlyIncreasing reports whether v is sorted without repeats.
func strictlyIncreasing(v []uint32) bool {
	for k := 1; k < len(v); k++ {
		if v[k] <= v[k-1] {
			return false
		}
	}
	return true
}

// checkKeysUnique requires every encryption key in the tree, and every member's signature
// key, to be distinct (RFC 9420 §7.3, §12.4.3.1).
func (t *Tree) checkKeysUnique() error {
	enc := make(map[string]NodeIndex, len(t.nodes))
	sig := make(map[string]NodeIndex, len(t.nodes)/2+1)
	for i, n := range t.nodes {
		if n == nil {
			continue
		}
		x := NodeIndex(i)
		if y, dup := enc[string(t.encryptionKey(x))]; dup {
			return fmt.Errorf("%w: nodes %d and %d", ErrDuplicateEncryptionKey, y, x)
		}
		enc[string(t.encryptionKey(x))] = x
		if n.Leaf == nil {
			continue
		}
		if y, dup := sig[string(n.Leaf.SignatureKey)]; dup {
			return fmt.Errorf("%w: leaves %d and %d", ErrDuplicateSignatureKey, y.leaf(), x.leaf())
		}
		sig[string(n.Leaf.SignatureKey)] = x
	}
	return nil
}
