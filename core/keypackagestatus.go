package core

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"

	"github.com/goxmtp/goxmtp/mls"
	mlsv1 "github.com/goxmtp/goxmtp/proto/mls/api/v1"
)

// KeyPackageStatus is what an installation's key package on the network looks like to this
// client: its lifetime, and why adding the installation would fail ("" when it would not).
type KeyPackageStatus struct {
	NotBefore, NotAfter uint64 // seconds since the Unix epoch; both 0 when the package does not decode
	ValidationError     string
}

// KeyPackageStatuses fetches the key packages of installations and checks each as adding it
// to a group would (browser-sdk's fetchKeyPackageStatuses). The result is keyed by hex
// installation id; an installation the node has no key package of has a ValidationError, as
// libxmtp reports it (the node answers with empty bytes).
func (c *Client) KeyPackageStatuses(ctx context.Context, installations [][]byte) (map[string]KeyPackageStatus, error) {
	out := map[string]KeyPackageStatus{}
	if len(installations) == 0 {
		return out, nil
	}
	var resp *mlsv1.FetchKeyPackagesResponse
	err := retryRateLimited(ctx, func() (err error) {
		resp, err = c.opts.API.FetchKeyPackages(ctx, &mlsv1.FetchKeyPackagesRequest{InstallationKeys: installations})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("fetch key packages: %w", err)
	}
	for i, got := range resp.GetKeyPackages() {
		if i >= len(installations) {
			break
		}
		out[hex.EncodeToString(installations[i])] = c.keyPackageStatus(got.GetKeyPackageTlsSerialized(), installations[i])
	}
	return out, nil
}

func (c *Client) keyPackageStatus(b, installation []byte) KeyPackageStatus {
	kp, err := mls.DecodeKeyPackage(b)
	if err != nil {
		return KeyPackageStatus{ValidationError: err.Error()}
	}
	st := KeyPackageStatus{NotBefore: kp.LeafNode.Lifetime.NotBefore, NotAfter: kp.LeafNode.Lifetime.NotAfter}
	if !bytes.Equal(kp.LeafNode.SignatureKey, installation) {
		st.ValidationError = "key package of another installation"
	} else if err := kp.Verify(c.opts.Now(), mls.KeyPackageLifetime+mls.KeyPackageBackdate); err != nil {
		st.ValidationError = err.Error()
	}
	return st
}
