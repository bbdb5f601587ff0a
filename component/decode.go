package component

import (
	"errors"
	"fmt"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// maxDepth bounds the nesting of components and types.
const maxDepth = 100

// Error is a decoding or validation error.
type Error struct {
	// Section is the id of the section being decoded, or -1.
	Section int
	// Offset is the absolute byte offset, or -1.
	Offset int
	// Msg describes the problem.
	Msg string
	// Err is an underlying error, if any.
	Err error
}

var sectionNames = [...]string{"custom", "core module", "core instance", "core type", "component",
	"instance", "alias", "type", "canon", "start", "import", "export", "value"}

// Error formats the error as
// "component: section 7 (type), offset 0x1a2b: message".
func (e *Error) Error() string {
	s := "component: "
	if e.Section >= 0 {
		s += fmt.Sprintf("section %d", e.Section)
		if e.Section < len(sectionNames) {
			s += " (" + sectionNames[e.Section] + ")"
		}
		s += ", "
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf("offset 0x%x: ", e.Offset)
	}
	s += e.Msg
	if e.Err != nil {
		if e.Msg != "" {
			s += ": "
		}
		s += e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Magic and version of component binaries.
var preamble = []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}

// IsComponent reports whether b starts with the component preamble.
func IsComponent(b []byte) bool {
	return len(b) >= 8 && string(b[:4]) == "\x00asm" && b[6] == 0x01 && b[7] == 0x00
}

type decoder struct {
	r     *binary.Reader
	sec   int
	depth int
}

// Decode decodes a component binary into its abstract syntax, decoding
// every nested core module and component.
func Decode(b []byte) (*Component, error) {
	return decodeComponent(b, 0, 0)
}

func decodeComponent(b []byte, base, depth int) (*Component, error) {
	if depth > maxDepth {
		return nil, &Error{Section: -1, Offset: base, Msg: "components nested too deeply"}
	}
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, &Error{Section: -1, Offset: base, Msg: "bad magic number"}
	}
	if b[6] != 0x01 || b[7] != 0x00 {
		return nil, &Error{Section: -1, Offset: base + 6, Msg: "not a component (layer is not 1)"}
	}
	if b[4] != 0x0d || b[5] != 0x00 {
		return nil, &Error{Section: -1, Offset: base + 4, Msg: fmt.Sprintf("unsupported component version 0x%02x%02x", b[5], b[4])}
	}
	c := &Component{Raw: b, Offset: base}
	r := binary.NewReader(b[8:], base+8)
	for r.Len() > 0 {
		start := r.Offset()
		id, err := r.Byte()
		if err != nil {
			return nil, wrapErr(-1, err)
		}
		size, err := r.U32()
		if err != nil {
			return nil, wrapErr(int(id), err)
		}
		if int64(size) > int64(r.Len()) {
			return nil, &Error{Section: int(id), Offset: start, Msg: "section size out of bounds"}
		}
		body, _ := r.Bytes(int(size))
		sr := binary.NewReader(body, r.Offset()-int(size))
		d := &decoder{r: sr, sec: int(id), depth: depth}
		if err := d.section(c, id, body); err != nil {
			return nil, wrapErr(int(id), err)
		}
		if sr.Len() != 0 {
			return nil, &Error{Section: int(id), Offset: sr.Offset(), Msg: "section size mismatch"}
		}
	}
	return c, nil
}

// wrapErr attaches the section id to err, converting binary.Error.
func wrapErr(section int, err error) error {
	var ce *Error
	if errors.As(err, &ce) {
		if ce.Section < 0 {
			ce.Section = section
		}
		return ce
	}
	var be *binary.Error
	if errors.As(err, &be) && be.Section < 0 {
		return &Error{Section: section, Offset: be.Offset, Msg: be.Msg, Err: be.Err}
	}
	return &Error{Section: section, Offset: -1, Err: err}
}

func (d *decoder) errf(format string, args ...any) error {
	return &Error{Section: d.sec, Offset: d.r.Offset(), Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) section(c *Component, id byte, body []byte) error {
	r := d.r
	switch id {
	case 0:
		name, err := r.Name()
		if err != nil {
			return err
		}
		c.Customs = append(c.Customs, Custom{Name: name, Data: r.Rest()})
		_ = r.Skip(r.Len())
		return nil
	case 1:
		off := r.Offset()
		m, err := binary.Decode(body)
		if err != nil {
			var be *binary.Error
			if errors.As(err, &be) {
				return &Error{Section: 1, Offset: off + be.Offset, Msg: "core module", Err: err}
			}
			return &Error{Section: 1, Offset: off, Msg: "core module", Err: err}
		}
		c.Defs = append(c.Defs, &CoreModule{Module: m, Raw: body, Offset: off})
		c.pos = append(c.pos, defPos{int(id), off})
		_ = r.Skip(r.Len())
		return nil
	case 4:
		off := r.Offset()
		nc, err := decodeComponent(body, off, d.depth+1)
		if err != nil {
			return err
		}
		c.Defs = append(c.Defs, nc)
		c.pos = append(c.pos, defPos{int(id), off})
		_ = r.Skip(r.Len())
		return nil
	case 9:
		off := r.Offset()
		s, err := d.start()
		if err != nil {
			return err
		}
		c.Defs = append(c.Defs, s)
		c.pos = append(c.pos, defPos{int(id), off})
		return nil
	}
	var item func() (Def, error)
	switch id {
	case 2:
		item = d.coreInstance
	case 3:
		item = func() (Def, error) { return d.coreType(0) }
	case 5:
		item = d.instance
	case 6:
		item = func() (Def, error) { return d.alias() }
	case 7:
		item = func() (Def, error) { return d.typeDef(0) }
	case 8:
		item = d.canon
	case 10:
		item = func() (Def, error) {
			n, t, err := d.importDecl()
			if err != nil {
				return nil, err
			}
			return &Import{Name: n, Type: t}, nil
		}
	case 11:
		item = d.export
	case 12:
		item = d.value
	default:
		return &Error{Section: int(id), Offset: r.Offset() - 1, Msg: fmt.Sprintf("unknown section id %d", id)}
	}
	n, err := r.Count(1)
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		off := r.Offset()
		def, err := item()
		if err != nil {
			return err
		}
		c.Defs = append(c.Defs, def)
		c.pos = append(c.pos, defPos{int(id), off})
	}
	return nil
}

func (d *decoder) sort() (Sort, error) {
	b, err := d.r.Byte()
	if err != nil {
		return 0, err
	}
	if b == 0x00 {
		cb, err := d.r.Byte()
		if err != nil {
			return 0, err
		}
		return coreSort(d, cb)
	}
	if b >= 0x01 && b <= 0x05 {
		return Sort(b), nil
	}
	return 0, d.errf("malformed sort 0x%02x", b)
}

func coreSort(d *decoder, cb byte) (Sort, error) {
	switch cb {
	case 0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12:
		return SortCore | Sort(cb), nil
	}
	return 0, d.errf("malformed core sort 0x%02x", cb)
}

func (d *decoder) coreInstance() (Def, error) {
	r := d.r
	tag, err := r.Byte()
	if err != nil {
		return nil, err
	}
	switch tag {
	case 0x00:
		m, err := r.U32()
		if err != nil {
			return nil, err
		}
		n, err := r.Count(3)
		if err != nil {
			return nil, err
		}
		ci := &CoreInstance{Instantiate: true, Module: m, Args: make([]CoreInstantiateArg, n)}
		for i := range ci.Args {
			if ci.Args[i].Name, err = r.Name(); err != nil {
				return nil, err
			}
			b, err := r.Byte()
			if err != nil {
				return nil, err
			}
			if b != 0x12 {
				return nil, d.errf("core instantiate argument must be an instance, got sort 0x%02x", b)
			}
			if ci.Args[i].Instance, err = r.U32(); err != nil {
				return nil, err
			}
		}
		return ci, nil
	case 0x01:
		n, err := r.Count(3)
		if err != nil {
			return nil, err
		}
		ci := &CoreInstance{Exports: make([]CoreInlineExport, n)}
		for i := range ci.Exports {
			if ci.Exports[i].Name, err = r.Name(); err != nil {
				return nil, err
			}
			b, err := r.Byte()
			if err != nil {
				return nil, err
			}
			s, err := coreSort(d, b)
			if err != nil {
				return nil, err
			}
			idx, err := r.U32()
			if err != nil {
				return nil, err
			}
			ci.Exports[i].Ref = SortIdx{s, idx}
		}
		return ci, nil
	}
	return nil, d.errf("malformed core instance 0x%02x", tag)
}

func (d *decoder) instance() (Def, error) {
	r := d.r
	tag, err := r.Byte()
	if err != nil {
		return nil, err
	}
	switch tag {
	case 0x00:
		c, err := r.U32()
		if err != nil {
			return nil, err
		}
		n, err := r.Count(3)
		if err != nil {
			return nil, err
		}
		in := &InstanceDef{Instantiate: true, Component: c, Args: make([]InstantiateArg, n)}
		for i := range in.Args {
			if in.Args[i].Name, err = r.Name(); err != nil {
				return nil, err
			}
			if in.Args[i].Ref, err = d.sortIdx(); err != nil {
				return nil, err
			}
		}
		return in, nil
	case 0x01:
		n, err := r.Count(3)
		if err != nil {
			return nil, err
		}
		in := &InstanceDef{Exports: make([]InlineExport, n)}
		for i := range in.Exports {
			if in.Exports[i].Name, err = d.externName(); err != nil {
				return nil, err
			}
			if in.Exports[i].Ref, err = d.sortIdx(); err != nil {
				return nil, err
			}
		}
		return in, nil
	}
	return nil, d.errf("malformed instance 0x%02x", tag)
}

func (d *decoder) sortIdx() (SortIdx, error) {
	s, err := d.sort()
	if err != nil {
		return SortIdx{}, err
	}
	idx, err := d.r.U32()
	return SortIdx{s, idx}, err
}

func (d *decoder) alias() (*Alias, error) {
	r := d.r
	s, err := d.sort()
	if err != nil {
		return nil, err
	}
	tag, err := r.Byte()
	if err != nil {
		return nil, err
	}
	a := &Alias{Sort: s, Kind: AliasKind(tag)}
	switch tag {
	case 0x00, 0x01:
		if a.Instance, err = r.U32(); err != nil {
			return nil, err
		}
		if a.Name, err = r.Name(); err != nil {
			return nil, err
		}
	case 0x02:
		if a.Outer.Count, err = r.U32(); err != nil {
			return nil, err
		}
		if a.Outer.Index, err = r.U32(); err != nil {
			return nil, err
		}
	default:
		return nil, d.errf("malformed alias target 0x%02x", tag)
	}
	return a, nil
}

// externName reads nameattributes.
func (d *decoder) externName() (ExternName, error) {
	r := d.r
	tag, err := r.Byte()
	if err != nil {
		return ExternName{}, err
	}
	n := ExternName{Prefix: tag}
	switch tag {
	case 0x00, 0x01, 0x02:
		if n.Name, err = r.Name(); err != nil {
			return n, err
		}
	default:
		return n, d.errf("malformed name prefix 0x%02x", tag)
	}
	if tag == 0x02 {
		cnt, err := r.Count(2)
		if err != nil {
			return n, err
		}
		for i := 0; i < cnt; i++ {
			k, err := r.Byte()
			if err != nil {
				return n, err
			}
			s, err := r.Name()
			if err != nil {
				return n, err
			}
			switch k {
			case 0x00:
				n.Implements = s
			case 0x01:
				n.VersionSuffix = s
			case 0x02:
				n.ExternalID = s
			default:
				return n, d.errf("malformed name attribute 0x%02x", k)
			}
		}
	}
	if err := ValidateName(n.Name); err != nil {
		return n, d.errf("%v", err)
	}
	return n, nil
}

func (d *decoder) externType() (ExternType, error) {
	r := d.r
	k, err := r.Byte()
	if err != nil {
		return ExternType{}, err
	}
	et := ExternType{Kind: ExternKind(k)}
	switch k {
	case 0x00:
		b, err := r.Byte()
		if err != nil {
			return et, err
		}
		if b != 0x11 {
			return et, d.errf("malformed core extern type 0x%02x", b)
		}
		et.Index, err = r.U32()
		return et, err
	case 0x01, 0x04, 0x05:
		et.Index, err = r.U32()
		return et, err
	case 0x02:
		b, err := r.Byte()
		if err != nil {
			return et, err
		}
		switch b {
		case 0x00:
			et.Index, err = r.U32()
			return et, err
		case 0x01:
			t, err := d.valType()
			et.ValType = &t
			return et, err
		}
		return et, d.errf("malformed value bound 0x%02x", b)
	case 0x03:
		b, err := r.Byte()
		if err != nil {
			return et, err
		}
		switch b {
		case 0x00:
			et.Index, err = r.U32()
			return et, err
		case 0x01:
			et.SubResource = true
			return et, nil
		}
		return et, d.errf("malformed type bound 0x%02x", b)
	}
	return et, d.errf("malformed extern type 0x%02x", k)
}

func (d *decoder) importDecl() (ExternName, ExternType, error) {
	n, err := d.externName()
	if err != nil {
		return n, ExternType{}, err
	}
	t, err := d.externType()
	return n, t, err
}

func (d *decoder) export() (Def, error) {
	n, err := d.externName()
	if err != nil {
		return nil, err
	}
	si, err := d.sortIdx()
	if err != nil {
		return nil, err
	}
	e := &Export{Name: n, Ref: si}
	b, err := d.r.Byte()
	if err != nil {
		return nil, err
	}
	switch b {
	case 0x00:
	case 0x01:
		t, err := d.externType()
		if err != nil {
			return nil, err
		}
		e.Type = &t
	default:
		return nil, d.errf("malformed optional extern type 0x%02x", b)
	}
	return e, nil
}

func (d *decoder) start() (*Start, error) {
	r := d.r
	f, err := r.U32()
	if err != nil {
		return nil, err
	}
	n, err := r.Count(1)
	if err != nil {
		return nil, err
	}
	s := &Start{Func: f, Args: make([]uint32, n)}
	for i := range s.Args {
		if s.Args[i], err = r.U32(); err != nil {
			return nil, err
		}
	}
	s.Results, err = r.U32()
	return s, err
}

func (d *decoder) value() (Def, error) {
	t, err := d.valType()
	if err != nil {
		return nil, err
	}
	data, err := d.r.ByteVec()
	if err != nil {
		return nil, err
	}
	return &ValueDef{Type: t, Data: data}, nil
}

// valType reads a valtype: a primitive type code or a type index.
func (d *decoder) valType() (TypeRef, error) {
	r := d.r
	if c, ok := r.Peek(); ok && (ValKind(c).IsPrimitive()) {
		_, _ = r.Byte()
		return TypeRef{Prim: ValKind(c)}, nil
	}
	start := r.Offset()
	v, err := r.S33()
	if err != nil {
		return TypeRef{}, err
	}
	if v < 0 {
		return TypeRef{}, &Error{Section: d.sec, Offset: start, Msg: "malformed value type"}
	}
	return TypeRef{Index: uint32(v)}, nil
}

func (d *decoder) optValType() (*TypeRef, error) {
	b, err := d.r.Byte()
	if err != nil {
		return nil, err
	}
	switch b {
	case 0x00:
		return nil, nil
	case 0x01:
		t, err := d.valType()
		return &t, err
	}
	return nil, d.errf("malformed optional value type 0x%02x", b)
}

func (d *decoder) label() (string, error) {
	s, err := d.r.Name()
	if err != nil {
		return "", err
	}
	if !isLabel(s) {
		return "", d.errf("invalid label %q", s)
	}
	return s, nil
}

func (d *decoder) labeledTypes() ([]LabeledType, error) {
	n, err := d.r.Count(2)
	if err != nil {
		return nil, err
	}
	out := make([]LabeledType, n)
	for i := range out {
		if out[i].Name, err = d.label(); err != nil {
			return nil, err
		}
		if out[i].Type, err = d.valType(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *decoder) typeDef(depth int) (*TypeDef, error) {
	if depth > maxDepth {
		return nil, d.errf("types nested too deeply")
	}
	r := d.r
	c, ok := r.Peek()
	if !ok {
		_, err := r.Byte()
		return nil, err
	}
	switch c {
	case 0x40, 0x43:
		_, _ = r.Byte()
		ft := &FuncTypeDef{Async: c == 0x43}
		var err error
		if ft.Params, err = d.labeledTypes(); err != nil {
			return nil, err
		}
		b, err := r.Byte()
		if err != nil {
			return nil, err
		}
		switch b {
		case 0x00:
			t, err := d.valType()
			if err != nil {
				return nil, err
			}
			ft.Result = &t
		case 0x01:
			if ft.Results, err = d.labeledTypes(); err != nil {
				return nil, err
			}
			if len(ft.Results) == 0 {
				ft.Results = nil
			}
		default:
			return nil, d.errf("malformed result list 0x%02x", b)
		}
		return &TypeDef{Func: ft}, nil
	case 0x41, 0x42:
		_, _ = r.Byte()
		decls, err := d.decls(c == 0x41, depth)
		if err != nil {
			return nil, err
		}
		if c == 0x41 {
			return &TypeDef{Component: &ComponentTypeDef{Decls: decls}}, nil
		}
		return &TypeDef{Instance: &InstanceTypeDef{Decls: decls}}, nil
	case 0x3f, 0x3e:
		_, _ = r.Byte()
		rt := &ResourceTypeDef{}
		var err error
		if rt.Rep, err = r.ValType(); err != nil {
			return nil, err
		}
		if rt.Rep != wasm.I32 {
			return nil, d.errf("resource representation must be i32")
		}
		b, err := r.Byte()
		if err != nil {
			return nil, err
		}
		switch b {
		case 0x00:
		case 0x01:
			rt.HasDtor = true
			if rt.Dtor, err = r.U32(); err != nil {
				return nil, err
			}
		default:
			return nil, d.errf("malformed resource destructor 0x%02x", b)
		}
		if c == 0x3e {
			b, err := r.Byte()
			if err != nil {
				return nil, err
			}
			if b == 0x01 {
				rt.HasCB = true
				if rt.Callback, err = r.U32(); err != nil {
					return nil, err
				}
			}
		}
		return &TypeDef{Resource: rt}, nil
	}
	vt, err := d.defValType()
	if err != nil {
		return nil, err
	}
	return &TypeDef{Val: vt}, nil
}

func (d *decoder) defValType() (*DefValType, error) {
	r := d.r
	start := r.Offset()
	c, err := r.Byte()
	if err != nil {
		return nil, err
	}
	k := ValKind(c)
	if k.IsPrimitive() {
		return &DefValType{Kind: k}, nil
	}
	t := &DefValType{Kind: k}
	switch k {
	case KindRecord:
		if t.Fields, err = d.labeledTypes(); err != nil {
			return nil, err
		}
		if len(t.Fields) == 0 {
			return nil, d.errf("record has no fields")
		}
	case KindVariant:
		n, err := r.Count(3)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, d.errf("variant has no cases")
		}
		t.Cases = make([]CaseDef, n)
		for i := range t.Cases {
			if t.Cases[i].Name, err = d.label(); err != nil {
				return nil, err
			}
			if t.Cases[i].Type, err = d.optValType(); err != nil {
				return nil, err
			}
			// refines: 0x00, or (older) 0x01 u32
			b, err := r.Byte()
			if err != nil {
				return nil, err
			}
			if b == 0x01 {
				if _, err := r.U32(); err != nil {
					return nil, err
				}
			} else if b != 0x00 {
				return nil, d.errf("malformed variant case 0x%02x", b)
			}
		}
	case KindList, KindOption:
		e, err := d.valType()
		if err != nil {
			return nil, err
		}
		t.Elem = &e
	case KindFixedList:
		e, err := d.valType()
		if err != nil {
			return nil, err
		}
		t.Elem = &e
		if t.Len, err = r.U32(); err != nil {
			return nil, err
		}
		if t.Len == 0 {
			return nil, d.errf("fixed-length list of length 0")
		}
	case KindTuple:
		n, err := r.Count(1)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, d.errf("tuple has no types")
		}
		t.Types = make([]TypeRef, n)
		for i := range t.Types {
			if t.Types[i], err = d.valType(); err != nil {
				return nil, err
			}
		}
	case KindFlags, KindEnum:
		n, err := r.Count(1)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, d.errf("%v has no labels", k)
		}
		if k == KindFlags && n > 32 {
			return nil, d.errf("flags has more than 32 labels")
		}
		t.Labels = make([]string, n)
		for i := range t.Labels {
			if t.Labels[i], err = d.label(); err != nil {
				return nil, err
			}
		}
	case KindResult:
		if t.Elem, err = d.optValType(); err != nil {
			return nil, err
		}
		if t.Value, err = d.optValType(); err != nil {
			return nil, err
		}
	case KindOwn, KindBorrow:
		if t.Res, err = r.U32(); err != nil {
			return nil, err
		}
	case KindStream, KindFuture:
		if t.Elem, err = d.optValType(); err != nil {
			return nil, err
		}
	case KindMap:
		kt, err := d.valType()
		if err != nil {
			return nil, err
		}
		vt, err := d.valType()
		if err != nil {
			return nil, err
		}
		t.Elem, t.Value = &kt, &vt
	default:
		return nil, &Error{Section: d.sec, Offset: start, Msg: fmt.Sprintf("malformed type 0x%02x", c)}
	}
	return t, nil
}

