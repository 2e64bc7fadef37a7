//go:build js && wasm

package main

import (
	"slices"
	"strconv"
	"syscall/js"

	"github.com/goxmtp/goxmtp/core/content"
)

// coinbase.com's actions and intent as browser-sdk 7.1 shapes them: Actions {id,
// description, actions: [{id, label, imageUrl?, style?, expiresAtNs?}], expiresAtNs?} with
// the numeric ActionStyle, and Intent {id, actionId, metadata?}.

// jsActionStyles are core's style names by browser-sdk's ActionStyle (Primary 0, Secondary
// 1, Danger 2).
var jsActionStyles = []string{"primary", "secondary", "danger"}

func actionsObject(a content.Actions) object {
	buttons := make([]any, len(a.Actions))
	for i, b := range a.Actions {
		o := withOptional(object{"id": b.ID, "label": b.Label}, "imageUrl", b.ImageURL)
		if s := slices.Index(jsActionStyles, b.Style); s >= 0 {
			o["style"] = s
		}
		buttons[i] = withExpiry(o, b.ExpiresAtNs)
	}
	return withExpiry(object{"id": a.ID, "description": a.Description, "actions": buttons}, a.ExpiresAtNs)
}

func withExpiry(o object, ns int64) object {
	if ns != 0 {
		o["expiresAtNs"] = bigInt(ns)
	}
	return o
}

func actionsValue(v js.Value) (content.Content, error) {
	var a content.Actions
	if typeOf(v) != js.TypeObject {
		return nil, badArgument("actions must be an Actions object")
	}
	var err error
	if a.ID, err = stringValue(v.Get("id"), "actions.id"); err != nil {
		return nil, err
	}
	if a.Description, err = stringValue(v.Get("description"), "actions.description"); err != nil {
		return nil, err
	}
	if a.ExpiresAtNs, err = optionalInt64(v, "expiresAtNs"); err != nil {
		return nil, err
	}
	a.Actions, err = arrayArg([]js.Value{v.Get("actions")}, 0, "actions.actions", actionValue)
	return a, err
}

func actionValue(v js.Value, name string) (content.Action, error) {
	var b content.Action
	if typeOf(v) != js.TypeObject {
		return b, badArgument("%s must be an Action", name)
	}
	var err error
	if b.ID, err = stringValue(v.Get("id"), name+".id"); err != nil {
		return b, err
	}
	if b.Label, err = stringValue(v.Get("label"), name+".label"); err != nil {
		return b, err
	}
	if b.ImageURL, err = optionalString(v, "imageUrl"); err != nil {
		return b, err
	}
	if s, err := enumField(v, "style", "an ActionStyle", len(jsActionStyles)-1); err != nil {
		return b, err
	} else if s >= 0 {
		b.Style = jsActionStyles[s]
	}
	b.ExpiresAtNs, err = optionalInt64(v, "expiresAtNs")
	return b, err
}

// intentObject is an Intent as libxmtp's bindings give it: integer metadata values are
// BigInts (as serde_wasm_bindgen turns JSON integers), others as JSON.parse reads them.
func intentObject(i content.Intent) object {
	out := object{"id": i.ID, "actionId": i.ActionID}
	if i.Metadata == nil {
		return out
	}
	meta := object{}
	for k, raw := range i.Metadata {
		if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
			meta[k] = bigInt(n)
		} else if v, ok := jsonParse(raw); ok {
			meta[k] = v
		}
	}
	out["metadata"] = meta
	return out
}

func intentValue(v js.Value) (content.Content, error) {
	var i content.Intent
	if err := jsonValue(v, "intent", &i); err != nil {
		return nil, err
	}
	if i.ID == "" || i.ActionID == "" {
		return nil, badArgument("intent needs id and actionId")
	}
	return i, nil
}
