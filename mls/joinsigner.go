package mls

import "fmt"

// JoinGroupWithSigner is JoinGroup that also returns the leaf of the member that signed the
// Welcome's GroupInfo, checked against that leaf's key in the group's tree: the member that
// added this one. A caller that needs to know who that was (XMTP records it) would otherwise
// open the group secrets and decrypt the GroupInfo a second time.
func JoinGroupWithSigner(cfg GroupConfig, w *Welcome, opts JoinOptions) (*Group, LeafIndex, error) {
	g, signer, err := joinGroup(cfg, w, &opts)
	if err != nil {
		return nil, 0, fmt.Errorf("mls: join from welcome: %w", err)
	}
	return g, signer, nil
}