func (d *decoder) decls(component bool, depth int) ([]Decl, error) {
	r := d.r
	n, err := r.Count(2)
	if err != nil {
		return nil, err
	}
	out := make([]Decl, 0, min(n, 1024))
	for i := 0; i < n; i++ {
		tag, err := r.Byte()
		if err != nil {
			return nil, err
		}
		var dc Decl
		switch tag {
		case 0x00:
			if dc.CoreType, err = d.coreType(depth + 1); err != nil {
				return nil, err
			}
		case 0x01:
			if dc.Type, err = d.typeDef(depth + 1); err != nil {
				return nil, err
			}
		case 0x02:
			if dc.Alias, err = d.alias(); err != nil {
				return nil, err
			}
		case 0x03, 0x04:
			if tag == 0x03 && !component {
				return nil, d.errf("import declarator in an instance type")
			}
			name, et, err := d.importDecl()
			if err != nil {
				return nil, err
			}
			if tag == 0x03 {
				dc.Import = &ImportDecl{name, et}
			} else {
				dc.Export = &ImportDecl{name, et}
			}
		default:
			return nil, d.errf("malformed declarator 0x%02x", tag)
		}
		out = append(out, dc)
	}
	return out, nil
}

// coreType reads a core:type of a component.
func (d *decoder) coreType(depth int) (*CoreTypeDef, error) {
	if depth > maxDepth {
		return nil, d.errf("types nested too deeply")
	}
	r := d.r
	c, ok := r.Peek()
	if !ok {
		_, err := r.Byte()
		return nil, err
	}
	switch c {
	case 0x50:
		_, _ = r.Byte()
		mt, err := d.moduleType(depth)
		if err != nil {
			return nil, err
		}
		return &CoreTypeDef{Module: mt}, nil
	case 0x4e:
		_, _ = r.Byte()
		n, err := r.Count(1)
		if err != nil {
			return nil, err
		}
		rec := make([]wasm.SubType, n)
		for i := range rec {
			if rec[i], err = d.coreSubType(false); err != nil {
				return nil, err
			}
		}
		return &CoreTypeDef{Rec: rec}, nil
	case 0x00:
		_, _ = r.Byte()
		b, err := r.Byte()
		if err != nil {
			return nil, err
		}
		if b != 0x50 {
			return nil, d.errf("malformed core sub type")
		}
		st, err := d.coreSubType(true)
		if err != nil {
			return nil, err
		}
		return &CoreTypeDef{Rec: []wasm.SubType{st}}, nil
	}
	st, err := d.coreSubType(false)
	if err != nil {
		return nil, err
	}
	return &CoreTypeDef{Rec: []wasm.SubType{st}}, nil
}

