package binary

import (
	"fmt"
	"slices"

	"github.com/gowasm/gowasm/wasm"
)

// sectionOrder lists the known sections in the order they must appear.
var sectionOrder = [...]byte{
	secType, secImport, secFunction, secTable, secMemory, secTag, secGlobal,
	secExport, secStart, secElement, secDataCount, secCode, secData,
}

// encoder holds the state of one Encode call.
type encoder struct {
	m   *wasm.Module
	out []byte
	sec []byte // the body of the section being written
	tmp []byte // scratch space (function bodies)
}

// Encode writes m in the binary format. Custom sections are put back after
// the section named by their After field. When m has no "name" custom
// section, one is generated from m.Names (if set) and put at the end.
// Element segments use the most compact encoding that represents them.
func Encode(m *wasm.Module) ([]byte, error) {
	if len(m.Code) != len(m.Funcs) {
		return nil, fmt.Errorf("binary: encode: %d functions but %d bodies: function and code section have inconsistent lengths", len(m.Funcs), len(m.Code))
	}
	for i := range m.Elems {
		if e := &m.Elems[i]; e.Mode == wasm.SegmentActive && len(e.Offset) == 0 {
			return nil, fmt.Errorf("binary: encode: element segment %d: active segment without offset expression", i)
		}
	}
	for i := range m.Data {
		if d := &m.Data[i]; d.Mode == wasm.SegmentActive && len(d.Offset) == 0 {
			return nil, fmt.Errorf("binary: encode: data segment %d: active segment without offset expression", i)
		}
	}
	// Estimate the size from the large byte payloads, to avoid regrowing.
	est := 1024
	for i := range m.Code {
		est += len(m.Code[i].Body) + 8 + 2*len(m.Code[i].Locals)
	}
	for i := range m.Data {
		est += len(m.Data[i].Init) + len(m.Data[i].Offset) + 8
	}
	for i := range m.Customs {
		est += len(m.Customs[i].Data) + len(m.Customs[i].Name) + 8
	}
	e := &encoder{m: m, out: make([]byte, 0, est+est/8)}
	e.out = append(e.out, 0, 'a', 's', 'm', 1, 0, 0, 0)
	hasName := false
	for i := range m.Customs {
		if m.Customs[i].Name == "name" {
			hasName = true
		}
	}
	e.customs(0)
	for _, id := range sectionOrder {
		if err := e.section(id); err != nil {
			return nil, err
		}
		e.customs(id)
	}
	for i := range m.Customs { // customs placed after an unknown section id
		c := &m.Customs[i]
		if c.After > secTag {
			e.custom(c.Name, c.Data)
		}
	}
	if !hasName && m.Names != nil {
		if b := appendNames(nil, m.Names); len(b) > 0 {
			e.custom("name", b)
		}
	}
	return e.out, nil
}

// anchor reports whether a custom section is placed after section id, in
// which case the section is written even when it is empty.
func (e *encoder) anchor(id byte) bool {
	for i := range e.m.Customs {
		if e.m.Customs[i].After == id {
			return true
		}
	}
	return false
}

func (e *encoder) customs(after byte) {
	for i := range e.m.Customs {
		c := &e.m.Customs[i]
		if c.After == after {
			e.custom(c.Name, c.Data)
		}
	}
}

func (e *encoder) custom(name string, data []byte) {
	e.sec = AppendName(e.sec[:0], name)
	e.sec = append(e.sec, data...)
	e.flush(secCustom)
}

// flush appends the section id, the size and the body in e.sec.
func (e *encoder) flush(id byte) {
	e.out = append(e.out, id)
	e.out = AppendU32(e.out, uint32(len(e.sec)))
	e.out = append(e.out, e.sec...)
}

