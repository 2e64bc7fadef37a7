package api

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/goxmtp/goxmtp/core/errs"
)

// The classes of network failure, each with a stable code that crosses the JavaScript
// boundary unchanged (core/errs). Transports return a *StatusError wrapping one of them;
// callers branch with errors.Is.
var (
	// ErrUnavailable: the node cannot be reached or is shutting down; retry later.
	ErrUnavailable = errs.New("api.unavailable", "api: node unavailable")
	// ErrResourceExhausted: rate limited or over a size limit; the StatusError may carry a
	// retry hint (RetryAfter).
	ErrResourceExhausted = errs.New("api.resource_exhausted", "api: resource exhausted")
	// ErrInvalidArgument: the node rejected the request as malformed or invalid.
	ErrInvalidArgument = errs.New("api.invalid_argument", "api: invalid argument")
	// ErrNotFound: the thing asked for does not exist on the node.
	ErrNotFound = errs.New("api.not_found", "api: not found")
	// ErrAlreadyExists: the node already holds what the request would create.
	ErrAlreadyExists = errs.New("api.already_exists", "api: already exists")
	// ErrPermissionDenied: the node refused the caller.
	ErrPermissionDenied = errs.New("api.permission_denied", "api: permission denied")
	// ErrUnauthenticated: the node wants credentials the caller did not give.
	ErrUnauthenticated = errs.New("api.unauthenticated", "api: unauthenticated")
	// ErrFailedPrecondition: the node's state does not allow the request (e.g. a full
	// inbox log).
	ErrFailedPrecondition = errs.New("api.failed_precondition", "api: failed precondition")
	// ErrAborted: the node gave up on the call; retrying may succeed.
	ErrAborted = errs.New("api.aborted", "api: aborted")
	// ErrUnimplemented: the node does not serve this call.
	ErrUnimplemented = errs.New("api.unimplemented", "api: not implemented by the node")
	// ErrDeadlineExceeded: the call's deadline passed before an answer.
	ErrDeadlineExceeded = errs.New("api.deadline_exceeded", "api: deadline exceeded")
	// ErrCanceled: the caller canceled the call or closed the stream.
	ErrCanceled = errs.New("api.canceled", "api: canceled")
	// ErrInternal: the node or the transport failed in a way the caller cannot fix.
	ErrInternal = errs.New("api.internal", "api: internal error")
	// ErrD14nCutover: the network moved to XMTP D14N and no longer serves V3 publishing or
	// streaming (the two Unavailable texts of xmtp-protocol.md §1.2). Retrying cannot help.
	ErrD14nCutover = errs.New("api.d14n_cutover", "api: XMTP V3 is no longer served by this network")
	// ErrSlowSubscriber: the node cut a subscription off because it read too slowly;
	// resubscribing from the last cursor recovers.
	ErrSlowSubscriber = errs.New("api.slow_subscriber", "api: subscription dropped for reading too slowly")
)

// The node's messages that single out a cutover or a slow subscriber among Unavailable and
// Aborted (xmtp-node-go pkg/mls/api/v1/service.go, quoted in xmtp-protocol.md §1.2).
const (
	cutoverStreaming  = "XMTP V3 streaming is no longer available"
	cutoverPublishing = "publishing to XMTP V3 is no longer available"
	slowSubscriber    = "caller did not read all messages fast enough"
)

// Code is a gRPC status code (grpc/grpc doc/statuscodes.md); connect-go numbers its codes
// the same.
type Code uint32

const (
	CodeOK                 Code = 0
	CodeCanceled           Code = 1
	CodeUnknown            Code = 2
	CodeInvalidArgument    Code = 3
	CodeDeadlineExceeded   Code = 4
	CodeNotFound           Code = 5
	CodeAlreadyExists      Code = 6
	CodePermissionDenied   Code = 7
	CodeResourceExhausted  Code = 8
	CodeFailedPrecondition Code = 9
	CodeAborted            Code = 10
	CodeOutOfRange         Code = 11
	CodeUnimplemented      Code = 12
	CodeInternal           Code = 13
	CodeUnavailable        Code = 14
	CodeDataLoss           Code = 15
	CodeUnauthenticated    Code = 16
)

