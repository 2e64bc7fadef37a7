package connectapi

import (
	"context"
	"errors"
	"fmt"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
)

// convert turns a connect-go error into the api error class of its status, named after the
// call that failed. connect-go reports network failures as Unavailable and a caller's
// cancellation or deadline as Canceled or DeadlineExceeded; a bare context error (from our
// own checks) is classified the same way, and anything else as internal.
func convert(call string, err error) error {
	ce := new(connect.Error)
	if !errors.As(err, &ce) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("connectapi: %s: %w", call, api.FromContext(err))
		}
		ce = connect.NewError(connect.CodeInternal, err)
	}
	st := api.Status{
		Code:       api.Code(ce.Code()),
		Message:    ce.Message(),
		RetryAfter: api.ParseRetryAfter(ce.Meta().Get("retry-after")),
	}
	return fmt.Errorf("connectapi: %s: %w", call, st.Err())
}
