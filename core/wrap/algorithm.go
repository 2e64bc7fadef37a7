package wrap

import "strconv"

// Algorithm is the wrapper algorithm of a welcome. Its values are those of the proto enum
// xmtp.mls.message_contents.WelcomeWrapperAlgorithm, so they cross the wire unchanged.
type Algorithm int32

const (
	// Unspecified is what old senders put on the wire; receivers read it as Curve25519.
	Unspecified Algorithm = 0
	// Curve25519 is DHKEM(X25519) HPKE to the key package's init_key.
	Curve25519 Algorithm = 1
	// XWing is X-Wing draft-06 HPKE to the key of key-package extension 0xff03.
	XWing Algorithm = 2
	// SymmetricKey marks a welcome pointee, encrypted with a [PointeeKey] rather than HPKE.
	SymmetricKey Algorithm = 3
)

// String names the algorithm as the proto enum does, for logs and errors.
func (a Algorithm) String() string {
	switch a {
	case Unspecified:
		return "UNSPECIFIED"
	case Curve25519:
		return "CURVE25519"
	case XWing:
		return "XWING_MLKEM_768_DRAFT_6"
	case SymmetricKey:
		return "SYMMETRIC_KEY"
	default:
		return "Algorithm(" + strconv.Itoa(int(a)) + ")"
	}
}
