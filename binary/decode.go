package binary

import (
	"fmt"

	"github.com/gowasm/gowasm/wasm"
)

// Section ids.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
	secTag       = 13
)

// SectionName returns the name of the section with the given id
// ("custom", "type", ... "data count", "tag"), or "" for an unknown id.
func SectionName(id byte) string {
	switch id {
	case secCustom:
		return "custom"
	case secType:
		return "type"
	case secImport:
		return "import"
	case secFunction:
		return "function"
	case secTable:
		return "table"
	case secMemory:
		return "memory"
	case secGlobal:
		return "global"
	case secExport:
		return "export"
	case secStart:
		return "start"
	case secElement:
		return "element"
	case secCode:
		return "code"
	case secData:
		return "data"
	case secDataCount:
		return "data count"
	case secTag:
		return "tag"
	}
	return ""
}

// sectionRank gives the position of a known non-custom section in the
// required order (the tag section comes between memory and global, the
// data count section between element and code).
func sectionRank(id byte) int {
	switch id {
	case secTag:
		return 6
	case secGlobal, secExport, secStart, secElement:
		return int(id) + 1
	case secDataCount:
		return 11
	case secCode:
		return 12
	case secData:
		return 13
	}
	return int(id) // type..memory: 1..5
}

const msgSectionEnd = "unexpected end of section or function"

// decoder holds the state of one Decode call.
type decoder struct {
	m        *wasm.Module
	opt      Options
	usesData bool             // some body uses a data index (memory.init, data.drop...)
	blocks   []byte           // block nesting stack of the instruction walker
	locals   []wasm.LocalDecl // slab for Code.Locals
	in       wasm.Instr
}

// Decode decodes a module in the binary format. The returned module does
// not alias b. Function bodies and constant expressions are checked to be
// well-formed instruction sequences with properly nested blocks, but are
// not validated (see package validate). A custom section named "name" is
// also decoded into Module.Names when it is well-formed; a malformed name
// section is ignored, as the specification requires.
func Decode(b []byte) (*wasm.Module, error) { return DecodeWith(b, Options{}) }

// Options adjust decoding.
type Options struct {
	// Features selects the Wasm 3.0 encodings that 2.0 rejects. Without
	// wasm.MultiMemory, as in Wasm 2.0, the memory index of memory.size
	// and memory.grow must be a single zero byte ("zero byte expected")
	// and memory argument alignment flags must be below 32 ("malformed
	// memop flags"); with it, they are a u32 index and flags whose bit 6
	// announces a memory index.
	Features wasm.Features
}

