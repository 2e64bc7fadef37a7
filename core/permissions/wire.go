package permissions

import (
	"fmt"

	mlscontents "github.com/goxmtp/goxmtp/proto/mls/message_contents"
)

// wireCodec converts a Policy to and from one of the three policy protos. They share a shape
// (a oneof of a base value, an AndCondition and an AnyCondition) but not Go types or base
// numbering, so each is described by a wireCodec and one recursive walk serves all three.
type wireCodec[W any] struct {
	name  string
	bases map[Base]int32 // wire value of each base the proto can carry
	base  func(int32) W
	and   func([]W) W
	any   func([]W) W
	split func(W) (op combinator, base int32, sub []W, ok bool)
}

func (c wireCodec[W]) encode(p Policy) (W, error) {
	var zero W
	if p.op == opLeaf {
		n, ok := c.bases[p.base]
		if !ok {
			return zero, fmt.Errorf("%s policy %v: %w", c.name, p.base, ErrInexpressible)
		}
		return c.base(n), nil
	}
	if len(p.sub) == 0 {
		return zero, fmt.Errorf("%s policy combines nothing: %w", c.name, ErrInvalidPolicy)
	}
	sub := make([]W, len(p.sub))
	for i, q := range p.sub {
		w, err := c.encode(q)
		if err != nil {
			return zero, err
		}
		sub[i] = w
	}
	if p.op == opAnd {
		return c.and(sub), nil
	}
	return c.any(sub), nil
}

// decode rejects what libxmtp rejects: no kind, an unknown base value, an empty combination.
func (c wireCodec[W]) decode(w W) (Policy, error) {
	op, n, sub, ok := c.split(w)
	switch {
	case !ok:
		return Policy{}, fmt.Errorf("%s policy without a kind: %w", c.name, ErrInvalidPolicy)
	case op == opLeaf:
		for b, m := range c.bases {
			if m == n {
				return Policy{base: b}, nil
			}
		}
		return Policy{}, fmt.Errorf("%s policy value %d: %w", c.name, n, ErrInvalidPolicy)
	case len(sub) == 0:
		return Policy{}, fmt.Errorf("%s policy combines nothing: %w", c.name, ErrInvalidPolicy)
	}
	p := Policy{op: op, sub: make([]Policy, len(sub))}
	for i, w := range sub {
		q, err := c.decode(w)
		if err != nil {
			return Policy{}, err
		}
		p.sub[i] = q
	}
	return p, nil
}

var membershipWire = wireCodec[*mlscontents.MembershipPolicy]{
	name:  "membership",
	bases: map[Base]int32{BaseAllow: 1, BaseDeny: 2, BaseAdmin: 3, BaseSuperAdmin: 4},
	base: func(n int32) *mlscontents.MembershipPolicy {
		return &mlscontents.MembershipPolicy{Kind: &mlscontents.MembershipPolicy_Base{Base: mlscontents.MembershipPolicy_BasePolicy(n)}}
	},
	and: func(s []*mlscontents.MembershipPolicy) *mlscontents.MembershipPolicy {
		return &mlscontents.MembershipPolicy{Kind: &mlscontents.MembershipPolicy_AndCondition_{AndCondition: &mlscontents.MembershipPolicy_AndCondition{Policies: s}}}
	},
	any: func(s []*mlscontents.MembershipPolicy) *mlscontents.MembershipPolicy {
		return &mlscontents.MembershipPolicy{Kind: &mlscontents.MembershipPolicy_AnyCondition_{AnyCondition: &mlscontents.MembershipPolicy_AnyCondition{Policies: s}}}
	},
	split: func(w *mlscontents.MembershipPolicy) (combinator, int32, []*mlscontents.MembershipPolicy, bool) {
		switch k := w.GetKind().(type) {
		case *mlscontents.MembershipPolicy_Base:
			return opLeaf, int32(k.Base), nil, true
		case *mlscontents.MembershipPolicy_AndCondition_:
			return opAnd, 0, k.AndCondition.GetPolicies(), true
		case *mlscontents.MembershipPolicy_AnyCondition_:
			return opAny, 0, k.AnyCondition.GetPolicies(), true
		}
		return 0, 0, nil, false
	},
}

