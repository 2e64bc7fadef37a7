package core

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/identity"
	"github.com/goxmtp/goxmtp/core/metadata"
	"github.com/goxmtp/goxmtp/core/store"
	"github.com/goxmtp/goxmtp/core/wrap"
	"github.com/goxmtp/goxmtp/mls"
	"github.com/goxmtp/goxmtp/mls/parallel"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// installationCheckInterval is how often sync checks the members' identities for added or
// revoked installations (libxmtp SYNC_UPDATE_INSTALLATIONS_INTERVAL_NS in production).
const installationCheckInterval = 30 * time.Minute

// MaxGroupSize is the most member inboxes a group may have. libxmtp 1.11 refuses to add past
// 250, client-side and only by address; goxmtp allows 400 (core/groupsize_test.go and
// js/test/interop-groupsize.test.mjs pin both).
const MaxGroupSize = 400

// expectedInstallations is the installation set a membership implies: every installation of
// each member inbox at its sequence id, minus the failed installations, mapped to its inbox.
func (c *Client) expectedInstallations(ctx context.Context, m metadata.Membership) (map[string]string, error) {
	states, err := c.history.statesAt(ctx, m.Members)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for inbox, st := range states {
		for _, k := range st.Installations() {
			out[string(k)] = inbox
		}
	}
	for _, f := range m.FailedInstallations {
		delete(out, string(f))
	}
	return out, nil
}

// checkTreeMembership verifies that leaves (signature key → credential inbox) are exactly
// the installations the membership implies, each under the inbox that owns it.
func (c *Client) checkTreeMembership(ctx context.Context, m metadata.Membership, leaves map[string]string) error {
	want, err := c.expectedInstallations(ctx, m)
	if err != nil {
		return err
	}
	if len(want) != len(leaves) {
		return fmt.Errorf("%w: %d installations in the tree, %d expected", ErrMembershipMismatch, len(leaves), len(want))
	}
	for key, inbox := range leaves {
		if owner, ok := want[key]; !ok || owner != inbox {
			return fmt.Errorf("%w: installation %x of %q is not expected", ErrMembershipMismatch, []byte(key), inbox)
		}
	}
	return nil
}

// membershipCommit turns a target membership into the proposals that reach it from the
// current tree: installations expected but absent are added (their key packages fetched and
// verified; those that fail are recorded in target's failed installations), installations
// present but no longer expected are removed. It returns the completed target too.
func (g *Group) membershipCommit(ctx context.Context, target metadata.Membership) (metadata.Membership, []mls.KeyPackage, []mls.LeafIndex, error) {
	target = target.Clone()
	want, err := g.c.expectedInstallations(ctx, target)
	if err != nil {
		return target, nil, nil, err
	}
	members := g.mls.Members()
	present := map[string]bool{}
	var removes []mls.LeafIndex
	for idx, leaf := range members {
		present[string(leaf.SignatureKey)] = true
		if _, ok := want[string(leaf.SignatureKey)]; !ok && idx != g.mls.OwnLeafIndex() {
			removes = append(removes, idx)
		}
	}
	slices.Sort(removes)
	var missing [][]byte
	for key := range want {
		if !present[key] {
			missing = append(missing, []byte(key))
		}
	}
	slices.SortFunc(missing, bytes.Compare)
	adds, failed, err := g.c.fetchKeyPackages(ctx, missing, want)
	if err != nil {
		return target, nil, nil, err
	}
	target.FailedInstallations = append(target.FailedInstallations, failed...)
	return target, adds, removes, nil
}

// fetchKeyPackages fetches and verifies the key packages of installations (owner maps each
// to its inbox). Packages that are missing, expired, badly signed, or whose credential or
// signature key is not the installation's are returned as failed, as libxmtp records them.
func (c *Client) fetchKeyPackages(ctx context.Context, installations [][]byte, owner map[string]string) ([]mls.KeyPackage, [][]byte, error) {
	if len(installations) == 0 {
		return nil, nil, nil
	}
	var resp *mlsv1.FetchKeyPackagesResponse
	err := retryRateLimited(ctx, func() (err error) {
		resp, err = c.opts.API.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{InstallationKeys: installations})
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fetch key packages: %w", err)
	}
	got := resp.GetKeyPackages()
	verified := make([]*mls.KeyPackage, len(installations))
	_ = parallel.ForEach(len(installations), parallel.CPUs(), func(i int) error {
		if i < len(got) {
			if kp, err := c.verifyKeyPackage(got[i].GetKeyPackageTlsSerialized(), installations[i], owner[string(installations[i])]); err == nil {
				verified[i] = &kp
			}
		}
		return nil // a package that fails is recorded as failed below
	})
	var (
		adds   []mls.KeyPackage
		failed [][]byte
	)
	for i, kp := range verified {
		if kp == nil {
			failed = append(failed, installations[i])
		} else {
			adds = append(adds, *kp)
		}
	}
	return adds, failed, nil
}

