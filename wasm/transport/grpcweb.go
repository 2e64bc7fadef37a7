//go:build js && wasm

package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall/js"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/goxmtp/goxmtp/core/api"
)

var (
	errContentType  = errors.New("transport: response is not gRPC-web")
	errNoTrailers   = errors.New("transport: gRPC-web response ended without trailers")
	errUnaryMessage = errors.New("transport: unary response did not carry exactly one message")
)

// grpcWebCall is one gRPC-web request in flight over fetch. Its response body is read
// incrementally from the ReadableStream, so a server stream delivers each message as it
// arrives. Cancelling the context or calling close aborts the fetch.
type grpcWebCall struct {
	ctx    context.Context
	method string
	abort  js.Value // the fetch's AbortController
	stop   func() bool
	reader js.Value // the body's ReadableStreamDefaultReader; unset for a trailers-only response
	dec    frameDecoder
	ended  *api.Status // set once the trailers (or a trailers-only response) are read
	closed atomic.Bool // the caller closed the stream: its failures are cancellations
}

// startGRPCWeb POSTs one framed request message to method and waits for the response
// headers.
func (c *Client) startGRPCWeb(ctx context.Context, method string, req proto.Message) (*grpcWebCall, error) {
	if err := ctx.Err(); err != nil {
		return nil, api.FromContext(err)
	}
	msg, err := proto.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("transport: %s: encode request: %w", method, err)
	}
	headers := js.Global().Get("Object").New()
	headers.Set("content-type", "application/grpc-web+proto")
	headers.Set("accept", "application/grpc-web+proto")
	headers.Set("x-grpc-web", "1")
	if c.cfg.AppVersion != "" {
		headers.Set("x-app-version", c.cfg.AppVersion)
	}
	if dl, ok := ctx.Deadline(); ok {
		// The node stops working on the call when the caller has given up on it.
		headers.Set("grpc-timeout", grpcTimeout(time.Until(dl)))
	}
	call := &grpcWebCall{ctx: ctx, method: method, abort: js.Global().Get("AbortController").New()}
	init := js.Global().Get("Object").New()
	init.Set("method", "POST")
	init.Set("headers", headers)
	init.Set("body", uint8Array(appendFrame(nil, msg)))
	init.Set("signal", call.abort.Get("signal"))
	init.Set("cache", "no-store")
	call.stop = context.AfterFunc(ctx, func() { call.abort.Call("abort") })

	res, err := call.await(func() js.Value { return js.Global().Call("fetch", c.base+method, init) })
	if err != nil {
		return nil, call.fail(err)
	}
	if err := call.readHeaders(res); err != nil {
		return nil, call.fail(err)
	}
	return call, nil
}

// grpcTimeout writes d as a grpc-timeout header value: at most eight digits and a unit,
// rounded up so the node never gives up before the caller.
func grpcTimeout(d time.Duration) string {
	const maxDigits = 99_999_999
	ms := max((d+time.Millisecond-1)/time.Millisecond, 1)
	if ms <= maxDigits {
		return strconv.FormatInt(int64(ms), 10) + "m"
	}
	return strconv.FormatInt(min(int64((d+time.Second-1)/time.Second), maxDigits), 10) + "S"
}

// await runs a JS call returning a promise and waits for it; a failure after the context
// ended is the context's, whatever the browser called it.
func (call *grpcWebCall) await(fn func() js.Value) (js.Value, error) {
	p, err := try(fn)
	if err == nil {
		p, err = await(p)
	}
	if err != nil && call.ctx.Err() != nil {
		return js.Value{}, api.FromContext(call.ctx.Err())
	}
	if err != nil && call.closed.Load() {
		return js.Value{}, api.FromContext(context.Canceled)
	}
	if err != nil {
		return js.Value{}, api.Status{Code: api.CodeUnavailable, Message: err.Error()}.Err()
	}
	return p, nil
}

