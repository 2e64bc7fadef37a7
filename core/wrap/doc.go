// Package wrap seals and opens XMTP welcomes for one recipient installation, as libxmtp does
// (xmtp-protocol.md §3.3 and §7.1).
//
// A welcome travels inside HPKE (RFC 9180) base mode with HKDF-SHA256 and ChaCha20-Poly1305,
// under one of two KEMs chosen by the recipient's key package:
//
//   - [Curve25519]: DHKEM(X25519) to the key package's init_key, run by crypto/hpke.
//   - [XWing]: the X-Wing draft-06 hybrid KEM (ML-KEM-768 and X25519) to the key published in
//     extension 0xff03. libxmtp labels this suite with the obsolete kem_id 0x004D, which no
//     library lets a caller choose, so the key schedule is assembled here; receivers also
//     accept the registered 0x647a that libxmtp 1.10 used.
//
// One HPKE context seals the Welcome at sequence 0 and the WelcomeMetadata at sequence 1, so
// both ride on a single encapsulation.
//
// The XIP-74 welcome pointer pieces are here too: [PointeeKey] encrypts a welcome once for
// many recipients and [SealPointer] wraps the small pointer for each of them.
//
// [RFC 9180]: https://www.rfc-editor.org/rfc/rfc9180.html
package wrap