// coreSubType reads a core sub type; afterSub means 0x50 was consumed.
func (d *decoder) coreSubType(afterSub bool) (wasm.SubType, error) {
	r := d.r
	st := wasm.SubType{Final: true}
	c, ok := r.Peek()
	if afterSub || (ok && (c == 0x50 || c == 0x4f)) {
		if !afterSub {
			_, _ = r.Byte()
		}
		st.Final = !afterSub && c == 0x4f
		n, err := r.Count(1)
		if err != nil {
			return st, err
		}
		st.Supers = make([]uint32, n)
		for i := range st.Supers {
			if st.Supers[i], err = r.U32(); err != nil {
				return st, err
			}
		}
	}
	ct, err := d.compType()
	st.Comp = ct
	return st, err
}

func (d *decoder) compType() (wasm.CompType, error) {
	r := d.r
	c, err := r.Byte()
	if err != nil {
		return wasm.CompType{}, err
	}
	ct := wasm.CompType{Kind: wasm.CompKind(c)}
	switch wasm.CompKind(c) {
	case wasm.CompFunc:
		if ct.Func.Params, err = d.coreValTypes(); err != nil {
			return ct, err
		}
		ct.Func.Results, err = d.coreValTypes()
		return ct, err
	case wasm.CompStruct:
		n, err := r.Count(2)
		if err != nil {
			return ct, err
		}
		ct.Fields = make([]wasm.FieldType, n)
		for i := range ct.Fields {
			if ct.Fields[i], err = d.fieldType(); err != nil {
				return ct, err
			}
		}
		return ct, nil
	case wasm.CompArray:
		ct.Elem, err = d.fieldType()
		return ct, err
	}
	return ct, d.errf("malformed core composite type 0x%02x", c)
}