func (e *encoder) section(id byte) error {
	m := e.m
	s := e.sec[:0]
	switch id {
	case secType:
		if len(m.Types) == 0 && !e.anchor(id) {
			return nil
		}
		var err error
		if s, err = appendTypes(s, m); err != nil {
			return err
		}
	case secImport:
		if len(m.Imports) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Imports)))
		for i := range m.Imports {
			im := &m.Imports[i]
			s = AppendName(s, im.Module)
			s = AppendName(s, im.Name)
			s = append(s, byte(im.Kind))
			switch im.Kind {
			case wasm.ExternFunc:
				s = AppendU32(s, im.Func)
			case wasm.ExternTable:
				s = AppendTableType(s, im.Table)
			case wasm.ExternMemory:
				s = AppendMemoryType(s, im.Memory)
			case wasm.ExternGlobal:
				s = AppendGlobalType(s, im.Global)
			case wasm.ExternTag:
				s = append(s, 0)
				s = AppendU32(s, im.Func)
			default:
				return fmt.Errorf("binary: encode: import %d: unknown kind %d", i, im.Kind)
			}
		}
	case secFunction:
		if len(m.Funcs) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Funcs)))
		for _, x := range m.Funcs {
			s = AppendU32(s, x)
		}
	case secTable:
		if len(m.Tables) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Tables)))
		for i := range m.Tables {
			t := &m.Tables[i]
			if t.Init != nil {
				s = append(s, 0x40, 0)
				s = AppendTableType(s, t.Type)
				s = append(s, t.Init...)
			} else {
				s = AppendTableType(s, t.Type)
			}
		}
	case secMemory:
		if len(m.Memories) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Memories)))
		for _, mt := range m.Memories {
			s = AppendMemoryType(s, mt)
		}
	case secTag:
		if len(m.Tags) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Tags)))
		for _, t := range m.Tags {
			s = append(s, 0)
			s = AppendU32(s, t.Type)
		}
	case secGlobal:
		if len(m.Globals) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Globals)))
		for i := range m.Globals {
			g := &m.Globals[i]
			s = AppendGlobalType(s, g.Type)
			s = append(s, g.Init...)
		}
	case secExport:
		if len(m.Exports) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Exports)))
		for _, x := range m.Exports {
			s = AppendName(s, x.Name)
			s = append(s, byte(x.Kind))
			s = AppendU32(s, x.Index)
		}
	case secStart:
		if !m.HasStart {
			return nil
		}
		s = AppendU32(s, m.Start)
	case secElement:
		if len(m.Elems) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Elems)))
		for i := range m.Elems {
			s = appendElem(s, &m.Elems[i])
		}
	case secDataCount:
		if !m.HasDataCnt {
			return nil
		}
		s = AppendU32(s, m.DataCount)
	case secCode:
		if len(m.Code) == 0 && !e.anchor(id) {
			return nil
		}
		n := 8
		for i := range m.Code {
			n += len(m.Code[i].Body) + 8 + 2*len(m.Code[i].Locals)
		}
		if cap(s) < n {
			s = make([]byte, 0, n)
		}
		s = AppendU32(s, uint32(len(m.Code)))
		for i := range m.Code {
			c := &m.Code[i]
			f := AppendU32(e.tmp[:0], uint32(len(c.Locals)))
			for _, l := range c.Locals {
				f = AppendU32(f, l.Count)
				f = AppendValType(f, l.Type)
			}
			f = append(f, c.Body...)
			s = AppendU32(s, uint32(len(f)))
			s = append(s, f...)
			e.tmp = f
		}
	case secData:
		if len(m.Data) == 0 && !e.anchor(id) {
			return nil
		}
		s = AppendU32(s, uint32(len(m.Data)))
		for i := range m.Data {
			d := &m.Data[i]
			switch {
			case d.Mode == wasm.SegmentPassive:
				s = append(s, 1)
			case d.Memory == 0:
				s = append(s, 0)
				s = append(s, d.Offset...)
			default:
				s = append(s, 2)
				s = AppendU32(s, d.Memory)
				s = append(s, d.Offset...)
			}
			s = AppendByteVec(s, d.Init)
		}
	}
	e.sec = s
	e.flush(id)
	return nil
}

// appendTypes appends the body of the type section.
func appendTypes(s []byte, m *wasm.Module) ([]byte, error) {
	groups := m.RecGroups
	if len(groups) == 0 {
		groups = make([]wasm.RecGroup, len(m.Types))
		for i := range groups {
			groups[i] = wasm.RecGroup{First: uint32(i), Count: 1}
		}
	}
	s = AppendU32(s, uint32(len(groups)))
	next := uint64(0)
	for _, g := range groups {
		if uint64(g.First) != next || uint64(g.First)+uint64(g.Count) > uint64(len(m.Types)) {
			return nil, fmt.Errorf("binary: encode: recursion groups do not cover the %d types in order", len(m.Types))
		}
		next += uint64(g.Count)
		if g.Count != 1 {
			s = append(s, 0x4E)
			s = AppendU32(s, g.Count)
		}
		for i := g.First; i < g.First+g.Count; i++ {
			var err error
			if s, err = appendSubType(s, &m.Types[i]); err != nil {
				return nil, err
			}
		}
	}
	if next != uint64(len(m.Types)) {
		return nil, fmt.Errorf("binary: encode: recursion groups do not cover the %d types", len(m.Types))
	}
	return s, nil
}

