package permissions

import "slices"

// Base is a leaf policy: who may act.
type Base int

const (
	BaseAllow Base = iota
	BaseDeny
	// BaseAdmin allows admins and super admins.
	BaseAdmin
	BaseSuperAdmin
)

// combinator says how a Policy combines its sub-policies.
type combinator int

const (
	opLeaf combinator = iota
	opAnd             // AndCondition: every sub-policy must allow
	opAny             // AnyCondition: at least one must allow
)

// Policy decides whether an actor may make one kind of change. It is a Base or an And/Any
// combination of policies; the same type serves membership, metadata and admin-list
// policies, and the wire encoding says which bases each may use. The zero Policy is Allow.
type Policy struct {
	op   combinator
	base Base
	sub  []Policy
}

// Allow, Deny, Admin and SuperAdmin are the leaf policies.
func Allow() Policy      { return Policy{base: BaseAllow} }
func Deny() Policy       { return Policy{base: BaseDeny} }
func Admin() Policy      { return Policy{base: BaseAdmin} }
func SuperAdmin() Policy { return Policy{base: BaseSuperAdmin} }

// And allows when every one of ps allows.
func And(ps ...Policy) Policy { return Policy{op: opAnd, sub: slices.Clone(ps)} }

// Any allows when at least one of ps allows.
func Any(ps ...Policy) Policy { return Policy{op: opAny, sub: slices.Clone(ps)} }

// Actor is who makes a change, with the roles it holds before the change.
type Actor struct {
	InboxID      string
	IsAdmin      bool
	IsSuperAdmin bool
}

// Allows reports whether p lets a act. Admin allows super admins too, as in libxmtp.
func (p Policy) Allows(a Actor) bool {
	switch p.op {
	case opAnd:
		for _, q := range p.sub {
			if !q.Allows(a) {
				return false
			}
		}
		return true
	case opAny:
		return slices.ContainsFunc(p.sub, func(q Policy) bool { return q.Allows(a) })
	}
	switch p.base {
	case BaseAllow:
		return true
	case BaseAdmin:
		return a.IsAdmin || a.IsSuperAdmin
	case BaseSuperAdmin:
		return a.IsSuperAdmin
	}
	return false
}

// Leaf returns p's base and true when p is not a combination.
func (p Policy) Leaf() (Base, bool) { return p.base, p.op == opLeaf }

// Equal reports whether p and q are the same policy tree.
func (p Policy) Equal(q Policy) bool {
	if p.op != q.op {
		return false
	}
	if p.op == opLeaf {
		return p.base == q.base
	}
	return slices.EqualFunc(p.sub, q.sub, Policy.Equal)
}

func (b Base) String() string {
	switch b {
	case BaseAllow:
		return "allow"
	case BaseDeny:
		return "deny"
	case BaseAdmin:
		return "admin"
	case BaseSuperAdmin:
		return "super admin"
	}
	return "unknown"
}
