package binary

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/wasm"
)

// sampleInstr returns an instruction of opcode op with non-trivial
// immediates of the right kind.
func sampleInstr(op wasm.Opcode, variant int) wasm.Instr {
	in := wasm.Instr{Op: op}
	big := uint32(variant * 1000003)
	switch op.Info().Imm {
	case wasm.ImmBlockType, wasm.ImmTryTable:
		switch variant % 3 {
		case 0:
			in.Block = wasm.BlockType{Kind: wasm.BlockEmpty}
		case 1:
			in.Block = wasm.BlockType{Kind: wasm.BlockValue, Val: wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapIndex, Index: 7})}
		default:
			in.Block = wasm.BlockType{Kind: wasm.BlockIndex, Index: big}
		}
		if op.Info().Imm == wasm.ImmTryTable {
			in.Catches = []wasm.CatchClause{{Kind: wasm.Catch, Tag: 1, Label: 2}, {Kind: wasm.CatchAllRef, Label: big}}
		}
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable,
		wasm.ImmMemory, wasm.ImmData, wasm.ImmElem, wasm.ImmType, wasm.ImmTag:
		in.X = big
	case wasm.ImmCallIndirect, wasm.ImmMemoryInit, wasm.ImmMemoryCopy, wasm.ImmTableInit,
		wasm.ImmTableCopy, wasm.ImmTypeField, wasm.ImmTypeN, wasm.ImmTypeData,
		wasm.ImmTypeElem, wasm.ImmTypeType:
		in.X, in.Y = big, uint32(variant)
	case wasm.ImmBrTable:
		in.Labels = []uint32{0, big, 3}[: variant%4 : variant%4]
		if variant%4 == 3 {
			in.Labels = []uint32{0, big, 3}
		}
		in.X = 9
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		in.Mem = wasm.MemArg{Align: uint32(variant % 5), Offset: uint64(big) << 20, Mem: uint32(variant % 2)}
		if op.Info().Imm == wasm.ImmMemArgLane {
			in.Lane = byte(variant)
		}
	case wasm.ImmLane:
		in.Lane = byte(variant + 1)
	case wasm.ImmI32:
		in.Const = uint64(uint32(-int32(big)))
	case wasm.ImmI64:
		in.Const = uint64(-int64(big) << 30)
	case wasm.ImmF32:
		in.Const = uint64(0x7fc00001 + big)
	case wasm.ImmF64:
		in.Const = 0xfff0000000000001 + uint64(big)
	case wasm.ImmV128, wasm.ImmShuffle:
		for i := range in.V128 {
			in.V128[i] = byte(i*17 + variant)
		}
	case wasm.ImmSelectT:
		in.Types = []wasm.ValType{wasm.I32, wasm.FuncRef, wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapIndex, Index: big})}[:1+variant%3]
	case wasm.ImmHeapType:
		in.Heap = wasm.HeapType{Kind: wasm.HeapExtern}
		if variant%2 == 1 {
			in.Heap = wasm.HeapType{Kind: wasm.HeapIndex, Index: big}
		}
	case wasm.ImmRefTest:
		in.Heap = wasm.HeapType{Kind: wasm.HeapI31}
		if op == wasm.OpRefTestNull || op == wasm.OpRefCastNull {
			in.Flags = 1
		}
	case wasm.ImmBrOnCast:
		in.Flags = byte(variant % 4)
		in.X = big
		in.Heap = wasm.HeapType{Kind: wasm.HeapAny}
		in.Heap2 = wasm.HeapType{Kind: wasm.HeapIndex, Index: 3}
	}
	return in
}

// TestInstrRoundTrip encodes and decodes every known opcode with several
// immediates.
func TestInstrRoundTrip(t *testing.T) {
	ops := wasm.Opcodes()
	if len(ops) < 400 {
		t.Fatalf("only %d opcodes in the table", len(ops))
	}
	for _, op := range ops {
		for variant := range 4 {
			want := sampleInstr(op, variant)
			b := AppendInstr(nil, &want)
			b = append(b, 0xAA) // trailing byte that must not be consumed
			r := NewReader(b, 0)
			got, err := ReadInstr(r)
			if err != nil {
				t.Errorf("%v (%x): %v", op, b, err)
				continue
			}
			if r.Len() != 1 {
				t.Errorf("%v (%x): %d bytes left, want 1", op, b, r.Len())
			}
			if len(want.Labels) == 0 && op == wasm.OpBrTable {
				want.Labels = got.Labels[:0:0]
				if len(got.Labels) != 0 {
					t.Errorf("%v: labels %v", op, got.Labels)
				}
				got.Labels = want.Labels
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%v (%x):\n got %+v\nwant %+v", op, b, got, want)
			}
			// Every proper prefix must fail cleanly.
			for n := 0; n < len(b)-1; n++ {
				if _, err := ReadInstr(NewReader(b[:n], 0)); err == nil {
					t.Errorf("%v: prefix %x decoded", op, b[:n])
				}
			}
		}
	}
}

func TestReadInstrErrors(t *testing.T) {
	tests := []struct {
		in, wantErr string
	}{
		{"\xff", "illegal opcode ff"},
		{"\xfc\x7f", "illegal opcode fc 127"},
		{"\xfd\xff\xff\x03", "illegal opcode fd 65535"},
		{"\xfc\x80\x80\x80\x80\x10", "integer too large"},
		{"\x28\x80\x01\x00", "malformed memop flags"},
		{"\x41\x80\x80\x80\x80\x10", "integer too large"},
		{"\x0e\xff\xff\xff\xff\x0f", "unexpected end"},
		{"\x1c\x05\x7f", "unexpected end"},
		{"\xfb\x18\x04\x00\x6e\x6e", "malformed br_on_cast flags"},
		{"\x1f\x40\x01\x04\x00", "malformed catch clause"},
		{"\xfd\x0c\x00", "unexpected end"},
	}
	for _, tt := range tests {
		_, err := ReadInstr(NewReader([]byte(tt.in), 0))
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%x: got %v, want error %q", tt.in, err, tt.wantErr)
		}
	}
}

// TestReadInstrToNoAlloc checks that decoding a br_table into a reused
// Instr does not allocate.
func TestReadInstrToNoAlloc(t *testing.T) {
	b := []byte{0x0e, 0x03, 0x00, 0x01, 0x02, 0x00, 0x41, 0x7f, 0x28, 0x02, 0x10, 0xfd, 0x0c}
	b = append(b, make([]byte, 16)...)
	var in wasm.Instr
	allocs := testing.AllocsPerRun(100, func() {
		var r Reader
		r.Reset(b, 0)
		for r.Len() > 0 {
			if err := ReadInstrTo(&r, &in); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}