func appendSubType(s []byte, st *wasm.SubType) ([]byte, error) {
	if !st.Final || len(st.Supers) > 0 {
		if st.Final {
			s = append(s, 0x4F)
		} else {
			s = append(s, 0x50)
		}
		s = AppendU32(s, uint32(len(st.Supers)))
		for _, x := range st.Supers {
			s = AppendU32(s, x)
		}
	}
	c := &st.Comp
	s = append(s, byte(c.Kind))
	switch c.Kind {
	case wasm.CompFunc:
		s = AppendU32(s, uint32(len(c.Func.Params)))
		for _, t := range c.Func.Params {
			s = AppendValType(s, t)
		}
		s = AppendU32(s, uint32(len(c.Func.Results)))
		for _, t := range c.Func.Results {
			s = AppendValType(s, t)
		}
	case wasm.CompStruct:
		s = AppendU32(s, uint32(len(c.Fields)))
		for _, f := range c.Fields {
			s = appendFieldType(s, f)
		}
	case wasm.CompArray:
		s = appendFieldType(s, c.Elem)
	default:
		return nil, fmt.Errorf("binary: encode: unknown composite type kind 0x%x", byte(c.Kind))
	}
	return s, nil
}

func appendFieldType(s []byte, f wasm.FieldType) []byte {
	if f.Storage.Packed != 0 {
		s = append(s, f.Storage.Packed)
	} else {
		s = AppendValType(s, f.Storage.Val)
	}
	if f.Mutable {
		return append(s, 1)
	}
	return append(s, 0)
}

// appendElem appends an element segment in the most compact of the eight
// encodings that represents it.
func appendElem(s []byte, e *wasm.Elem) []byte {
	isFunc := e.Type.Kind == wasm.KindRef && e.Type.Heap.Kind == wasm.HeapFunc
	if e.Indices != nil && isFunc {
		switch e.Mode {
		case wasm.SegmentActive:
			if e.Table == 0 {
				s = append(s, 0)
				s = append(s, e.Offset...)
			} else {
				s = append(s, 2)
				s = AppendU32(s, e.Table)
				s = append(s, e.Offset...)
				s = append(s, 0)
			}
		case wasm.SegmentPassive:
			s = append(s, 1, 0)
		default:
			s = append(s, 3, 0)
		}
		s = AppendU32(s, uint32(len(e.Indices)))
		for _, x := range e.Indices {
			s = AppendU32(s, x)
		}
		return s
	}
	switch e.Mode {
	case wasm.SegmentActive:
		if e.Table == 0 && e.Type == wasm.FuncRef {
			s = append(s, 4)
			s = append(s, e.Offset...)
		} else {
			s = append(s, 6)
			s = AppendU32(s, e.Table)
			s = append(s, e.Offset...)
			s = AppendValType(s, e.Type)
		}
	case wasm.SegmentPassive:
		s = append(s, 5)
		s = AppendValType(s, e.Type)
	default:
		s = append(s, 7)
		s = AppendValType(s, e.Type)
	}
	if e.Indices != nil { // indices of a non-func element type: write ref.func expressions
		s = AppendU32(s, uint32(len(e.Indices)))
		for _, x := range e.Indices {
			s = append(s, 0xD2)
			s = AppendU32(s, x)
			s = append(s, 0x0B)
		}
		return s
	}
	s = AppendU32(s, uint32(len(e.Exprs)))
	for _, x := range e.Exprs {
		s = append(s, x...)
	}
	return s
}

// appendNames appends the content of a "name" section for n, or nothing
// when n holds no names.
func appendNames(dst []byte, n *wasm.Names) []byte {
	if n.Module != "" {
		sub := AppendName(nil, n.Module)
		dst = append(dst, 0)
		dst = AppendByteVec(dst, sub)
	}
	if len(n.Funcs) > 0 {
		dst = append(dst, 1)
		dst = AppendByteVec(dst, appendNameMap(nil, n.Funcs))
	}
	if len(n.Locals) > 0 {
		keys := sortedKeys(n.Locals)
		sub := AppendU32(nil, uint32(len(keys)))
		for _, k := range keys {
			sub = AppendU32(sub, k)
			sub = appendNameMap(sub, n.Locals[k])
		}
		dst = append(dst, 2)
		dst = AppendByteVec(dst, sub)
	}
	return dst
}

func appendNameMap(dst []byte, m map[uint32]string) []byte {
	keys := sortedKeys(m)
	dst = AppendU32(dst, uint32(len(keys)))
	for _, k := range keys {
		dst = AppendU32(dst, k)
		dst = AppendName(dst, m[k])
	}
	return dst
}

func sortedKeys[V any](m map[uint32]V) []uint32 {
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