func (c *Client) verifyKeyPackage(b, installation []byte, inbox string) (mls.KeyPackage, error) {
	kp, err := mls.DecodeKeyPackage(b)
	if err != nil {
		return mls.KeyPackage{}, err
	}
	if err := kp.Verify(c.opts.Now(), mls.KeyPackageLifetime+mls.KeyPackageBackdate); err != nil {
		return mls.KeyPackage{}, err
	}
	if !bytes.Equal(kp.LeafNode.SignatureKey, installation) {
		return mls.KeyPackage{}, fmt.Errorf("%w: key package of another installation", ErrMembershipMismatch)
	}
	if got, err := identity.CredentialInboxID(kp.LeafNode.Credential); err != nil || got != inbox {
		return mls.KeyPackage{}, fmt.Errorf("%w: key package credential", ErrMembershipMismatch)
	}
	return kp, nil
}

// welcomeRecipientOf is where the welcome for an added key package goes: X-Wing to the key
// of extension 0xff03 when the package advertises it (and a pointer when it also advertises
// 0xff04), else Curve25519 to its init key.
func welcomeRecipientOf(kp *mls.KeyPackage) welcomeRecipient {
	r := welcomeRecipient{InstallationKey: kp.LeafNode.SignatureKey, HPKEPublicKey: kp.InitKey, Algorithm: uint8(wrap.Curve25519)}
	if b, ok := kp.Extensions.Find(metadata.ExtensionWelcomeWrapperEncryption); ok {
		var w mlscontents.WelcomeWrapperEncryption
		if proto.Unmarshal(b, &w) == nil && w.GetAlgorithm() == mlscontents.WelcomeWrapperAlgorithm_WELCOME_WRAPPER_ALGORITHM_XWING_MLKEM_768_DRAFT_6 {
			r.HPKEPublicKey, r.Algorithm = w.GetPubKey(), uint8(wrap.XWing)
			r.Pointers = pointeeCapable(kp) // pointers are sealed with X-Wing only
		}
	}
	return r
}

// AddMembers adds inboxes to the group with all their installations, in one commit. It
// returns once the commit is merged; welcomes have then been sent.
func (g *Group) AddMembers(ctx context.Context, inboxIDs []string) error {
	return g.change(ctx, &groupChange{Kind: intentAddMembers, Inboxes: inboxIDs})
}

// RemoveMembers removes inboxes and all their installations from the group.
func (g *Group) RemoveMembers(ctx context.Context, inboxIDs []string) error {
	return g.change(ctx, &groupChange{Kind: intentRemoveMembers, Inboxes: inboxIDs})
}

// AddMembersByIdentifiers adds the inboxes of wallet addresses.
func (g *Group) AddMembersByIdentifiers(ctx context.Context, addresses []string) error {
	ids, err := g.c.inboxIDsOf(ctx, addresses)
	if err != nil {
		return err
	}
	return g.AddMembers(ctx, ids)
}

// RemoveMembersByIdentifiers removes the inboxes of wallet addresses.
func (g *Group) RemoveMembersByIdentifiers(ctx context.Context, addresses []string) error {
	ids, err := g.c.inboxIDsOf(ctx, addresses)
	if err != nil {
		return err
	}
	return g.RemoveMembers(ctx, ids)
}

// UpdateInstallations brings every member's installations up to its newest identity state:
// installations added since are added, revoked ones removed (libxmtp does this periodically).
func (g *Group) UpdateInstallations(ctx context.Context) error {
	return g.change(ctx, &groupChange{Kind: intentUpdateInstallations})
}

// queueInstallationUpdate checks, at most every installationCheckInterval, whether a member
// inbox has a newer identity state than the group pins, and if so queues the commit that
// catches the group up (UpdateInstallations). It reports whether it queued one.
func (g *Group) queueInstallationUpdate(ctx context.Context) (bool, error) {
	now := g.c.opts.Now()
	if g.mls.Active() != nil || now.Sub(time.Unix(0, int64(g.rec.InstallationsCheckedNs))) < installationCheckInterval {
		return false, nil
	}
	st, err := g.stateLocked()
	if err != nil {
		return false, err
	}
	latest, err := g.c.history.latestAll(ctx, st.Membership.InboxIDs())
	if err != nil {
		return false, err
	}
	stale := false
	for inbox, seq := range latest {
		stale = stale || seq > st.Membership.Members[inbox]
	}
	rec := *g.rec
	rec.InstallationsCheckedNs = uint64(now.UnixNano())
	var ch store.Changes
	if stale {
		it := &intentRecord{Kind: intentUpdateInstallations, State: intentToPublish, Change: (&groupChange{Kind: intentUpdateInstallations}).encode()}
		ch.PutSeq(tableIntents, g.id, rec.NextIntentSeq, it.encode())
		rec.NextIntentSeq++
	}
	return stale, g.save(ctx, g.mls, &rec, ch)
}

// inboxIDsOf resolves wallet addresses to inbox ids; an address without one is an error.
func (c *Client) inboxIDsOf(ctx context.Context, addresses []string) ([]string, error) {
	members := make([]identity.MemberID, len(addresses))
	for i, a := range addresses {
		norm, err := identity.NormalizeAddress(a)
		if err != nil {
			return nil, err
		}
		members[i] = identity.EthereumMember(norm)
	}
	found, err := c.inboxes.inboxIDs(ctx, members)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(members))
	for i, m := range members {
		id, ok := found[m]
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrInboxNotFound, addresses[i])
		}
		out[i] = id
	}
	return out, nil
}
