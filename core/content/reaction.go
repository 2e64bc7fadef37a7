package content

import (
	"encoding/json"
	"fmt"

	"google.golang.org/protobuf/proto"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
	contenttypes "github.com/goxmtp/goxmtp/proto/mls/message_contents/content_types"
)

// ReactionAction says whether a reaction is added or taken back.
type ReactionAction int32

const (
	ReactionActionUnspecified ReactionAction = 0
	ReactionAdded             ReactionAction = 1
	ReactionRemoved           ReactionAction = 2
)

// ReactionSchema says how to read Reaction.Content.
type ReactionSchema int32

const (
	ReactionSchemaUnspecified ReactionSchema = 0
	ReactionUnicode           ReactionSchema = 1 // an emoji
	ReactionShortcode         ReactionSchema = 2 // e.g. ":smile:"
	ReactionCustom            ReactionSchema = 3
)

// Reaction reacts to an earlier message. libxmtp 1.11 sends xmtp.org/reaction:2.0 (protobuf
// ReactionV2) and still reads 1.0 (JSON), which older JS codecs send; Legacy selects 1.0 when
// encoding and reports it when decoding.
type Reaction struct {
	Reference        string // hex id of the message reacted to
	ReferenceInboxID string // inbox that sent it; "" when unknown
	Action           ReactionAction
	Content          string
	Schema           ReactionSchema
	Legacy           bool
}

func (r Reaction) Type() TypeID {
	if r.Legacy {
		return TypeReactionLegacy
	}
	return TypeReaction
}

func (r Reaction) fallback() string {
	if r.Action == ReactionRemoved {
		return fmt.Sprintf("Took back the reaction %q to an earlier message", r.Content)
	}
	return fmt.Sprintf("Reacted %q to an earlier message", r.Content)
}

func (r Reaction) encode() (*mlscontents.EncodedContent, error) {
	if r.Legacy {
		return r.encodeLegacy()
	}
	body, err := proto.Marshal(&contenttypes.ReactionV2{
		Reference:        r.Reference,
		ReferenceInboxId: r.ReferenceInboxID,
		Action:           contenttypes.ReactionAction(r.Action),
		Content:          r.Content,
		Schema:           contenttypes.ReactionSchema(r.Schema),
	})
	if err != nil {
		return nil, fmt.Errorf("reaction: %w", err)
	}
	return newEncoded(TypeReaction, nil, r.fallback(), body), nil
}

func decodeReaction(ec *mlscontents.EncodedContent) (Content, error) {
	var v contenttypes.ReactionV2
	if err := proto.Unmarshal(ec.Content, &v); err != nil {
		return nil, ErrMalformed.Wrap(fmt.Errorf("reaction: %w", err))
	}
	return Reaction{
		Reference:        v.Reference,
		ReferenceInboxID: v.ReferenceInboxId,
		Action:           ReactionAction(v.Action),
		Content:          v.Content,
		Schema:           ReactionSchema(v.Schema),
	}, nil
}

// legacyReaction is the JSON body of reaction 1.0.
type legacyReaction struct {
	Reference        string `json:"reference"`
	ReferenceInboxID string `json:"referenceInboxId,omitempty"`
	Action           string `json:"action"`
	Content          string `json:"content"`
	Schema           string `json:"schema"`
}

// The JSON names of actions and schemas, indexed by their enum values.
var (
	legacyActions = [...]string{ReactionAdded: "added", ReactionRemoved: "removed"}
	legacySchemas = [...]string{ReactionUnicode: "unicode", ReactionShortcode: "shortcode", ReactionCustom: "custom"}
)

func (r Reaction) encodeLegacy() (*mlscontents.EncodedContent, error) {
	if r.Action != ReactionAdded && r.Action != ReactionRemoved {
		return nil, fmt.Errorf("reaction 1.0 action %d: %w", r.Action, ErrInvalidContent)
	}
	if r.Schema < ReactionUnicode || r.Schema > ReactionCustom {
		return nil, fmt.Errorf("reaction 1.0 schema %d: %w", r.Schema, ErrInvalidContent)
	}
	body, err := json.Marshal(legacyReaction{
		Reference:        r.Reference,
		ReferenceInboxID: r.ReferenceInboxID,
		Action:           legacyActions[r.Action],
		Content:          r.Content,
		Schema:           legacySchemas[r.Schema],
	})
	if err != nil {
		return nil, fmt.Errorf("reaction 1.0: %w", err)
	}
	return newEncoded(TypeReactionLegacy, nil, r.fallback(), body), nil
}

// decodeLegacyReaction reads the JSON body. The oldest JS codecs put reference, action and
// schema in the parameters and the bare emoji in the body; that form is read when the body
// is not JSON. Unknown action or schema names decode as unspecified, as libxmtp does.
func decodeLegacyReaction(ec *mlscontents.EncodedContent) (Content, error) {
	var v legacyReaction
	if err := json.Unmarshal(ec.Content, &v); err != nil {
		ref, ok := ec.Parameters[paramReference]
		if !ok {
			return nil, ErrMalformed.Wrap(fmt.Errorf("reaction 1.0: %w", err))
		}
		v = legacyReaction{Reference: ref, Action: ec.Parameters["action"], Schema: ec.Parameters["schema"], Content: string(ec.Content)}
	}
	return Reaction{
		Reference:        v.Reference,
		ReferenceInboxID: v.ReferenceInboxID,
		Action:           ReactionAction(indexOf(legacyActions[:], v.Action)),
		Content:          v.Content,
		Schema:           ReactionSchema(indexOf(legacySchemas[:], v.Schema)),
		Legacy:           true,
	}, nil
}

// indexOf returns the position of name in names, or 0 (unspecified) when absent or empty.
func indexOf(names []string, name string) int {
	for i, n := range names {
		if n != "" && n == name {
			return i
		}
	}
	return 0
}
