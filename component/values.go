package component

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/gowasm/gowasm/binary"
)

// decodeValue decodes a value definition's bytes, val(t) of Binary.md,
// into a Val of type t. Every encoded value takes at least one byte, so
// list lengths are checked against the bytes that remain before anything
// is allocated.
func decodeValue(t *Type, data []byte) (Val, error) {
	r := binary.NewReader(data, 0)
	v, err := readValue(r, t, 0)
	if err != nil {
		return Val{}, err
	}
	if r.Len() != 0 {
		return Val{}, fmt.Errorf("value: %d bytes left after the value", r.Len())
	}
	return v, nil
}

// smallLEB reads an unsigned LEB128 of at most bits bits (u16).
func smallLEB(r *binary.Reader, bits int) (uint64, error) {
	start := r.Pos()
	x, err := r.U32()
	if err != nil {
		return 0, err
	}
	if x >= 1<<bits || r.Pos()-start > (bits+6)/7 {
		return 0, fmt.Errorf("integer too large for %d bits", bits)
	}
	return uint64(x), nil
}

func readValue(r *binary.Reader, t *Type, depth int) (Val, error) {
	if depth > maxDepth {
		return Val{}, fmt.Errorf("value nested too deeply")
	}
	if t == nil {
		return Val{}, fmt.Errorf("value of unknown type")
	}
	switch t.Kind {
	case KindBool:
		b, err := r.Byte()
		if err != nil {
			return Val{}, err
		}
		if b > 1 {
			return Val{}, fmt.Errorf("malformed bool 0x%02x", b)
		}
		return Bool(b == 1), nil
	case KindU8:
		b, err := r.Byte()
		return U8(b), err
	case KindS8:
		b, err := r.Byte()
		return S8(int8(b)), err
	case KindU16:
		x, err := smallLEB(r, 16)
		return U16(uint16(x)), err
	case KindS16:
		x, err := r.S32()
		if err == nil && (x < math.MinInt16 || x > math.MaxInt16) {
			err = fmt.Errorf("integer too large for s16")
		}
		return S16(int16(x)), err
	case KindU32:
		x, err := r.U32()
		return U32(x), err
	case KindS32:
		x, err := r.S32()
		return S32(x), err
	case KindU64:
		x, err := r.U64()
		return U64(x), err
	case KindS64:
		x, err := r.S64()
		return S64(x), err
	case KindF32:
		x, err := r.F32()
		if err == nil && math.IsNaN(float64(math.Float32frombits(x))) && x != 0x7fc00000 {
			err = fmt.Errorf("non-canonical NaN")
		}
		return F32(math.Float32frombits(x)), err
	case KindF64:
		x, err := r.F64()
		if err == nil && math.IsNaN(math.Float64frombits(x)) && x != 0x7ff8000000000000 {
			err = fmt.Errorf("non-canonical NaN")
		}
		return F64(math.Float64frombits(x)), err
	case KindChar:
		// One UTF-8 encoded scalar value: its length follows from the
		// first byte.
		b, ok := r.Peek()
		if !ok {
			return Val{}, fmt.Errorf("unexpected end of value")
		}
		n := 1
		switch {
		case b >= 0xf0:
			n = 4
		case b >= 0xe0:
			n = 3
		case b >= 0xc0:
			n = 2
		}
		bs, err := r.Bytes(n)
		if err != nil {
			return Val{}, err
		}
		c, size := utf8.DecodeRune(bs)
		if c == utf8.RuneError || size != n {
			return Val{}, fmt.Errorf("malformed char")
		}
		return Char(c), nil
	case KindString:
		s, err := r.Name()
		return String(s), err
	case KindList:
		n, err := r.Count(1)
		if err != nil {
			return Val{}, err
		}
		elems := make([]Val, n)
		for i := range elems {
			if elems[i], err = readValue(r, t.Elem, depth+1); err != nil {
				return Val{}, err
			}
		}
		return List(elems...), nil
	case KindFixedList:
		if t.Len > r.Len() {
			return Val{}, fmt.Errorf("unexpected end of value")
		}
		elems := make([]Val, t.Len)
		for i := range elems {
			var err error
			if elems[i], err = readValue(r, t.Elem, depth+1); err != nil {
				return Val{}, err
			}
		}
		return Val{Kind: KindFixedList, elems: elems}, nil
	case KindRecord:
		fs := make([]NamedVal, len(t.Fields))
		for i, f := range t.Fields {
			v, err := readValue(r, f.Type, depth+1)
			if err != nil {
				return Val{}, err
			}
			fs[i] = NamedVal{f.Name, v}
		}
		return Record(fs...), nil
	case KindTuple:
		elems := make([]Val, len(t.Types))
		for i, et := range t.Types {
			var err error
			if elems[i], err = readValue(r, et, depth+1); err != nil {
				return Val{}, err
			}
		}
		return Tuple(elems...), nil
	case KindVariant:
		i, err := r.U32()
		if err != nil {
			return Val{}, err
		}
		if int64(i) >= int64(len(t.Cases)) {
			return Val{}, fmt.Errorf("variant case %d out of range", i)
		}
		c := t.Cases[i]
		if c.Type == nil {
			return Variant(c.Name, nil), nil
		}
		p, err := readValue(r, c.Type, depth+1)
		if err != nil {
			return Val{}, err
		}
		return Variant(c.Name, &p), nil
	case KindEnum:
		i, err := r.U32()
		if err != nil {
			return Val{}, err
		}
		if int64(i) >= int64(len(t.Labels)) {
			return Val{}, fmt.Errorf("enum case %d out of range", i)
		}
		return Enum(t.Labels[i]), nil
	case KindFlags:
		bs, err := r.Bytes((len(t.Labels) + 7) / 8)
		if err != nil {
			return Val{}, err
		}
		var set []string
		for i, l := range t.Labels {
			if bs[i/8]&(1<<(i%8)) != 0 {
				set = append(set, l)
			}
		}
		return Flags(set...), nil
	case KindOption:
		b, err := r.Byte()
		if err != nil {
			return Val{}, err
		}
		switch b {
		case 0:
			return None(), nil
		case 1:
			p, err := readValue(r, t.Elem, depth+1)
			if err != nil {
				return Val{}, err
			}
			return Some(p), nil
		}
		return Val{}, fmt.Errorf("malformed option 0x%02x", b)
	case KindResult:
		b, err := r.Byte()
		if err != nil {
			return Val{}, err
		}
		if b > 1 {
			return Val{}, fmt.Errorf("malformed result 0x%02x", b)
		}
		pt := t.OK
		if b == 1 {
			pt = t.Err
		}
		var p *Val
		if pt != nil {
			v, err := readValue(r, pt, depth+1)
			if err != nil {
				return Val{}, err
			}
			p = &v
		}
		if b == 1 {
			return Err(p), nil
		}
		return Ok(p), nil
	}
	return Val{}, fmt.Errorf("a value of type %v cannot be defined", t)
}
