package binary

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

func TestLEB(t *testing.T) {
	type tc struct {
		in      string
		read    string // "u32", "u64", "s32", "s33", "s64"
		want    int64  // for u64, the bits as int64
		wantErr string
	}
	tests := []tc{
		{"\x00", "u32", 0, ""},
		{"\x7f", "u32", 127, ""},
		{"\x80\x01", "u32", 128, ""},
		{"\xff\xff\xff\xff\x0f", "u32", math.MaxUint32, ""},
		{"\x80\x80\x80\x80\x00", "u32", 0, ""},
		{"\x80\x80\x80\x80\x10", "u32", 0, "integer too large"},
		{"\x80\x80\x80\x80\x80\x00", "u32", 0, "integer representation too long"},
		{"\x80\x80", "u32", 0, "unexpected end"},
		{"", "u32", 0, "unexpected end"},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", "u64", -1, ""},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", "u64", 0, "integer too large"},
		{"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", "u64", 0, "integer representation too long"},
		{"\x7f", "s32", -1, ""},
		{"\x3f", "s32", 63, ""},
		{"\x40", "s32", -64, ""},
		{"\xc0\x00", "s32", 64, ""},
		{"\x80\x80\x80\x80\x78", "s32", math.MinInt32, ""},
		{"\xff\xff\xff\xff\x07", "s32", math.MaxInt32, ""},
		{"\xff\xff\xff\xff\x0f", "s32", 0, "integer too large"},
		{"\x80\x80\x80\x80\x70", "s32", 0, "integer too large"},
		{"\xff\xff\xff\xff\x7f", "s32", -1, ""},
		{"\xff\xff\xff\xff\xff\x7f", "s32", 0, "integer representation too long"},
		{"\xff\xff\xff\xff\x0f", "s33", math.MaxUint32, ""},
		{"\x80\x80\x80\x80\x70", "s33", -1 << 32, ""},
		{"\x80\x80\x80\x80\x10", "s33", 0, "integer too large"},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x00", "s64", math.MaxInt64, ""},
		{"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x7f", "s64", math.MinInt64, ""},
		{"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01", "s64", 0, "integer too large"},
		{"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7e", "s64", 0, "integer too large"},
		{"\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", "s64", 0, "integer representation too long"},
	}
	for _, tt := range tests {
		r := NewReader([]byte(tt.in), 100)
		var got int64
		var err error
		switch tt.read {
		case "u32":
			var v uint32
			v, err = r.U32()
			got = int64(v)
		case "u64":
			var v uint64
			v, err = r.U64()
			got = int64(v)
		case "s32":
			var v int32
			v, err = r.S32()
			got = int64(v)
		case "s33":
			got, err = r.S33()
		case "s64":
			got, err = r.S64()
		}
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s %x: got %d, %v; want error %q", tt.read, tt.in, got, err, tt.wantErr)
			}
			var be *Error
			if !errors.As(err, &be) || be.Offset < 100 {
				t.Errorf("%s %x: error %v is not a *Error with an absolute offset", tt.read, tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %x: got %d, %v; want %d", tt.read, tt.in, got, err, tt.want)
		}
		if r.Len() != 0 {
			t.Errorf("%s %x: %d bytes left", tt.read, tt.in, r.Len())
		}
	}
}

// TestLEBRoundTrip checks that the Append functions produce what the
// Reader reads back, for boundary values.
func TestLEBRoundTrip(t *testing.T) {
	vals := []int64{0, 1, -1, 63, 64, -64, -65, 127, 128, 1 << 31, -1 << 31, 1<<31 - 1, 1<<32 - 1, -1 << 32, math.MaxInt64, math.MinInt64}
	for _, v := range vals {
		b := AppendS64(nil, v)
		if got, err := NewReader(b, 0).S64(); err != nil || got != v {
			t.Errorf("s64 %d: got %d, %v", v, got, err)
		}
		if int64(int32(v)) == v {
			b := AppendS32(nil, int32(v))
			if got, err := NewReader(b, 0).S32(); err != nil || int64(got) != v {
				t.Errorf("s32 %d: got %d, %v", v, got, err)
			}
		}
		if v >= -1<<32 && v < 1<<32 {
			b := AppendS33(nil, v)
			if got, err := NewReader(b, 0).S33(); err != nil || got != v {
				t.Errorf("s33 %d: got %d, %v", v, got, err)
			}
		}
		u := uint64(v)
		b = AppendU64(nil, u)
		if got, err := NewReader(b, 0).U64(); err != nil || got != u {
			t.Errorf("u64 %d: got %d, %v", u, got, err)
		}
		if u <= math.MaxUint32 {
			b := AppendU32(nil, uint32(u))
			if got, err := NewReader(b, 0).U32(); err != nil || uint64(got) != u {
				t.Errorf("u32 %d: got %d, %v", u, got, err)
			}
		}
	}
}

