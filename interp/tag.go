package interp

import (
	"github.com/gowasm/gowasm/wasm"
)

// Tag is an exception tag (exception handling): exceptions thrown with it
// carry values of its parameter types.
type Tag struct {
	typ *wasm.FuncType
	rt  *rtt // the canonical identity of its type
}

// NewTag returns a new tag of type typ (whose results must be empty).
func (s *Store) NewTag(typ wasm.FuncType) *Tag {
	t := typ
	return &Tag{typ: &t, rt: s.hostFuncType(&t)}
}

// ExternKind returns wasm.ExternTag.
func (t *Tag) ExternKind() wasm.ExternKind { return wasm.ExternTag }

// Type returns the tag's type.
func (t *Tag) Type() *wasm.FuncType { return t.typ }

// exn is a thrown exception (the value of an exnref).
type exn struct {
	tag   *Tag
	slots []uint64 // the payload, in slot layout
	refs  []any
}

// Exception is the error returned by Func.Call when a wasm exception is
// not caught by the guest.
type Exception struct {
	// Tag is the exception's tag.
	Tag *Tag
	// Args are the values the exception carries.
	Args []Value
	e    *exn
}

// Error returns "wasm exception: uncaught exception".
func (x *Exception) Error() string { return "wasm exception: uncaught exception" }

// newException wraps an uncaught exn for the host.
func newException(x *exn) *Exception {
	ex := &Exception{Tag: x.tag, e: x}
	s := 0
	for _, t := range x.tag.typ.Params {
		v := Value{Type: t}
		switch t.Kind {
		case wasm.KindV128:
			v.Lo, v.Hi = x.slots[s], x.slots[s+1]
			s += 2
			ex.Args = append(ex.Args, v)
			continue
		case wasm.KindRef:
			v.Ref = x.refs[s]
		default:
			v.Lo = x.slots[s]
		}
		s++
		ex.Args = append(ex.Args, v)
	}
	return ex
}
