package content_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/goxmtp/goxmtp/core/content"
	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

func TestActionsAndIntent(t *testing.T) {
	actions := content.Actions{
		ID: "menu", Description: "Lunch?", ExpiresAtNs: 1_700_000_000_123_000_000,
		Actions: []content.Action{
			{ID: "y", Label: "Yes", Style: "primary", ImageURL: "https://example.com/y.png"},
			{ID: "n", Label: "No", Style: "danger", ExpiresAtNs: 1_700_000_000_000_000_000},
		},
	}
	intent := content.Intent{ID: "menu", ActionID: "y", Metadata: map[string]json.RawMessage{"count": json.RawMessage("2"), "ok": json.RawMessage("true")}}
	for _, want := range []content.Content{actions, intent} {
		ec, err := content.Encode(want)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := content.Decode(ec); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip of %T: %+v, %v", want, got, err)
		}
	}
	// The wire's times are RFC 3339 strings; snake_case names read as camelCase ones.
	raw := &mlscontents.EncodedContent{Type: content.TypeActions.Proto(), Content: []byte(
		`{"id":"m","description":"d","expires_at":"2030-01-02T03:04:05+01:00","actions":[{"id":"1","label":"one","image_url":"u"}]}`)}
	got, err := content.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	a := got.(content.Actions)
	if a.ExpiresAtNs != 1893549845_000_000_000 || a.Actions[0].ImageURL != "u" {
		t.Fatalf("snake_case actions: %+v", a)
	}
	for name, body := range map[string]string{
		"no buttons":     `{"id":"m","description":"d","actions":[]}`,
		"same id twice":  `{"id":"m","description":"d","actions":[{"id":"1","label":"a"},{"id":"1","label":"b"}]}`,
		"unknown style":  `{"id":"m","description":"d","actions":[{"id":"1","label":"a","style":"loud"}]}`,
		"malformed time": `{"id":"m","description":"d","expiresAt":"soon","actions":[{"id":"1","label":"a"}]}`,
	} {
		raw.Content = []byte(body)
		if _, err := content.Decode(raw); !errors.Is(err, content.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	raw = &mlscontents.EncodedContent{Type: content.TypeIntent.Proto(), Content: []byte(`{"id":"m","action_id":"2"}`)}
	if got, err := content.Decode(raw); err != nil || got.(content.Intent).ActionID != "2" {
		t.Fatalf("snake_case intent: %+v, %v", got, err)
	}
}
