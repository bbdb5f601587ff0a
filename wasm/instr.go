package wasm

// Opcode identifies an instruction. Single-byte opcodes are their byte
// value; prefixed opcodes are Prefix<<16 | sub-opcode, where Prefix is
// 0xFB (GC), 0xFC (saturating conversions, bulk memory, tables) or 0xFD
// (SIMD) and the sub-opcode is the u32 that follows the prefix.
type Opcode uint32

// Prefix returns the opcode's prefix byte, or 0 for a single-byte opcode.
func (op Opcode) Prefix() byte { return byte(op >> 16) }

// Sub returns the sub-opcode of a prefixed opcode, or the opcode byte.
func (op Opcode) Sub() uint32 { return uint32(op & 0xFFFF) }

// PrefixedOp builds the Opcode of a prefixed instruction.
func PrefixedOp(prefix byte, sub uint32) Opcode { return Opcode(prefix)<<16 | Opcode(sub) }

// ImmKind says which immediates follow an opcode, and so which fields of
// Instr are meaningful.
type ImmKind byte

// The immediate kinds. The field of Instr that each one fills is in its
// comment.
const (
	ImmNone         ImmKind = iota
	ImmBlockType            // Block (block, loop, if)
	ImmLabel                // X: label depth (br, br_if, br_on_null, br_on_non_null)
	ImmBrTable              // Labels: targets, X: default
	ImmFunc                 // X: function index (call, return_call, ref.func)
	ImmCallIndirect         // X: type index, Y: table index (call_indirect, return_call_indirect)
	ImmLocal                // X: local index
	ImmGlobal               // X: global index
	ImmTable                // X: table index (table.get/set/size/grow/fill)
	ImmMemArg               // Mem (loads and stores)
	ImmMemory               // X: memory index (memory.size/grow/fill)
	ImmI32                  // Const: the value as uint64(uint32(v))
	ImmI64                  // Const: the value as uint64(v)
	ImmF32                  // Const: the bits, uint64(math.Float32bits(v))
	ImmF64                  // Const: the bits, math.Float64bits(v)
	ImmSelectT              // Types: the result types of a typed select
	ImmHeapType             // Heap (ref.null)
	ImmMemoryInit           // X: data index, Y: memory index
	ImmData                 // X: data index (data.drop)
	ImmMemoryCopy           // X: destination memory, Y: source memory
	ImmTableInit            // X: element index, Y: table index
	ImmElem                 // X: element index (elem.drop)
	ImmTableCopy            // X: destination table, Y: source table
	ImmV128                 // V128: the 16 bytes, little-endian lane order
	ImmShuffle              // V128: the 16 lane indices
	ImmLane                 // Lane
	ImmMemArgLane           // Mem and Lane (v128.load8_lane ...)
	ImmType                 // X: type index (call_ref, return_call_ref, struct.new, array.new ...)
	ImmTypeField            // X: type index, Y: field index (struct.get ...)
	ImmTypeN                // X: type index, Y: count (array.new_fixed)
	ImmTypeData             // X: type index, Y: data index (array.new_data, array.init_data)
	ImmTypeElem             // X: type index, Y: element index (array.new_elem, array.init_elem)
	ImmTypeType             // X: destination type, Y: source type (array.copy)
	ImmTag                  // X: tag index (throw)
	ImmTryTable             // Block and Catches (try_table)
	ImmRefTest              // Heap, with Nullable in Flags&1 (ref.test, ref.cast)
	ImmBrOnCast             // Flags (bit 0: source nullable, bit 1: target nullable), X: label, Heap: source, Heap2: target
)

// BlockKind classifies a block type.
type BlockKind byte

// The block type kinds.
const (
	BlockEmpty BlockKind = iota // []
	BlockValue                  // [] -> [Val]
	BlockIndex                  // the function type at Index
)

// BlockType is the type of a block, loop, if or try_table.
type BlockType struct {
	Kind  BlockKind
	Val   ValType
	Index uint32
}

// MemArg is the memory immediate of a load or store.
type MemArg struct {
	Align  uint32 // log2 of the alignment
	Offset uint64
	Mem    uint32 // memory index (multi-memory)
}

// CatchKind is the kind of a try_table catch clause, by its binary code.
type CatchKind byte

// The catch kinds.
const (
	Catch       CatchKind = 0x00 // catch x l
	CatchRef    CatchKind = 0x01 // catch_ref x l
	CatchAll    CatchKind = 0x02 // catch_all l
	CatchAllRef CatchKind = 0x03 // catch_all_ref l
)

// CatchClause is one catch clause of a try_table.
type CatchClause struct {
	Kind  CatchKind
	Tag   uint32
	Label uint32
}

// Instr is one decoded instruction. Which fields are meaningful depends on
// the immediate kind of Op (see ImmKind).
type Instr struct {
	Op      Opcode
	Block   BlockType
	X, Y    uint32
	Labels  []uint32
	Mem     MemArg
	Const   uint64
	V128    [16]byte
	Lane    byte
	Types   []ValType
	Heap    HeapType
	Heap2   HeapType
	Flags   byte
	Catches []CatchClause
}

// OpInfo describes an opcode.
type OpInfo struct {
	// Name is the text-format mnemonic, e.g. "i32.add".
	Name string
	// Imm is the kind of immediates that follow the opcode.
	Imm ImmKind
	// Simple is true when Params and Results give the instruction's whole
	// typing rule (numeric, comparison, conversion, SIMD lane-free
	// operators, loads and stores). For loads and stores the first
	// parameter is the address, given as i32: for a 64-bit memory it is
	// i64 instead.
	Simple  bool
	Params  []ValType
	Results []ValType
}
