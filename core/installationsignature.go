package core

// SignWithInstallationKey signs text with this installation's key, in the context apps use
// for their own signatures (never valid as an identity update): browser-sdk's
// signWithInstallationKey. Anyone can check it with identity.VerifyPublicSignature and
// InstallationID.
func (c *Client) SignWithInstallationKey(text string) ([]byte, error) {
	return c.installation.SignPublic(text)
}