// readHeaders checks the HTTP status and content type, and takes the status of a
// trailers-only response (an error, or an empty stream) from the headers.
func (call *grpcWebCall) readHeaders(res js.Value) error {
	h := res.Get("headers")
	get := func(name string) string {
		v := h.Call("get", name)
		if v.IsNull() {
			return ""
		}
		return v.String()
	}
	if get("grpc-status") != "" {
		st, err := statusFrom(get)
		if err != nil {
			return err
		}
		call.ended = &st
		return nil
	}
	if code := res.Get("status").Int(); code != 200 {
		return api.Status{Code: api.CodeOfHTTP(code), Message: "HTTP " + strconv.Itoa(code), RetryAfter: api.ParseRetryAfter(get("retry-after"))}.Err()
	}
	if ct := get("content-type"); !strings.HasPrefix(ct, "application/grpc-web") || strings.HasPrefix(ct, "application/grpc-web-text") {
		return fmt.Errorf("%w: content-type %q", errContentType, ct)
	}
	call.reader = res.Get("body").Call("getReader")
	return nil
}

// next returns the next message frame's payload, or the call's final status as an error:
// io.EOF for OK, the status's class otherwise.
func (call *grpcWebCall) next() ([]byte, error) {
	for call.ended == nil {
		f, ok, err := call.dec.next()
		if err != nil {
			return nil, call.fail(err)
		}
		if ok && f.trailer {
			tr := parseTrailers(f.payload)
			st, err := statusFrom(func(n string) string { return tr[n] })
			if err != nil {
				return nil, call.fail(err)
			}
			call.ended = &st
			break
		}
		if ok {
			return f.payload, nil
		}
		chunk, err := call.await(func() js.Value { return call.reader.Call("read") })
		if err != nil {
			return nil, call.fail(err)
		}
		if chunk.Get("done").Bool() {
			err := call.dec.finish()
			if err == nil {
				err = errNoTrailers
			}
			return nil, call.fail(err)
		}
		call.dec.write(goBytes(chunk.Get("value")))
	}
	call.close()
	if err := call.ended.Err(); err != nil {
		return nil, fmt.Errorf("transport: %s: %w", call.method, err)
	}
	return nil, io.EOF
}

// fail ends the call with err, classified: api errors keep their class, and anything else
// (a malformed response) is internal.
func (call *grpcWebCall) fail(err error) error {
	call.close()
	var coded interface{ Code() string }
	if !errors.As(err, &coded) {
		err = fmt.Errorf("%w: %w", api.ErrInternal, err)
	}
	return fmt.Errorf("transport: %s: %w", call.method, err)
}

// close aborts the fetch if it still runs and releases the context hook. It is idempotent.
func (call *grpcWebCall) close() {
	call.stop()
	call.abort.Call("abort")
}

// unary runs a call with exactly one response message.
func (c *Client) unary(ctx context.Context, method string, req, res proto.Message) error {
	call, err := c.startGRPCWeb(ctx, method, req)
	if err != nil {
		return err
	}
	payload, err := call.next()
	if err == io.EOF {
		return call.fail(errUnaryMessage)
	}
	if err != nil {
		return err
	}
	if _, err := call.next(); err != io.EOF {
		if err == nil {
			return call.fail(errUnaryMessage)
		}
		return err
	}
	if err := proto.Unmarshal(payload, res); err != nil {
		return call.fail(fmt.Errorf("decode response: %w", err))
	}
	return nil
}

// grpcWebStream is a server stream over one gRPC-web call.
type grpcWebStream[T proto.Message] struct {
	call   *grpcWebCall
	newMsg func() T
}

func (s *grpcWebStream[T]) Recv() (T, error) {
	var zero T
	payload, err := s.call.next()
	if err != nil {
		return zero, err
	}
	m := s.newMsg()
	if err := proto.Unmarshal(payload, m); err != nil {
		return zero, s.call.fail(fmt.Errorf("decode message: %w", err))
	}
	return m, nil
}

// Close aborts the fetch; a pending Recv returns ErrCanceled.
func (s *grpcWebStream[T]) Close() error {
	s.call.closed.Store(true)
	s.call.close()
	return nil
}