// CodeOfHTTP maps the HTTP status of a response that carries no gRPC status (a proxy's
// error page, a rate limiter) as gRPC's doc/http-grpc-status-mapping.md does.
func CodeOfHTTP(status int) Code {
	switch status {
	case 400:
		return CodeInternal
	case 401:
		return CodeUnauthenticated
	case 403:
		return CodePermissionDenied
	case 404:
		return CodeUnimplemented
	case 429, 502, 503, 504:
		return CodeUnavailable
	}
	return CodeUnknown
}

// Status is a gRPC status as a transport received it: the numeric code and message of
// grpc-status and grpc-message, and the node's retry-after hint when it sent one.
type Status struct {
	Code       Code
	Message    string
	RetryAfter time.Duration
}

// Err classifies the status: nil for OK, otherwise a *StatusError wrapping the sentinel for
// its code (and message, for the cutover and slow-subscriber cases).
func (s Status) Err() error {
	if s.Code == CodeOK {
		return nil
	}
	return &StatusError{kind: s.kind(), Status: s}
}

func (s Status) kind() *errs.Error {
	switch s.Code {
	case CodeCanceled:
		return ErrCanceled
	case CodeInvalidArgument, CodeOutOfRange:
		return ErrInvalidArgument
	case CodeDeadlineExceeded:
		return ErrDeadlineExceeded
	case CodeNotFound:
		return ErrNotFound
	case CodeAlreadyExists:
		return ErrAlreadyExists
	case CodePermissionDenied:
		return ErrPermissionDenied
	case CodeUnauthenticated:
		return ErrUnauthenticated
	case CodeResourceExhausted:
		return ErrResourceExhausted
	case CodeFailedPrecondition:
		return ErrFailedPrecondition
	case CodeAborted:
		if strings.Contains(s.Message, slowSubscriber) {
			return ErrSlowSubscriber
		}
		return ErrAborted
	case CodeUnimplemented:
		return ErrUnimplemented
	case CodeUnavailable:
		if strings.Contains(s.Message, cutoverStreaming) || strings.Contains(s.Message, cutoverPublishing) {
			return ErrD14nCutover
		}
		return ErrUnavailable
	default: // Unknown, Internal, DataLoss and codes from the future
		return ErrInternal
	}
}

// StatusError is a failed call: its class (a sentinel, reached through errors.Is) and the
// status the node sent.
type StatusError struct {
	kind   *errs.Error
	Status Status
}

func (e *StatusError) Error() string {
	if e.Status.Message == "" {
		return e.kind.Error()
	}
	return e.kind.Error() + ": " + e.Status.Message
}

func (e *StatusError) Unwrap() error { return e.kind }

// Code returns the stable code of the error's class.
func (e *StatusError) Code() string { return e.kind.Code() }

// FromContext turns a context's error into the matching class (ErrCanceled or
// ErrDeadlineExceeded) so transports report a caller's cancellation the same way.
func FromContext(err error) error {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Status{Code: CodeDeadlineExceeded, Message: err.Error()}.Err()
	case errors.Is(err, context.Canceled):
		return Status{Code: CodeCanceled, Message: err.Error()}.Err()
	}
	return err
}

// RetryAfter returns the node's hint of when to try again, or 0 when err carries none.
func RetryAfter(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Status.RetryAfter
	}
	return 0
}

// ParseRetryAfter reads a retry-after header or trailer in seconds (integer or decimal, as
// the node writes it); anything else gives 0.
func ParseRetryAfter(v string) time.Duration {
	secs, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || secs <= 0 || secs > 24*3600 {
		return 0
	}
	return time.Duration(secs * float64(time.Second))
}

// Retryable reports whether the same call or subscription may succeed if tried again later:
// transient node or network trouble, rate limits, slow-subscriber cut-offs and streams the
// node ended. A cutover, a bad request or a caller's cancellation is final.
func Retryable(err error) bool {
	for _, kind := range []error{io.EOF, ErrUnavailable, ErrResourceExhausted, ErrAborted,
		ErrSlowSubscriber, ErrDeadlineExceeded, ErrInternal} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}
