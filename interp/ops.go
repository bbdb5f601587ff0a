package interp

// Internal opcodes of the translated bytecode.
//
// Numeric instructions, loads and stores keep their binary opcode byte
// (0x28-0x3E, 0x45-0xC4): a unary operator reads slot b and writes slot a,
// a binary one reads b and c and writes a, a load reads the address in b
// and writes a, a store reads the value in a and the address in b; imm is
// the static offset. The saturating truncations (0xFC 0-7) are opSat+n.
// Everything else uses the opcodes below.
const (
	opUnreachable = 0x00
	opSat         = 0x100 // + 0..7: i32.trunc_sat_f32_s ...

	opMov              = 0x200 + iota // r[a] = r[b]
	opMov128                          // r[a:a+2] = r[b:b+2]
	opMovRef                          // refs[a] = refs[b]
	opConst                           // r[a] = imm
	opBr                              // pc = a
	opBrLoop                          // pc = a, with an interruption check
	opBrIf                            // if r[b] != 0 { pc = a }
	opBrIfNot                         // if r[b] == 0 { pc = a }
	opBrIfLoop                        // opBrIf to a loop header
	opBrTable                         // pc = brtab[b + min(r[imm], c)]
	opReturn                          // results are in slots 0..
	opCall                            // call function b, arguments from slot a
	opCallIndirect                    // call table imm>>32 [r[b]], type uint32(imm), arguments from slot a
	opTailCall                        // return_call function imm, arguments in slots 0...
	opTailCallIndirect                // return_call_indirect, as opCallIndirect
	opCallRef                         // call refs[b], arguments from slot a
	opTailCallRef                     // return_call_ref refs[b]
	opRefAsNonNull                    // refs[a] = refs[b], trapping on null
	opBrIfNull                        // if refs[b] == nil { pc = imm }
	opBrIfNotNull                     // if refs[b] != nil { pc = imm }
	opThrow                           // throw tag imm with the values from slot a
	opThrowRef                        // throw refs[b]
	opSelect                          // r[a] = r[imm] != 0 ? r[b] : r[c]
	opSelect128                       //
	opSelectRef                       //
	opGlobalGet                       // r[a] = globals[b]
	opGlobalGet128                    //
	opGlobalGetRef                    //
	opGlobalSet                       // globals[b] = r[a]
	opGlobalSet128                    //
	opGlobalSetRef                    //
	opMemSize                         // r[a] = size of memory c
	opMemGrow                         // r[a] = grow memory c by r[b]
	opRefNull                         // refs[a] = nil
	opRefIsNull                       // r[a] = refs[b] == nil
	opRefFunc                         // refs[a] = funcs[b]
	opTableGet                        // refs[a] = table c [r[b]]
	opTableSet                        // table c [r[b]] = refs[a]
	opTableSize                       // r[a] = size of table c
	opTableGrow                       // r[a] = grow table c by r[a+1] with refs[a]
	opTableFill                       // fill table c: i=r[a], val=refs[a+1], n=r[a+2]
	opTableCopy                       // copy table c -> table b: d=r[a], s=r[a+1], n=r[a+2]
	opTableInit                       // table c from elem b: d, s, n at a
	opElemDrop                        // drop elem b
	opMemInit                         // memory c from data b: d, s, n at a
	opDataDrop                        // drop data b
	opMemCopy                         // memory c -> memory b: d, s, n at a
	opMemFill                         // memory c: d, val, n at a
	opSimd                            // out-of-line SIMD op: simd[b]
	// Superinstructions.
	opI32AddImm   // r[a] = r[b] + imm (i32)
	opI32SubImm   // r[a] = r[b] - imm
	opI64AddImm   // r[a] = r[b] + imm (i64)
	opI32EqzBrIf  // if r[b] == 0 { pc = a }
	opI32LtSImmBr // if int32(r[b]) < int32(imm) { pc = a }
	opI32LtUBrIf  // if uint32(r[b]) < uint32(r[c]) { pc = a }
	opI32NeBrIf   // if r[b] != r[c] { pc = a }
	opI32EqBrIf   // if r[b] == r[c] { pc = a }
	opI32GtSBrIf  // if int32(r[b]) > int32(r[c]) { pc = a }
	opI32LtSBrIf  // if int32(r[b]) < int32(r[c]) { pc = a }
	opI32GeUBrIf  // ...
	opI32GtUBrIf
	opI32LeSBrIf
	opI32GeSBrIf
	opI32LeUBrIf
	opI32LtSImm // r[a] = int32(r[b]) < int32(imm)
	opI32ShlImm
	opI32AndImm
	opI32MulImm
	opI32ShrUImm
	opI32ShrSImm
	opI64MulImm
	opI32GtSImm
	opI32LeSImm
	opI32EqImm
	opI32NeImm
	opI32GeSImmBr // if int32(r[b]) >= int32(imm) { pc = a }
	opI32GtSImmBr
	opI32LeSImmBr
	opI32EqImmBr
	opI32NeImmBr
	opLast

	// opGen+op is load or store op (0x28-0x3E) on memory c, for memories
	// other than a 32-bit memory 0.
	opGen = 0x300

	// opGC and up are the GC instructions, run out of line (gc.go).
	opGC = 0x400
)
