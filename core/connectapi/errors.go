package connectapi

import (
	"errors"
	"fmt"

	"connectrpc.com/connect"

	"github.com/goxmtp/goxmtp/core/api"
)

// convert turns a connect-go error into the api error class of its status, named after the
// call that failed. connect-go reports a caller's cancellation and deadline as the Canceled
// and DeadlineExceeded codes, and network failures as Unavailable, so the code alone
// classifies them.
func convert(call string, err error) error {
	st := api.Status{Code: uint32(connect.CodeOf(err)), Message: err.Error()}
	if ce := new(connect.Error); errors.As(err, &ce) {
		st.Message = ce.Message()
		st.RetryAfter = api.ParseRetryAfter(ce.Meta().Get("retry-after"))
	}
	return fmt.Errorf("connectapi: %s: %w", call, st.Err())
}
