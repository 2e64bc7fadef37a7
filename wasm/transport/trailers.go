package transport

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/goxmtp/goxmtp/core/api"
)

var errNoStatus = errors.New("transport: gRPC-web response has no grpc-status")

// parseTrailers reads a trailer frame's payload: HTTP/1-style "name: value" lines separated
// by CRLF (a bare LF is accepted too). Names are lowercased; lines without a colon are
// skipped, since a status must not be lost to one odd line.
func parseTrailers(payload []byte) map[string]string {
	t := make(map[string]string)
	for line := range bytes.Lines(payload) {
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		t[strings.ToLower(string(bytes.TrimSpace(name)))] = string(bytes.TrimSpace(value))
	}
	return t
}

// statusFrom builds the call's status from trailers, or from the response headers of a
// trailers-only response; get looks a lowercase name up.
func statusFrom(get func(name string) string) (api.Status, error) {
	raw := get("grpc-status")
	if raw == "" {
		return api.Status{}, errNoStatus
	}
	code, err := strconv.ParseUint(raw, 10, 32)
	if err != nil {
		return api.Status{}, errors.Join(errNoStatus, err)
	}
	return api.Status{
		Code:       api.Code(code),
		Message:    percentDecode(get("grpc-message")),
		RetryAfter: api.ParseRetryAfter(get("retry-after")),
	}, nil
}

// percentDecode undoes grpc-message's percent-encoding. Malformed escapes are kept as they
// are, as the gRPC spec asks of receivers.
func percentDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