// DecodeWith is Decode with options.
func DecodeWith(b []byte, opt Options) (*wasm.Module, error) {
	if len(b) < 4 {
		return nil, &Error{Section: -1, Func: -1, Offset: len(b), Msg: msgUnexpectedEnd}
	}
	if b[0] != 0 || b[1] != 'a' || b[2] != 's' || b[3] != 'm' {
		return nil, &Error{Section: -1, Func: -1, Offset: 0, Msg: "magic header not detected"}
	}
	if len(b) < 8 {
		return nil, &Error{Section: -1, Func: -1, Offset: len(b), Msg: msgUnexpectedEnd}
	}
	if b[4] != 1 || b[5] != 0 || b[6] != 0 || b[7] != 0 {
		return nil, &Error{Section: -1, Func: -1, Offset: 4, Msg: "unknown binary version"}
	}
	b = append([]byte(nil), b...) // the module keeps sub-slices of its own copy
	d := &decoder{m: &wasm.Module{}, opt: opt}
	r := NewReader(b, 0)
	r.pos = 8
	lastRank, lastID := 0, byte(0)
	hasCode := false
	for r.Len() > 0 {
		idPos := r.pos
		id := r.b[r.pos]
		r.pos++
		if id > secTag {
			return nil, r.errAt(idPos, "malformed section id")
		}
		size, err := r.U32()
		if err != nil {
			return nil, inSection(err, id, -1)
		}
		if uint64(size) > uint64(r.Len()) {
			return nil, inSection(r.errAt(r.pos, msgLength), id, -1)
		}
		sr := Reader{b: r.b[r.pos : r.pos+int(size)], base: r.pos, eofMsg: msgSectionEnd}
		r.pos += int(size)
		if id == secCustom {
			if err := d.custom(&sr, lastID); err != nil {
				return nil, inSection(err, id, -1)
			}
			continue
		}
		rank := sectionRank(id)
		if rank <= lastRank {
			return nil, r.errAt(idPos, "unexpected content after last section")
		}
		lastRank, lastID = rank, id
		if id == secCode {
			hasCode = true
		}
		if err := d.section(&sr, id); err != nil {
			return nil, inSection(err, id, -1)
		}
		if sr.Len() != 0 {
			return nil, inSection(sr.errAt(sr.pos, "section size mismatch"), id, -1)
		}
	}
	m := d.m
	trimEmpty(m)
	if !hasCode && len(m.Funcs) != 0 {
		return nil, r.errAt(r.pos, "function and code section have inconsistent lengths")
	}
	if m.HasDataCnt && uint64(m.DataCount) != uint64(len(m.Data)) {
		return nil, r.errAt(r.pos, "data count and data section have inconsistent lengths")
	}
	if !m.HasDataCnt && d.usesData {
		return nil, r.errAt(r.pos, "data count section required")
	}
	return m, nil
}

// trimEmpty sets the module's empty lists to nil, so that a module with an
// empty section and one without it are the same.
func trimEmpty(m *wasm.Module) {
	if len(m.Types) == 0 {
		m.Types, m.RecGroups = nil, nil
	}
	if len(m.Imports) == 0 {
		m.Imports = nil
	}
	if len(m.Funcs) == 0 {
		m.Funcs = nil
	}
	if len(m.Tables) == 0 {
		m.Tables = nil
	}
	if len(m.Memories) == 0 {
		m.Memories = nil
	}
	if len(m.Tags) == 0 {
		m.Tags = nil
	}
	if len(m.Globals) == 0 {
		m.Globals = nil
	}
	if len(m.Exports) == 0 {
		m.Exports = nil
	}
	if len(m.Elems) == 0 {
		m.Elems = nil
	}
	if len(m.Code) == 0 {
		m.Code = nil
	}
	if len(m.Data) == 0 {
		m.Data = nil
	}
}

// inSection records the section (and function) in err when it is a *Error
// that does not name one yet.
func inSection(err error, id byte, fn int) error {
	if e, ok := err.(*Error); ok {
		if e.Section < 0 {
			e.Section = int(id)
			e.SectionName = SectionName(id)
		}
		if e.Func < 0 {
			e.Func = fn
		}
	}
	return err
}

func (d *decoder) section(r *Reader, id byte) error {
	switch id {
	case secType:
		return d.typeSection(r)
	case secImport:
		return d.importSection(r)
	case secFunction:
		n, err := r.Count(1)
		if err != nil {
			return err
		}
		d.m.Funcs = make([]uint32, n)
		for i := range d.m.Funcs {
			if d.m.Funcs[i], err = r.U32(); err != nil {
				return err
			}
		}
	case secTable:
		return d.tableSection(r)
	case secMemory:
		n, err := r.Count(1)
		if err != nil {
			return err
		}
		d.m.Memories = make([]wasm.MemoryType, n)
		for i := range d.m.Memories {
			if d.m.Memories[i], err = r.MemoryType(); err != nil {
				return err
			}
		}
	case secTag:
		n, err := r.Count(2)
		if err != nil {
			return err
		}
		d.m.Tags = make([]wasm.Tag, n)
		for i := range d.m.Tags {
			if d.m.Tags[i].Type, err = r.tagType(); err != nil {
				return err
			}
		}
	case secGlobal:
		n, err := r.Count(3)
		if err != nil {
			return err
		}
		d.m.Globals = make([]wasm.Global, n)
		for i := range d.m.Globals {
			g := &d.m.Globals[i]
			if g.Type, err = r.GlobalType(); err != nil {
				return err
			}
			if g.Init, err = d.expr(r); err != nil {
				return err
			}
		}
	case secExport:
		return d.exportSection(r)
	case secStart:
		x, err := r.U32()
		if err != nil {
			return err
		}
		d.m.Start, d.m.HasStart = x, true
	case secElement:
		return d.elemSection(r)
	case secDataCount:
		x, err := r.U32()
		if err != nil {
			return err
		}
		d.m.DataCount, d.m.HasDataCnt = x, true
	case secCode:
		return d.codeSection(r)
	case secData:
		return d.dataSection(r)
	}
	return nil
}