func (d *decoder) coreValTypes() ([]wasm.ValType, error) {
	n, err := d.r.Count(1)
	if err != nil {
		return nil, err
	}
	out := make([]wasm.ValType, n)
	for i := range out {
		if out[i], err = d.r.ValType(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *decoder) fieldType() (wasm.FieldType, error) {
	r := d.r
	var ft wasm.FieldType
	if c, ok := r.Peek(); ok && (c == 0x78 || c == 0x77) {
		_, _ = r.Byte()
		ft.Storage.Packed = c
	} else {
		v, err := r.ValType()
		if err != nil {
			return ft, err
		}
		ft.Storage.Val = v
	}
	m, err := r.Byte()
	if err != nil {
		return ft, err
	}
	if m > 1 {
		return ft, d.errf("malformed mutability")
	}
	ft.Mutable = m == 1
	return ft, nil
}

// coreImportType reads the type of a core import in a core module type,
// encoded as in a core module's import section.
func (d *decoder) coreImportType(imp *wasm.Import) error {
	return d.r.ImportDesc(imp)
}

func (d *decoder) moduleType(depth int) (*CoreModuleType, error) {
	r := d.r
	n, err := r.Count(2)
	if err != nil {
		return nil, err
	}
	mt := &CoreModuleType{Decls: make([]CoreModuleDecl, 0, min(n, 1024))}
	for i := 0; i < n; i++ {
		tag, err := r.Byte()
		if err != nil {
			return nil, err
		}
		md := CoreModuleDecl{Kind: tag}
		switch tag {
		case 0x00:
			if md.Import.Module, err = r.Name(); err != nil {
				return nil, err
			}
			if md.Import.Name, err = r.Name(); err != nil {
				return nil, err
			}
			if err := d.coreImportType(&md.Import); err != nil {
				return nil, err
			}
		case 0x01:
			if md.Type, err = d.coreType(depth + 1); err != nil {
				return nil, err
			}
			if md.Type.Module != nil {
				return nil, d.errf("module type inside a module type")
			}
		case 0x02:
			b1, err := r.Byte()
			if err != nil {
				return nil, err
			}
			b2, err := r.Byte()
			if err != nil {
				return nil, err
			}
			if b1 != 0x10 || b2 != 0x01 {
				return nil, d.errf("malformed core alias")
			}
			if md.Outer.Count, err = r.U32(); err != nil {
				return nil, err
			}
			if md.Outer.Index, err = r.U32(); err != nil {
				return nil, err
			}
		case 0x03:
			if md.Import.Name, err = r.Name(); err != nil {
				return nil, err
			}
			if err := d.coreImportType(&md.Import); err != nil {
				return nil, err
			}
		default:
			return nil, d.errf("malformed module declarator 0x%02x", tag)
		}
		mt.Decls = append(mt.Decls, md)
	}
	return mt, nil
}

func (d *decoder) canonOpts() (CanonOpts, error) {
	r := d.r
	var o CanonOpts
	n, err := r.Count(1)
	if err != nil {
		return o, err
	}
	seenEnc := false
	for i := 0; i < n; i++ {
		b, err := r.Byte()
		if err != nil {
			return o, err
		}
		dup := false
		switch b {
		case 0x00, 0x01, 0x02:
			dup = seenEnc
			seenEnc = true
			o.StringEncoding = StringEncoding(b)
		case 0x03:
			dup = o.HasMemory
			o.HasMemory = true
			o.Memory, err = r.U32()
		case 0x04:
			dup = o.HasRealloc
			o.HasRealloc = true
			o.Realloc, err = r.U32()
		case 0x05:
			dup = o.HasPostReturn
			o.HasPostReturn = true
			o.PostReturn, err = r.U32()
		case 0x06:
			dup = o.Async
			o.Async = true
		case 0x07:
			dup = o.HasCallback
			o.HasCallback = true
			o.Callback, err = r.U32()
		default:
			return o, d.errf("malformed canonical option 0x%02x", b)
		}
		if err != nil {
			return o, err
		}
		if dup {
			return o, d.errf("duplicate or conflicting canonical option 0x%02x", b)
		}
	}
	return o, nil
}

func (d *decoder) flag(what string) (bool, error) {
	b, err := d.r.Byte()
	if err != nil {
		return false, err
	}
	if b > 1 {
		return false, d.errf("malformed %s flag 0x%02x", what, b)
	}
	return b == 1, nil
}

func (d *decoder) canon() (Def, error) {
	r := d.r
	op, err := r.Byte()
	if err != nil {
		return nil, err
	}
	c := &Canon{Op: CanonOp(op)}
	switch op {
	case 0x00, 0x01:
		b, err := r.Byte()
		if err != nil {
			return nil, err
		}
		if b != 0x00 {
			return nil, d.errf("malformed canon %s: expected 0x00", map[byte]string{0: "lift", 1: "lower"}[op])
		}
		if c.Func, err = r.U32(); err != nil {
			return nil, err
		}
		if c.Opts, err = d.canonOpts(); err != nil {
			return nil, err
		}
		if op == 0x00 {
			if c.Type, err = r.U32(); err != nil {
				return nil, err
			}
		}
	case 0x02, 0x03, 0x04, 0x07, 0x0e, 0x13, 0x14, 0x15, 0x1a, 0x1b:
		if c.Type, err = r.U32(); err != nil {
			return nil, err
		}
	case 0x08: // older backpressure.set
	case 0x05, 0x0d, 0x1e, 0x1f, 0x22, 0x23, 0x24, 0x25, 0x26, 0x28:
	case 0x09:
		b, err := r.Byte()
		if err != nil {
			return nil, err
		}
		switch b {
		case 0x00:
			t, err := d.valType()
			if err != nil {
				return nil, err
			}
			c.Result = &t
		case 0x01:
			if c.Results, err = d.labeledTypes(); err != nil {
				return nil, err
			}
		default:
			return nil, d.errf("malformed result list 0x%02x", b)
		}
		if c.Opts, err = d.canonOpts(); err != nil {
			return nil, err
		}
	case 0x0a, 0x0b:
		if c.CoreType, err = r.ValType(); err != nil {
			return nil, err
		}
		if c.Index, err = r.U32(); err != nil {
			return nil, err
		}
	case 0x06, 0x11, 0x12, 0x18, 0x19:
		if op != 0x06 {
			if c.Type, err = r.U32(); err != nil {
				return nil, err
			}
		}
		if c.Async, err = d.flag("async"); err != nil {
			return nil, err
		}
	case 0x0c, 0x29, 0x2a, 0x2b, 0x2c, 0x2d:
		if c.Cancel, err = d.flag("cancel"); err != nil {
			return nil, err
		}
	case 0x0f, 0x10, 0x16, 0x17:
		if c.Type, err = r.U32(); err != nil {
			return nil, err
		}
		if c.Opts, err = d.canonOpts(); err != nil {
			return nil, err
		}
	case 0x1c, 0x1d:
		if c.Opts, err = d.canonOpts(); err != nil {
			return nil, err
		}
	case 0x20, 0x21:
		if c.Cancel, err = d.flag("cancel"); err != nil {
			return nil, err
		}
		if c.Memory, err = r.U32(); err != nil {
			return nil, err
		}
	case 0x27:
		if c.Type, err = r.U32(); err != nil {
			return nil, err
		}
		if c.Index, err = r.U32(); err != nil {
			return nil, err
		}
	case 0x40, 0x41, 0x42:
		if c.Shared, err = d.flag("shared"); err != nil {
			return nil, err
		}
		if op != 0x42 {
			if c.Type, err = r.U32(); err != nil {
				return nil, err
			}
		}
		if op == 0x41 {
			if c.Index, err = r.U32(); err != nil {
				return nil, err
			}
		}
	default:
		return nil, d.errf("malformed canon opcode 0x%02x", op)
	}
	return c, nil
}
