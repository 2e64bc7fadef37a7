package content

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// Actions offers the reader a choice of buttons (coinbase.com/actions:1.0, built into
// browser-sdk 7.1); the reader answers with an Intent. The body is JSON whose times are
// RFC 3339 strings (written in UTC to the millisecond).
type Actions struct {
	ID          string
	Description string
	Actions     []Action // 1 to maxActions, ids unique
	ExpiresAtNs int64    // 0 when it does not expire
}

// Action is one button.
type Action struct {
	ID          string
	Label       string
	ImageURL    string // "" when not given
	Style       string // "primary", "secondary" or "danger"; "" when not given
	ExpiresAtNs int64  // 0 when it does not expire
}

// maxActions is libxmtp's bound on the buttons of one message.
const maxActions = 10

var actionStyles = []string{"primary", "secondary", "danger"}

func (Actions) Type() TypeID { return TypeActions }

// The wire form. Decoding also takes the snake_case names some senders write.
type actionsWire struct {
	ID             string       `json:"id"`
	Description    string       `json:"description"`
	Actions        []actionWire `json:"actions"`
	ExpiresAt      *string      `json:"expiresAt,omitempty"`
	ExpiresAtSnake *string      `json:"expires_at,omitempty"`
}

type actionWire struct {
	ID             string  `json:"id"`
	Label          string  `json:"label"`
	ImageURL       *string `json:"imageUrl,omitempty"`
	ImageURLSnake  *string `json:"image_url,omitempty"`
	Style          *string `json:"style,omitempty"`
	ExpiresAt      *string `json:"expiresAt,omitempty"`
	ExpiresAtSnake *string `json:"expires_at,omitempty"`
}

// check applies the rules both directions share, so what decodes encodes again.
func (a Actions) check() error {
	if len(a.Actions) == 0 || len(a.Actions) > maxActions {
		return fmt.Errorf("actions: %d buttons, want 1 to %d", len(a.Actions), maxActions)
	}
	seen := map[string]bool{}
	for _, b := range a.Actions {
		if seen[b.ID] {
			return fmt.Errorf("actions: button id %q twice", b.ID)
		}
		seen[b.ID] = true
		if b.Style != "" && !slices.Contains(actionStyles, b.Style) {
			return fmt.Errorf("actions: style %q", b.Style)
		}
	}
	return nil
}

func (a Actions) encode() (*mlscontents.EncodedContent, error) {
	if err := a.check(); err != nil {
		return nil, ErrInvalidContent.Wrap(err)
	}
	w := actionsWire{ID: a.ID, Description: a.Description, ExpiresAt: wireTime(a.ExpiresAtNs)}
	var fallback strings.Builder
	fallback.WriteString(a.Description + "\n")
	for i, b := range a.Actions {
		aw := actionWire{ID: b.ID, Label: b.Label, ExpiresAt: wireTime(b.ExpiresAtNs)}
		if b.ImageURL != "" {
			aw.ImageURL = &b.ImageURL
		}
		if b.Style != "" {
			aw.Style = &b.Style
		}
		w.Actions = append(w.Actions, aw)
		fallback.WriteString("\n" + strconv.Itoa(i+1) + ". " + b.Label)
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, ErrInvalidContent.Wrap(fmt.Errorf("actions: %w", err))
	}
	fallback.WriteString("\n\nAnswer with a number to choose.")
	return newEncoded(TypeActions, nil, fallback.String(), body), nil
}

func decodeActions(ec *mlscontents.EncodedContent) (Content, error) {
	var w actionsWire
	if err := json.Unmarshal(ec.Content, &w); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("actions: %w", err))
	}
	a := Actions{ID: w.ID, Description: w.Description}
	var err error
	if a.ExpiresAtNs, err = timeOfWire(w.ExpiresAt, w.ExpiresAtSnake); err != nil {
		return nil, err
	}
	for _, aw := range w.Actions {
		b := Action{ID: aw.ID, Label: aw.Label, ImageURL: firstOf(aw.ImageURL, aw.ImageURLSnake), Style: firstOf(aw.Style, nil)}
		if b.ExpiresAtNs, err = timeOfWire(aw.ExpiresAt, aw.ExpiresAtSnake); err != nil {
			return nil, err
		}
		a.Actions = append(a.Actions, b)
	}
	if err := a.check(); err != nil {
		return nil, ErrMalformed.Wrap(err)
	}
	return a, nil
}

func firstOf(a, b *string) string {
	switch {
	case a != nil:
		return *a
	case b != nil:
		return *b
	}
	return ""
}

// wireTime writes ns as the wire's UTC time to the millisecond; nil for 0 (no time).
func wireTime(ns int64) *string {
	if ns == 0 {
		return nil
	}
	s := time.Unix(0, ns).UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

// timeOfWire reads an RFC 3339 time (either spelling) as nanoseconds; absent is 0. Times
// that nanoseconds since 1970 cannot hold (past 2262) are malformed.
func timeOfWire(a, b *string) (int64, error) {
	s := firstOf(a, b)
	if s == "" && a == nil && b == nil {
		return 0, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1970 || t.Year() > 2261 {
		return 0, fmt.Errorf("actions time %q: %w", s, ErrMalformed)
	}
	return t.UnixNano(), nil
}
