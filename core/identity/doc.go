// Package identity is XMTP's identity layer (XIP-46): inbox ids, the signature text of an
// identity update, the signatures members make over it, the association state machine that
// replays an inbox's log, the builders of new updates, and the MLS credential that ties an
// installation to its inbox.
//
// It is a leaf: no network, no storage, no client logic. The node uses it to validate what it
// accepts and core uses it to build what it publishes, so both agree byte for byte with
// libxmtp (crates/xmtp_id); a test validates registrations libxmtp 1.11 made.
//
// # Sections
//
//   - Inbox ids: [InboxID], [DefaultNonce], [NormalizeAddress].
//   - Signature text: [SignatureText], one text per update, signed by every signer.
//   - Signers: [Signer] (context-taking, so wallets may answer asynchronously),
//     [LocalWallet], [EOASigner], [SmartContractWalletSigner], [InstallationKey].
//   - Validation: [Validator] verifies ERC-191, ERC-1271/6492 (through an injected
//     [SmartContractVerifier]), Ed25519ph installation, legacy V2 and passkey signatures,
//     then applies the association rules; each broken rule is a named error.
//   - Building: [UpdateBuilder], [Register], [AddInstallation], [LinkWallet],
//     [RevokeInstallations], [RevokeOtherInstallations], [ChangeRecovery].
//   - MLS: [NewCredential], [CredentialInboxID], [Validator.CheckInstallation].
//
// Ethereum cryptography (Keccak-256, secp256k1) lives in secp256k1*.go and recover_*.go;
// go-ethereum is imported only by recover_cgo.go, so the js/wasm build links none of it.
package identity