var metadataWire = wireCodec[*mlscontents.MetadataPolicy]{
	name:  "metadata",
	bases: map[Base]int32{BaseAllow: 1, BaseDeny: 2, BaseAdmin: 3, BaseSuperAdmin: 4},
	base: func(n int32) *mlscontents.MetadataPolicy {
		return &mlscontents.MetadataPolicy{Kind: &mlscontents.MetadataPolicy_Base{Base: mlscontents.MetadataPolicy_MetadataBasePolicy(n)}}
	},
	and: func(s []*mlscontents.MetadataPolicy) *mlscontents.MetadataPolicy {
		return &mlscontents.MetadataPolicy{Kind: &mlscontents.MetadataPolicy_AndCondition_{AndCondition: &mlscontents.MetadataPolicy_AndCondition{Policies: s}}}
	},
	any: func(s []*mlscontents.MetadataPolicy) *mlscontents.MetadataPolicy {
		return &mlscontents.MetadataPolicy{Kind: &mlscontents.MetadataPolicy_AnyCondition_{AnyCondition: &mlscontents.MetadataPolicy_AnyCondition{Policies: s}}}
	},
	split: func(w *mlscontents.MetadataPolicy) (combinator, int32, []*mlscontents.MetadataPolicy, bool) {
		switch k := w.GetKind().(type) {
		case *mlscontents.MetadataPolicy_Base:
			return opLeaf, int32(k.Base), nil, true
		case *mlscontents.MetadataPolicy_AndCondition_:
			return opAnd, 0, k.AndCondition.GetPolicies(), true
		case *mlscontents.MetadataPolicy_AnyCondition_:
			return opAny, 0, k.AnyCondition.GetPolicies(), true
		}
		return 0, 0, nil, false
	},
}

// permissionsWire has no Allow: changing who is an admin, or the policies, always needs a role.
var permissionsWire = wireCodec[*mlscontents.PermissionsUpdatePolicy]{
	name:  "admin-list or permissions",
	bases: map[Base]int32{BaseDeny: 1, BaseAdmin: 2, BaseSuperAdmin: 3},
	base: func(n int32) *mlscontents.PermissionsUpdatePolicy {
		return &mlscontents.PermissionsUpdatePolicy{Kind: &mlscontents.PermissionsUpdatePolicy_Base{Base: mlscontents.PermissionsUpdatePolicy_PermissionsBasePolicy(n)}}
	},
	and: func(s []*mlscontents.PermissionsUpdatePolicy) *mlscontents.PermissionsUpdatePolicy {
		return &mlscontents.PermissionsUpdatePolicy{Kind: &mlscontents.PermissionsUpdatePolicy_AndCondition_{AndCondition: &mlscontents.PermissionsUpdatePolicy_AndCondition{Policies: s}}}
	},
	any: func(s []*mlscontents.PermissionsUpdatePolicy) *mlscontents.PermissionsUpdatePolicy {
		return &mlscontents.PermissionsUpdatePolicy{Kind: &mlscontents.PermissionsUpdatePolicy_AnyCondition_{AnyCondition: &mlscontents.PermissionsUpdatePolicy_AnyCondition{Policies: s}}}
	},
	split: func(w *mlscontents.PermissionsUpdatePolicy) (combinator, int32, []*mlscontents.PermissionsUpdatePolicy, bool) {
		switch k := w.GetKind().(type) {
		case *mlscontents.PermissionsUpdatePolicy_Base:
			return opLeaf, int32(k.Base), nil, true
		case *mlscontents.PermissionsUpdatePolicy_AndCondition_:
			return opAnd, 0, k.AndCondition.GetPolicies(), true
		case *mlscontents.PermissionsUpdatePolicy_AnyCondition_:
			return opAny, 0, k.AnyCondition.GetPolicies(), true
		}
		return 0, 0, nil, false
	},
}