func TestName(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{"\x00", "", ""},
		{"\x03abc", "abc", ""},
		{"\x02\xc3\xa9", "é", ""},
		{"\x01\xff", "", "malformed UTF-8 encoding"},
		{"\x03\xed\xa0\x80", "", "malformed UTF-8 encoding"}, // surrogate
		{"\x02\xc0\x80", "", "malformed UTF-8 encoding"},     // overlong
		{"\x05abc", "", "unexpected end"},
		{"\xff\xff\xff\xff\x0fabc", "", "unexpected end"},
	}
	for _, tt := range tests {
		got, err := NewReader([]byte(tt.in), 0).Name()
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%q: got %q, %v; want error %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q: got %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestTypes(t *testing.T) {
	idx := func(i uint32) wasm.HeapType { return wasm.HeapType{Kind: wasm.HeapIndex, Index: i} }
	vals := []wasm.ValType{
		wasm.I32, wasm.I64, wasm.F32, wasm.F64, wasm.V128, wasm.FuncRef, wasm.ExternRef, wasm.ExnRef,
		wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapFunc}),
		wasm.RefType(true, wasm.HeapType{Kind: wasm.HeapAny}),
		wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapI31}),
		wasm.RefType(true, idx(0)),
		wasm.RefType(false, idx(70)),
		wasm.RefType(false, idx(1<<32-1)),
	}
	for _, v := range vals {
		b := AppendValType(nil, v)
		r := NewReader(b, 0)
		got, err := r.ValType()
		if err != nil || got != v || r.Len() != 0 {
			t.Errorf("%v: encoded %x, got %v, %v", v, b, got, err)
		}
		bt := wasm.BlockType{Kind: wasm.BlockValue, Val: v}
		b = AppendBlockType(nil, bt)
		if got, err := NewReader(b, 0).BlockType(); err != nil || got != bt {
			t.Errorf("block %v: got %v, %v", v, got, err)
		}
	}
	for _, bt := range []wasm.BlockType{{Kind: wasm.BlockEmpty}, {Kind: wasm.BlockIndex, Index: 5}, {Kind: wasm.BlockIndex, Index: 1<<32 - 1}} {
		b := AppendBlockType(nil, bt)
		if got, err := NewReader(b, 0).BlockType(); err != nil || got != bt {
			t.Errorf("block %v: got %v, %v", bt, got, err)
		}
	}
	bad := []struct {
		in      string
		read    func(r *Reader) error
		wantErr string
	}{
		{"\x7a", func(r *Reader) error { _, err := r.ValType(); return err }, "malformed value type"},
		{"\x7f", func(r *Reader) error { _, err := r.RefType(); return err }, "malformed reference type"},
		{"\x64\x7f", func(r *Reader) error { _, err := r.RefType(); return err }, "malformed heap type"},
		{"\x7f\x02", func(r *Reader) error { _, err := r.GlobalType(); return err }, "malformed mutability"},
		{"\x70\x02\x00", func(r *Reader) error { _, err := r.TableType(); return err }, "integer too large"},
		{"\x10\x00", func(r *Reader) error { _, err := r.MemoryType(); return err }, "integer too large"},
		{"\x02\x00", func(r *Reader) error { _, err := r.MemoryType(); return err }, "integer too large"},
		{"\x81\x00", func(r *Reader) error { _, err := r.MemoryType(); return err }, "integer representation too long"},
		{"\x00\x80\x80\x80\x80\x10", func(r *Reader) error { _, err := r.MemoryType(); return err }, "integer too large"},
		{"\x7a", func(r *Reader) error { _, err := r.BlockType(); return err }, "malformed block type"},
	}
	for _, tt := range bad {
		err := tt.read(NewReader([]byte(tt.in), 0))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%x: got %v, want error %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestLimits(t *testing.T) {
	mems := []wasm.MemoryType{
		{Limits: wasm.Limits{Min: 1}},
		{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}},
		{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}, Shared: true},
		{Limits: wasm.Limits{Min: 1 << 40, Max: 1<<64 - 1, HasMax: true}, Is64: true},
		{Limits: wasm.Limits{Min: 0, Max: 1, HasMax: true}, Is64: true, Shared: true},
		{Limits: wasm.Limits{Min: 3}, PageSizeLog2: 12},
	}
	for _, m := range mems {
		b := AppendMemoryType(nil, m)
		r := NewReader(b, 0)
		got, err := r.MemoryType()
		if err != nil || got != m || r.Len() != 0 {
			t.Errorf("%+v: encoded %x, got %+v, %v", m, b, got, err)
		}
	}
	tabs := []wasm.TableType{
		{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 1}},
		{Elem: wasm.ExternRef, Limits: wasm.Limits{Min: 1, Max: 10, HasMax: true}, Is64: true},
		{Elem: wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapIndex, Index: 3}), Limits: wasm.Limits{Min: 1}},
	}
	for _, tt := range tabs {
		b := AppendTableType(nil, tt)
		r := NewReader(b, 0)
		got, err := r.TableType()
		if err != nil || got != tt || r.Len() != 0 {
			t.Errorf("%+v: encoded %x, got %+v, %v", tt, b, got, err)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	e := &Error{Section: 10, SectionName: "code", Func: 3, Offset: 0x1a2b, Msg: "unexpected end"}
	if got, want := e.Error(), "binary: section 10 (code), function 3, offset 0x1a2b: unexpected end"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	e = &Error{Section: -1, Func: -1, Offset: 4, Msg: "unknown binary version"}
	if got, want := e.Error(), "binary: offset 0x4: unknown binary version"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