// tagType reads a tag type: the attribute byte 0 and a type index.
func (r *Reader) tagType() (uint32, error) {
	c, err := r.Byte()
	if err != nil {
		return 0, err
	}
	if c != 0 {
		return 0, r.errAt(r.pos-1, "zero byte expected")
	}
	return r.U32()
}

func (d *decoder) typeSection(r *Reader) error {
	n, err := r.Count(2)
	if err != nil {
		return err
	}
	m := d.m
	m.Types = make([]wasm.SubType, 0, n)
	m.RecGroups = make([]wasm.RecGroup, 0, n)
	for range n {
		if c, ok := r.Peek(); ok && c == 0x4E {
			r.pos++
			k, err := r.Count(2)
			if err != nil {
				return err
			}
			g := wasm.RecGroup{First: uint32(len(m.Types)), Count: uint32(k)}
			for range k {
				st, err := r.subType()
				if err != nil {
					return err
				}
				m.Types = append(m.Types, st)
			}
			m.RecGroups = append(m.RecGroups, g)
			continue
		}
		st, err := r.subType()
		if err != nil {
			return err
		}
		m.RecGroups = append(m.RecGroups, wasm.RecGroup{First: uint32(len(m.Types)), Count: 1})
		m.Types = append(m.Types, st)
	}
	return nil
}

