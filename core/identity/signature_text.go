package identity

import (
	"strings"
	"time"

	"github.com/goxmtp/goxmtp/proto/identity/associations"
)

// The frame of the text every signature in an identity update signs (libxmtp
// unsigned_actions.rs). The wording is part of the protocol: a different byte breaks every
// signature, so a test pins the whole text.
const (
	signatureTextHeader = "XMTP : Authenticate to inbox"
	signatureTextFooter = "For more info: https://xmtp.org/signatures"
)

// SignatureText returns the text that every signature in the update signs. It depends on the
// inbox id, the client timestamp and the actions, never on the signatures, so it can be
// computed before anyone signs.
func SignatureText(u *associations.IdentityUpdate) (string, error) {
	p, err := parseUpdate(u, false)
	if err != nil {
		return "", err
	}
	return p.signatureText(), nil
}

func (u *update) signatureText() string {
	var b strings.Builder
	b.WriteString(signatureTextHeader)
	b.WriteString("\n\nInbox ID: ")
	b.WriteString(u.inboxID)
	b.WriteString("\nCurrent time: ")
	b.WriteString(signatureTime(u.timestampNs))
	b.WriteString("\n\n")
	for i, a := range u.actions {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(a.signatureLine())
	}
	b.WriteString("\n\n")
	b.WriteString(signatureTextFooter)
	return b.String()
}

// signatureTime formats the client timestamp as RFC 3339 in UTC to the second. libxmtp reads
// the unsigned nanoseconds as a signed 64-bit count, so values past 2^63 show dates before
// 1970; the same conversion here keeps the texts identical.
func signatureTime(ns uint64) string {
	return time.Unix(0, int64(ns)).UTC().Format("2006-01-02T15:04:05Z")
}

// signatureLine is the two-line description of one action.
func (a action) signatureLine() string {
	var verb, label string
	switch a.kind {
	case actionCreateInbox:
		verb, label = "Create inbox", "Owner"
	case actionChangeRecovery:
		verb, label = "Change inbox recovery address", "Address"
	case actionAdd, actionRevoke:
		verb, label = memberVerb(a.kind, a.subject.Kind), memberLabel(a.subject.Kind)
	}
	return "- " + verb + "\n  (" + label + ": " + a.subject.String() + ")"
}

func memberVerb(kind actionKind, member MemberKind) string {
	add := kind == actionAdd
	switch member {
	case KindInstallation:
		if add {
			return "Grant messaging access to app"
		}
		return "Revoke messaging access from app"
	case KindPasskey:
		if add {
			return "Link passkey to inbox"
		}
		return "Unlink passkey from inbox"
	}
	if add {
		return "Link address to inbox"
	}
	return "Unlink address from inbox"
}

func memberLabel(member MemberKind) string {
	switch member {
	case KindInstallation:
		return "ID"
	case KindPasskey:
		return "Passkey"
	}
	return "Address"
}
