// Package proto holds the XMTP wire protocol: .proto files written for goxmtp, wire-compatible
// with XMTP's (same package names, field numbers and types), and the Go code generated from
// them by `make proto`, committed beside each file. Nothing hand-written but this comment and
// the tests that pin the generated code belongs here.
package proto