// subType reads a sub type: 0x50 (open) or 0x4F (final) with super types,
// or a bare composite type (final, no supers).
func (r *Reader) subType() (wasm.SubType, error) {
	st := wasm.SubType{Final: true}
	if c, ok := r.Peek(); ok && (c == 0x50 || c == 0x4F) {
		r.pos++
		st.Final = c == 0x4F
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
	var err error
	st.Comp, err = r.compType()
	return st, err
}

func (r *Reader) compType() (wasm.CompType, error) {
	var ct wasm.CompType
	pos := r.pos
	c, err := r.Byte()
	if err != nil {
		return ct, err
	}
	switch wasm.CompKind(c) {
	case wasm.CompFunc:
		ct.Kind = wasm.CompFunc
		if ct.Func.Params, err = r.resultType(); err != nil {
			return ct, err
		}
		ct.Func.Results, err = r.resultType()
		return ct, err
	case wasm.CompStruct:
		ct.Kind = wasm.CompStruct
		n, err := r.Count(2)
		if err != nil {
			return ct, err
		}
		ct.Fields = make([]wasm.FieldType, n)
		for i := range ct.Fields {
			if ct.Fields[i], err = r.fieldType(); err != nil {
				return ct, err
			}
		}
		return ct, nil
	case wasm.CompArray:
		ct.Kind = wasm.CompArray
		ct.Elem, err = r.fieldType()
		return ct, err
	}
	return ct, r.errAt(pos, "malformed definition type")
}

func (r *Reader) resultType() ([]wasm.ValType, error) {
	n, err := r.Count(1)
	if err != nil {
		return nil, err
	}
	ts := make([]wasm.ValType, n)
	for i := range ts {
		if ts[i], err = r.ValType(); err != nil {
			return nil, err
		}
	}
	return ts, nil
}

func (r *Reader) fieldType() (wasm.FieldType, error) {
	var ft wasm.FieldType
	if c, ok := r.Peek(); ok && (c == 0x78 || c == 0x77) {
		r.pos++
		ft.Storage.Packed = c
	} else {
		t, err := r.ValType()
		if err != nil {
			return ft, err
		}
		ft.Storage.Val = t
	}
	c, err := r.Byte()
	if err != nil {
		return ft, err
	}
	if c > 1 {
		return ft, r.errAt(r.pos-1, "malformed mutability")
	}
	ft.Mutable = c == 1
	return ft, nil
}

func (d *decoder) importSection(r *Reader) error {
	n, err := r.Count(4)
	if err != nil {
		return err
	}
	d.m.Imports = make([]wasm.Import, n)
	for i := range d.m.Imports {
		im := &d.m.Imports[i]
		if im.Module, err = r.Name(); err != nil {
			return err
		}
		if im.Name, err = r.Name(); err != nil {
			return err
		}
		if err := r.ImportDesc(im); err != nil {
			return err
		}
	}
	return nil
}

// ImportDesc reads an import description (the kind byte and the type or
// index that follows it) into im's Kind and Func, Table, Memory or Global
// field.
func (r *Reader) ImportDesc(im *wasm.Import) error {
	kpos := r.pos
	k, err := r.Byte()
	if err != nil {
		return err
	}
	im.Kind = wasm.ExternKind(k)
	switch im.Kind {
	case wasm.ExternFunc:
		im.Func, err = r.U32()
	case wasm.ExternTable:
		im.Table, err = r.TableType()
	case wasm.ExternMemory:
		im.Memory, err = r.MemoryType()
	case wasm.ExternGlobal:
		im.Global, err = r.GlobalType()
	case wasm.ExternTag:
		im.Func, err = r.tagType()
	default:
		return r.errAt(kpos, "malformed import kind")
	}
	return err
}

func (d *decoder) tableSection(r *Reader) error {
	n, err := r.Count(3)
	if err != nil {
		return err
	}
	d.m.Tables = make([]wasm.Table, n)
	for i := range d.m.Tables {
		t := &d.m.Tables[i]
		if c, ok := r.Peek(); ok && c == 0x40 {
			r.pos++
			z, err := r.Byte()
			if err != nil {
				return err
			}
			if z != 0 {
				return r.errAt(r.pos-1, "malformed reference type")
			}
			if t.Type, err = r.TableType(); err != nil {
				return err
			}
			if t.Init, err = d.expr(r); err != nil {
				return err
			}
			continue
		}
		if t.Type, err = r.TableType(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) exportSection(r *Reader) error {
	n, err := r.Count(3)
	if err != nil {
		return err
	}
	d.m.Exports = make([]wasm.Export, n)
	for i := range d.m.Exports {
		e := &d.m.Exports[i]
		if e.Name, err = r.Name(); err != nil {
			return err
		}
		kpos := r.pos
		k, err := r.Byte()
		if err != nil {
			return err
		}
		if k > byte(wasm.ExternTag) {
			return r.errAt(kpos, "malformed export kind")
		}
		e.Kind = wasm.ExternKind(k)
		if e.Index, err = r.U32(); err != nil {
			return err
		}
	}
	return nil
}

// funcRefNonNull is (ref func), the element type of the index forms of
// element segments.
var funcRefNonNull = wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc})

func (d *decoder) elemSection(r *Reader) error {
	n, err := r.Count(3)
	if err != nil {
		return err
	}
	d.m.Elems = make([]wasm.Elem, n)
	for i := range d.m.Elems {
		if err := d.elem(r, &d.m.Elems[i]); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) elem(r *Reader, e *wasm.Elem) error {
	fpos := r.pos
	flags, err := r.U32()
	if err != nil {
		return err
	}
	if flags > 7 {
		return r.errAt(fpos, "malformed elements segment kind")
	}
	switch {
	case flags&1 == 0:
		e.Mode = wasm.SegmentActive
		if flags&2 != 0 {
			if e.Table, err = r.U32(); err != nil {
				return err
			}
		}
		if e.Offset, err = d.expr(r); err != nil {
			return err
		}
	case flags&2 == 0:
		e.Mode = wasm.SegmentPassive
	default:
		e.Mode = wasm.SegmentDeclarative
	}
	exprs := flags&4 != 0
	// The element type: implicit for flags 0 and 4, an element kind byte
	// for the other index forms, a reference type for the other
	// expression forms.
	switch {
	case flags == 0:
		e.Type = funcRefNonNull
	case flags == 4:
		e.Type = wasm.FuncRef
	case !exprs:
		kpos := r.pos
		k, err := r.Byte()
		if err != nil {
			return err
		}
		if k != 0 {
			return r.errAt(kpos, "malformed element kind")
		}
		e.Type = funcRefNonNull
	default:
		if e.Type, err = r.RefType(); err != nil {
			return err
		}
	}
	if !exprs {
		k, err := r.Count(1)
		if err != nil {
			return err
		}
		e.Indices = make([]uint32, k)
		for j := range e.Indices {
			if e.Indices[j], err = r.U32(); err != nil {
				return err
			}
		}
		return nil
	}
	k, err := r.Count(1)
	if err != nil {
		return err
	}
	e.Exprs = make([]wasm.Expr, k)
	for j := range e.Exprs {
		if e.Exprs[j], err = d.expr(r); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) dataSection(r *Reader) error {
	n, err := r.Count(2)
	if err != nil {
		return err
	}
	d.m.Data = make([]wasm.Data, n)
	for i := range d.m.Data {
		s := &d.m.Data[i]
		fpos := r.pos
		flags, err := r.U32()
		if err != nil {
			return err
		}
		switch flags {
		case 0, 2:
			s.Mode = wasm.SegmentActive
			if flags == 2 {
				if s.Memory, err = r.U32(); err != nil {
					return err
				}
			}
			if s.Offset, err = d.expr(r); err != nil {
				return err
			}
		case 1:
			s.Mode = wasm.SegmentPassive
		default:
			return r.errAt(fpos, "malformed data segment kind")
		}
		if s.Init, err = r.ByteVec(); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) codeSection(r *Reader) error {
	n, err := r.Count(2)
	if err != nil {
		return err
	}
	if n != len(d.m.Funcs) {
		return r.errAt(r.pos, "function and code section have inconsistent lengths")
	}
	base := d.m.NumImported(wasm.ExternFunc)
	d.m.Code = make([]wasm.Code, n)
	for i := range d.m.Code {
		if err := d.code(r, &d.m.Code[i]); err != nil {
			return inSection(err, secCode, base+i)
		}
	}
	return nil
}

func (d *decoder) code(r *Reader, c *wasm.Code) error {
	size, err := r.U32()
	if err != nil {
		return err
	}
	if uint64(size) > uint64(r.Len()) {
		return r.errAt(r.pos, msgSectionEnd)
	}
	br := Reader{b: r.b[r.pos : r.pos+int(size)], base: r.base + r.pos, eofMsg: msgSectionEnd}
	r.pos += int(size)
	lpos := br.pos
	n, err := br.Count(2)
	if err != nil {
		return err
	}
	if n > 0 {
		// Carve the declarations out of a shared slab: one allocation for
		// many functions.
		if cap(d.locals)-len(d.locals) < n {
			d.locals = make([]wasm.LocalDecl, 0, max(n, 256))
		}
		c.Locals = d.locals[len(d.locals) : len(d.locals)+n : len(d.locals)+n]
		d.locals = d.locals[:len(d.locals)+n]
	}
	var total uint64
	for i := range c.Locals {
		l := &c.Locals[i]
		if l.Count, err = br.U32(); err != nil {
			return err
		}
		total += uint64(l.Count)
		if total > 0xFFFFFFFF {
			return br.errAt(lpos, "too many locals")
		}
		if l.Type, err = br.ValType(); err != nil {
			return err
		}
	}
	c.BodyOffset = br.Offset()
	start := br.pos
	if err := d.walk(&br, r.Len() == 0); err != nil {
		return err
	}
	if br.Len() != 0 {
		return br.errAt(br.pos, "section size mismatch")
	}
	c.Body = br.b[start:br.pos:br.pos]
	return nil
}

// expr reads a constant expression up to and including its end opcode.
func (d *decoder) expr(r *Reader) (wasm.Expr, error) {
	start := r.pos
	if err := d.walk(r, true); err != nil {
		return nil, err
	}
	return wasm.Expr(r.b[start:r.pos:r.pos]), nil
}

// Block kinds on the walker's stack.
const (
	blkPlain = iota // block, loop, try_table, legacy try after a catch
	blkIf           // if before its else
	blkElse         // if after its else
	blkTry          // legacy try
)

// walk reads instructions up to the end opcode that closes the sequence,
// checking that blocks nest properly. lastInSection says whether running
// out of bytes is the end of the section (the reference interpreter then
// reports "unexpected end of section or function") or of a function body
// followed by others ("END opcode expected").
func (d *decoder) walk(r *Reader, lastInSection bool) error {
	stack := d.blocks[:0]
	in := &d.in
	for {
		if r.Len() == 0 {
			if lastInSection {
				return r.eof()
			}
			return r.errAt(r.pos, "END opcode expected")
		}
		pos := r.pos
		// Fast path for the most common instructions: a one-byte opcode
		// with no immediate or a one-byte index or constant.
		if c := r.b[pos]; c < 0xFB && c != byte(wasm.OpElse) && c != byte(wasm.OpEnd) && c != byte(wasm.OpDelegate) {
			if info := wasm.Opcode(c).Info(); info != nil {
				switch info.Imm {
				case wasm.ImmNone:
					if c != byte(wasm.OpCatchAll) {
						r.pos++
						continue
					}
				case wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmFunc, wasm.ImmLabel, wasm.ImmI32, wasm.ImmI64:
					if pos+1 < len(r.b) && r.b[pos+1] < 0x80 {
						r.pos += 2
						continue
					}
				}
			}
		}
		if err := ReadInstrTo(r, in); err != nil {
			return err
		}
		switch in.Op {
		case wasm.OpBlock, wasm.OpLoop, wasm.OpTryTable:
			stack = append(stack, blkPlain)
		case wasm.OpIf:
			stack = append(stack, blkIf)
		case wasm.OpTry:
			stack = append(stack, blkTry)
		case wasm.OpElse:
			if len(stack) == 0 || stack[len(stack)-1] != blkIf {
				return r.errAt(pos, "misplaced ELSE opcode")
			}
			stack[len(stack)-1] = blkElse
		case wasm.OpCatch, wasm.OpCatchAll:
			if len(stack) == 0 || stack[len(stack)-1] != blkTry {
				return r.errAt(pos, fmt.Sprintf("misplaced %s opcode", in.Op))
			}
		case wasm.OpDelegate:
			if len(stack) == 0 || stack[len(stack)-1] != blkTry {
				return r.errAt(pos, "misplaced delegate opcode")
			}
			stack = stack[:len(stack)-1]
		case wasm.OpEnd:
			if len(stack) == 0 {
				d.blocks = stack // keep the grown stack for the next body
				return nil
			}
			stack = stack[:len(stack)-1]
		case wasm.OpMemoryInit, wasm.OpDataDrop, wasm.OpArrayNewData, wasm.OpArrayInitData:
			d.usesData = true
		case wasm.OpMemorySize, wasm.OpMemoryGrow:
			if !d.opt.Features.Has(wasm.MultiMemory) && (r.pos-pos != 2 || r.b[pos+1] != 0) {
				return r.errAt(pos+1, "zero byte expected")
			}
		}
		if !d.opt.Features.Has(wasm.MultiMemory) && in.Op != wasm.OpEnd {
			if err := checkMemArg2(r, pos, in.Op); err != nil {
				return err
			}
		}
	}
}

// checkMemArg2 rejects memory argument flags of 32 or more in the
// instruction of opcode op at pos (Wasm 2.0 rule).
func checkMemArg2(r *Reader, pos int, op wasm.Opcode) error {
	if imm := op.Info().Imm; imm != wasm.ImmMemArg && imm != wasm.ImmMemArgLane {
		return nil
	}
	p := pos + 1
	if op.Prefix() != 0 {
		for p < len(r.b) && r.b[p]&0x80 != 0 {
			p++
		}
		p++
	}
	fr := Reader{b: r.b[:r.pos], pos: p, base: r.base}
	if flags, err := fr.U32(); err == nil && flags >= 32 {
		return r.errAt(p, "malformed memop flags")
	}
	return nil
}

// custom decodes a custom section; lastID is the id of the last known
// section before it.
func (d *decoder) custom(r *Reader, lastID byte) error {
	name, err := r.Name()
	if err != nil {
		return err
	}
	data := r.Rest()
	r.pos = len(r.b)
	d.m.Customs = append(d.m.Customs, wasm.CustomSection{Name: name, Data: data, After: lastID})
	if name == "name" && d.m.Names == nil {
		if names, err := decodeNames(data, r.base+len(r.b)-len(data)); err == nil {
			d.m.Names = names
		}
	}
	return nil
}

// decodeNames decodes the content of a "name" custom section.
func decodeNames(b []byte, base int) (*wasm.Names, error) {
	r := Reader{b: b, base: base}
	names := &wasm.Names{}
	last := -1
	for r.Len() > 0 {
		id, _ := r.Byte()
		if int(id) <= last {
			return nil, r.errAt(r.pos-1, "out-of-order name subsection")
		}
		last = int(id)
		size, err := r.U32()
		if err != nil {
			return nil, err
		}
		sub, err := r.Bytes(int(min(uint64(size), uint64(r.Len())+1)))
		if err != nil {
			return nil, err
		}
		sr := Reader{b: sub, base: r.base + r.pos - len(sub)}
		switch id {
		case 0:
			if names.Module, err = sr.Name(); err != nil {
				return nil, err
			}
		case 1:
			if names.Funcs, err = sr.nameMap(); err != nil {
				return nil, err
			}
		case 2:
			n, err := sr.Count(2)
			if err != nil {
				return nil, err
			}
			names.Locals = make(map[uint32]map[uint32]string, n)
			prev := int64(-1)
			for range n {
				f, err := sr.U32()
				if err != nil {
					return nil, err
				}
				if int64(f) <= prev {
					return nil, sr.errAt(sr.pos, "name map indices out of order")
				}
				prev = int64(f)
				if names.Locals[f], err = sr.nameMap(); err != nil {
					return nil, err
				}
			}
		default:
			continue
		}
		if sr.Len() != 0 {
			return nil, sr.errAt(sr.pos, "section size mismatch")
		}
	}
	return names, nil
}

// nameMap reads a name map: a vector of (index, name) in increasing index
// order.
func (r *Reader) nameMap() (map[uint32]string, error) {
	n, err := r.Count(2)
	if err != nil {
		return nil, err
	}
	m := make(map[uint32]string, n)
	prev := int64(-1)
	for range n {
		x, err := r.U32()
		if err != nil {
			return nil, err
		}
		if int64(x) <= prev {
			return nil, r.errAt(r.pos, "name map indices out of order")
		}
		prev = int64(x)
		if m[x], err = r.Name(); err != nil {
			return nil, err
		}
	}
	return m, nil
}
