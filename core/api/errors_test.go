package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/goxmtp/goxmtp/core/errs"
)

func TestStatusClasses(t *testing.T) {
	cases := []struct {
		code    Code
		message string
		want    *errs.Error
	}{
		{1, "", ErrCanceled},
		{2, "boom", ErrInternal},
		{3, "bad key package", ErrInvalidArgument},
		{4, "", ErrDeadlineExceeded},
		{5, "", ErrNotFound},
		{6, "", ErrAlreadyExists},
		{7, "", ErrPermissionDenied},
		{8, "rate limit exceeded: retry after 1s", ErrResourceExhausted},
		{9, "inbox log is full", ErrFailedPrecondition},
		{10, "", ErrAborted},
		{10, "caller did not read all messages fast enough", ErrSlowSubscriber},
		{11, "", ErrInvalidArgument},
		{12, "", ErrUnimplemented},
		{13, "", ErrInternal},
		{14, "connection refused", ErrUnavailable},
		{14, "XMTP V3 streaming is no longer available. Please upgrade your client to XMTP D14N.", ErrD14nCutover},
		{14, "publishing to XMTP V3 is no longer available. Please upgrade your client to XMTP D14N.", ErrD14nCutover},
		{15, "", ErrInternal},
		{16, "", ErrUnauthenticated},
		{99, "", ErrInternal},
	}
	for _, c := range cases {
		err := Status{Code: c.code, Message: c.message}.Err()
		if !errors.Is(err, c.want) {
			t.Errorf("code %d %q: got %v, want %v", c.code, c.message, err, c.want)
		}
		var coded interface{ Code() string }
		if !errors.As(fmt.Errorf("wrapped: %w", err), &coded) || coded.Code() != c.want.Code() {
			t.Errorf("code %d: Code() lost through wrapping", c.code)
		}
	}
	if err := (Status{}).Err(); err != nil {
		t.Errorf("OK status gave %v", err)
	}
}

func TestRetryable(t *testing.T) {
	for _, err := range []error{io.EOF, ErrUnavailable, ErrSlowSubscriber, Status{Code: 8}.Err(), Status{Code: 13}.Err()} {
		if !Retryable(err) {
			t.Errorf("%v should be retryable", err)
		}
	}
	for _, err := range []error{ErrD14nCutover, ErrInvalidArgument, ErrCanceled, Status{Code: 12}.Err(),
		Status{Code: 14, Message: "publishing to XMTP V3 is no longer available."}.Err()} {
		if Retryable(err) {
			t.Errorf("%v should be final", err)
		}
	}
}

func TestFromContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := FromContext(ctx.Err()); !errors.Is(err, ErrCanceled) {
		t.Errorf("canceled context gave %v", err)
	}
	ctx, cancel = context.WithDeadline(context.Background(), time.Now())
	defer cancel()
	<-ctx.Done()
	if err := FromContext(ctx.Err()); !errors.Is(err, ErrDeadlineExceeded) {
		t.Errorf("expired context gave %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{"2": 2 * time.Second, "0.250": 250 * time.Millisecond,
		"": 0, "soon": 0, "-1": 0, "Wed, 21 Oct 2015 07:28:00 GMT": 0} {
		if got := ParseRetryAfter(in); got != want {
			t.Errorf("ParseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	err := fmt.Errorf("send: %w", Status{Code: 8, RetryAfter: 3 * time.Second}.Err())
	if got := RetryAfter(err); got != 3*time.Second {
		t.Errorf("RetryAfter = %v", got)
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: 100 * time.Millisecond, Max: time.Second}
	for attempt := range 10 {
		step := min(100*time.Millisecond<<attempt, time.Second)
		for range 20 {
			if d := b.Delay(attempt, 0); d < step/2 || d > step {
				t.Fatalf("attempt %d: delay %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
	if d := b.Delay(0, 5*time.Second); d != 5*time.Second {
		t.Errorf("retry-after hint ignored: %v", d)
	}
}

func TestCodeOfHTTP(t *testing.T) {
	for status, want := range map[int]Code{400: CodeInternal, 401: CodeUnauthenticated, 403: CodePermissionDenied,
		404: CodeUnimplemented, 429: CodeUnavailable, 503: CodeUnavailable, 500: CodeUnknown} {
		if got := CodeOfHTTP(status); got != want {
			t.Errorf("HTTP %d: %d, want %d", status, got, want)
		}
	}
}
