package validate

import (
	"errors"
	"fmt"
	"sort"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

// frame is an entry of the control stack.
type frame struct {
	op          wasm.Opcode // OpBlock (also the function's frame), OpLoop, OpIf, OpElse, OpTryTable, OpTry, OpCatch, OpCatchAll
	params      []wasm.ValType
	results     []wasm.ValType
	height      int // operand stack height at entry
	initHeight  int // height of the local initialisation stack at entry
	unreachable bool
}

// labelTypes returns the types a branch to the frame's label carries.
func (f *frame) labelTypes() []wasm.ValType {
	if f.op == wasm.OpLoop {
		return f.params
	}
	return f.results
}

// maxFlatLocals bounds the number of locals kept one entry per local; a
// function with more is looked up by declaration ranges.
const maxFlatLocals = 1 << 17

// maxLocals is the largest number of locals a function may have.
const maxLocals = 1<<32 - 1

// errf returns an error at the current instruction.
func (v *validator) errf(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if v.constMode {
		return &Error{Func: -1, Offset: -1, Msg: v.what.String() + ": " + msg}
	}
	return &Error{Func: v.fn, Offset: v.off, Msg: msg}
}

// function validates the body of function idx of type ft.
func (v *validator) function(idx int, ft *wasm.FuncType, code *wasm.Code) error {
	v.fn = idx
	v.constMode = false
	v.fromBinary = code.BodyOffset >= 0
	base := code.BodyOffset
	if base < 0 {
		base = 0
	}
	v.off = -1
	if err := v.setupLocals(ft, code); err != nil {
		return err
	}
	v.ret = ft.Results
	v.vals = v.vals[:0]
	v.ctrls = v.ctrls[:0]
	v.inits = v.inits[:0]
	v.pushCtrl(wasm.OpBlock, nil, ft.Results)
	v.r.Reset(code.Body, base)
	return v.run()
}

// constExpr validates the constant expression e of type want. visible is
// the number of globals it may read.
func (v *validator) constExpr(e wasm.Expr, want wasm.ValType, visible int, what place) error {
	v.fn = -1
	v.constMode = true
	v.constGlobal = visible
	v.what = what
	v.fromBinary = false
	v.vals = v.vals[:0]
	v.ctrls = v.ctrls[:0]
	v.inits = v.inits[:0]
	v.pushCtrl(wasm.OpBlock, nil, v.singleOf(want))
	v.r.Reset(e, 0)
	err := v.run()
	v.constMode = false
	return err
}

// run validates instructions until the outermost frame ends.
func (v *validator) run() error {
	r := &v.r
	for len(v.ctrls) > 0 {
		v.off = r.Offset()
		if r.Len() == 0 {
			if v.constMode {
				return v.errf("constant expression required: unexpected end")
			}
			return v.errf("unexpected end of function body: END opcode expected")
		}
		in := &v.in
		if !v.constMode && !v.noQuick {
			if info := v.quickDecode(r); info != nil {
				var err error
				// Constants and numeric operators (0x41-0xC4) are typed by
				// their signature alone.
				if op := in.Op; op >= wasm.OpI32Const && op <= wasm.OpI64Extend32S && info.Simple {
					err = v.applySig(info.Params, info.Results)
				} else {
					err = v.instr(in)
				}
				if err != nil {
					return err
				}
				continue
			}
		}
		if err := binary.ReadInstrTo(r, in); err != nil {
			msg := err.Error()
			var be *binary.Error
			if errors.As(err, &be) {
				msg = be.Msg
			}
			return v.errf("%s", msg)
		}
		if err := v.instr(in); err != nil {
			return err
		}
	}
	if r.Len() != 0 {
		v.off = r.Offset()
		if v.constMode {
			return v.errf("constant expression required: instructions after end")
		}
		return v.errf("operators remaining after end of function")
	}
	return nil
}

// quickDecode decodes the common single-byte instructions whose
// immediates, if any, fit in one byte each (or are float constants), into
// v.in, setting only the fields the validator reads, and returns the
// opcode's description. It returns nil, consuming nothing, for every
// other instruction: those go through binary.ReadInstrTo, which also
// produces the decoding errors.
func (v *validator) quickDecode(r *binary.Reader) *wasm.OpInfo {
	b := r.Rest()
	if len(b) == 0 || b[0] >= 0xFB {
		return nil
	}
	op := wasm.Opcode(b[0])
	info := op.Info()
	if info == nil {
		return nil
	}
	in := &v.in
	n := 1
	switch info.Imm {
	case wasm.ImmNone:
	case wasm.ImmLabel, wasm.ImmFunc, wasm.ImmLocal, wasm.ImmGlobal, wasm.ImmTable, wasm.ImmMemory:
		if len(b) < 2 || b[1] >= 0x80 {
			return nil
		}
		in.X = uint32(b[1])
		n = 2
	case wasm.ImmI32, wasm.ImmI64:
		// The value does not matter to validation.
		if len(b) < 2 || b[1] >= 0x80 {
			return nil
		}
		n = 2
	case wasm.ImmF32:
		n = 5
	case wasm.ImmF64:
		n = 9
	case wasm.ImmBlockType:
		if len(b) < 2 {
			return nil
		}
		switch c := b[1]; {
		case c == 0x40:
			in.Block = wasm.BlockType{Kind: wasm.BlockEmpty}
		case c >= 0x7B && c <= 0x7F:
			in.Block = wasm.BlockType{Kind: wasm.BlockValue, Val: wasm.ValType{Kind: wasm.ValKind(c)}}
		default:
			return nil
		}
		n = 2
	case wasm.ImmMemArg:
		if len(b) < 3 || b[1] >= 0x40 || b[2] >= 0x80 {
			return nil
		}
		in.Mem = wasm.MemArg{Align: uint32(b[1]), Offset: uint64(b[2])}
		n = 3
	default:
		return nil
	}
	if len(b) < n {
		return nil
	}
	in.Op = op
	_ = r.Skip(n)
	return info
}

// setupLocals prepares the locals of a function: its parameters followed
// by its declared locals.
func (v *validator) setupLocals(ft *wasm.FuncType, code *wasm.Code) error {
	total := uint64(len(ft.Params))
	v.nonDef = false
	for _, d := range code.Locals {
		if err := v.valType(d.Type); err != nil {
			return &Error{Func: v.fn, Offset: -1, Msg: "local: " + err.Msg}
		}
		total += uint64(d.Count)
		if !defaultable(d.Type) {
			v.nonDef = true
		}
	}
	if total > maxLocals {
		return &Error{Func: v.fn, Offset: -1, Msg: "too many locals"}
	}
	v.numLocals = total
	if total <= maxFlatLocals {
		v.localsFlat = true
		v.locals = append(v.locals[:0], ft.Params...)
		for _, d := range code.Locals {
			for j := uint32(0); j < d.Count; j++ {
				v.locals = append(v.locals, d.Type)
			}
		}
		if v.nonDef {
			v.localInit = v.localInit[:0]
			for _, t := range v.locals {
				v.localInit = append(v.localInit, defaultable(t))
			}
			for i := range ft.Params {
				v.localInit[i] = true
			}
		}
		return nil
	}
	if v.nonDef {
		return &Error{Func: v.fn, Offset: -1, Msg: "too many locals with non-defaultable types"}
	}
	v.localsFlat = false
	v.localEnds = v.localEnds[:0]
	v.localTypes = v.localTypes[:0]
	var end uint64
	for _, t := range ft.Params {
		end++
		v.localEnds = append(v.localEnds, end)
		v.localTypes = append(v.localTypes, t)
	}
	for _, d := range code.Locals {
		if d.Count == 0 {
			continue
		}
		end += uint64(d.Count)
		v.localEnds = append(v.localEnds, end)
		v.localTypes = append(v.localTypes, d.Type)
	}
	return nil
}

// local returns the type of local x.
func (v *validator) local(x uint32) (wasm.ValType, error) {
	if v.localsFlat {
		if int64(x) < int64(len(v.locals)) {
			return v.locals[x], nil
		}
	} else if uint64(x) < v.numLocals {
		i := sort.Search(len(v.localEnds), func(i int) bool { return v.localEnds[i] > uint64(x) })
		return v.localTypes[i], nil
	}
	return wasm.ValType{}, v.errf("unknown local %d", x)
}

// singleOf returns the result type [t], without allocating for the
// number and vector types.
func (v *validator) singleOf(t wasm.ValType) []wasm.ValType {
	switch t {
	case wasm.I32:
		return v.numTypes[0:1:1]
	case wasm.I64:
		return v.numTypes[1:2:2]
	case wasm.F32:
		return v.numTypes[2:3:3]
	case wasm.F64:
		return v.numTypes[3:4:4]
	case wasm.V128:
		return v.numTypes[4:5:5]
	}
	if s, ok := v.single[t]; ok {
		return s
	}
	s := []wasm.ValType{t}
	v.single[t] = s
	return s
}

// Operand and control stacks.

func (v *validator) push(t wasm.ValType) { v.vals = append(v.vals, t) }

func (v *validator) pushVals(ts []wasm.ValType) { v.vals = append(v.vals, ts...) }

// popAny pops an operand of any type; the unknown type (KindBot) when the
// frame is unreachable and its operands are exhausted.
func (v *validator) popAny() (wasm.ValType, error) {
	f := &v.ctrls[len(v.ctrls)-1]
	n := len(v.vals)
	if n == f.height {
		if f.unreachable {
			return wasm.ValType{}, nil
		}
		return wasm.ValType{}, v.errf("type mismatch: expected a value, but the stack is empty")
	}
	t := v.vals[n-1]
	v.vals = v.vals[:n-1]
	return t, nil
}

// pop pops an operand that must match want and returns its actual type.
func (v *validator) pop(want wasm.ValType) (wasm.ValType, error) {
	f := &v.ctrls[len(v.ctrls)-1]
	n := len(v.vals)
	if n == f.height {
		if f.unreachable {
			return wasm.ValType{}, nil
		}
		return wasm.ValType{}, v.errf("type mismatch: expected %s, but the stack is empty", want)
	}
	t := v.vals[n-1]
	if t != want && !v.matches(t, want) {
		return t, v.errf("type mismatch: expected %s, got %s", want, t)
	}
	v.vals = v.vals[:n-1]
	return t, nil
}

// popVals pops operands matching ts, which are in stack order (the last
// one is popped first).
func (v *validator) popVals(ts ...wasm.ValType) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := v.pop(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// popPush pops operands matching ts and pushes them back with their
// actual types.
func (v *validator) popPush(ts []wasm.ValType) error {
	n := len(ts)
	if cap(v.scratch) < n {
		v.scratch = make([]wasm.ValType, n)
	}
	s := v.scratch[:n]
	for i := n - 1; i >= 0; i-- {
		t, err := v.pop(ts[i])
		if err != nil {
			return err
		}
		s[i] = t
	}
	v.vals = append(v.vals, s...)
	return nil
}

func (v *validator) pushCtrl(op wasm.Opcode, params, results []wasm.ValType) {
	v.ctrls = append(v.ctrls, frame{
		op:         op,
		params:     params,
		results:    results,
		height:     len(v.vals),
		initHeight: len(v.inits),
	})
	v.vals = append(v.vals, params...)
}

func (v *validator) popCtrl() (frame, error) {
	f := &v.ctrls[len(v.ctrls)-1]
	if err := v.popVals(f.results...); err != nil {
		return frame{}, err
	}
	if len(v.vals) != f.height {
		return frame{}, v.errf("type mismatch: %d values remain on the stack at the end of the block", len(v.vals)-f.height)
	}
	if len(v.inits) > f.initHeight {
		for _, x := range v.inits[f.initHeight:] {
			v.localInit[x] = false
		}
		v.inits = v.inits[:f.initHeight]
	}
	fr := *f
	v.ctrls = v.ctrls[:len(v.ctrls)-1]
	return fr, nil
}

// setUnreachable makes the rest of the current block unreachable: its
// operand stack becomes polymorphic.
func (v *validator) setUnreachable() {
	f := &v.ctrls[len(v.ctrls)-1]
	v.vals = v.vals[:f.height]
	f.unreachable = true
}

// label returns the frame targeted by a branch to label depth n.
func (v *validator) label(n uint32) (*frame, error) {
	if int64(n) >= int64(len(v.ctrls)) {
		return nil, v.errf("unknown label %d", n)
	}
	return &v.ctrls[len(v.ctrls)-1-int(n)], nil
}

// blockType returns the parameter and result types of a block type.
func (v *validator) blockType(bt wasm.BlockType) (params, results []wasm.ValType, err error) {
	switch bt.Kind {
	case wasm.BlockEmpty:
		return nil, nil, nil
	case wasm.BlockValue:
		if bt.Val.Kind == wasm.KindRef {
			if e := v.heapType(bt.Val.Heap); e != nil {
				return nil, nil, v.errf("%s", e.Msg)
			}
		}
		return nil, v.singleOf(bt.Val), nil
	case wasm.BlockIndex:
		ft := v.m.FuncTypeAt(bt.Index)
		if ft == nil {
			return nil, nil, v.errf("unknown type %d", bt.Index)
		}
		return ft.Params, ft.Results, nil
	}
	return nil, nil, v.errf("malformed block type")
}

// addrType returns the address type of a memory or table.
func addrType(is64 bool) wasm.ValType {
	if is64 {
		return wasm.I64
	}
	return wasm.I32
}

// minAddr returns the smaller of two address types (the type of a count
// that applies to both).
func minAddr(a, b bool) wasm.ValType { return addrType(a && b) }

func (v *validator) table(x uint32) (*wasm.TableType, error) {
	if int64(x) >= int64(len(v.tables)) {
		return nil, v.errf("unknown table %d", x)
	}
	return &v.tables[x], nil
}

func (v *validator) memory(x uint32) (*wasm.MemoryType, error) {
	if int64(x) >= int64(len(v.mems)) {
		return nil, v.errf("unknown memory %d", x)
	}
	return &v.mems[x], nil
}

func (v *validator) elemType(x uint32) (wasm.ValType, error) {
	if int64(x) >= int64(len(v.m.Elems)) {
		return wasm.ValType{}, v.errf("unknown elem segment %d", x)
	}
	return v.m.Elems[x].Type, nil
}

func (v *validator) data(x uint32) error {
	if !v.hasDataCnt && v.fromBinary {
		return v.errf("data count section required")
	}
	if int64(x) >= int64(v.numDatas) {
		return v.errf("unknown data segment %d", x)
	}
	return nil
}

// callType returns the type of function x.
func (v *validator) callType(x uint32) (*wasm.FuncType, error) {
	if int64(x) >= int64(len(v.funcs)) {
		return nil, v.errf("unknown function %d", x)
	}
	return v.m.FuncTypeAt(v.funcs[x]), nil
}

// indirectType checks call_indirect's table and returns its type.
func (v *validator) indirectType(typeIdx, tableIdx uint32) (*wasm.FuncType, *wasm.TableType, error) {
	tt, err := v.table(tableIdx)
	if err != nil {
		return nil, nil, err
	}
	if !v.matches(tt.Elem, wasm.FuncRef) {
		return nil, nil, v.errf("type mismatch: call_indirect on a table of type %s", tt.Elem)
	}
	ft := v.m.FuncTypeAt(typeIdx)
	if ft == nil {
		return nil, nil, v.errf("unknown type %d", typeIdx)
	}
	return ft, tt, nil
}

// isConstOp reports whether op may appear in a constant expression.
func (v *validator) isConstOp(op wasm.Opcode) bool {
	switch op {
	case wasm.OpI32Const, wasm.OpI64Const, wasm.OpF32Const, wasm.OpF64Const, wasm.OpV128Const,
		wasm.OpRefNull, wasm.OpRefFunc, wasm.OpGlobalGet, wasm.OpEnd:
		return true
	case wasm.OpI32Add, wasm.OpI32Sub, wasm.OpI32Mul, wasm.OpI64Add, wasm.OpI64Sub, wasm.OpI64Mul,
		wasm.OpStructNew, wasm.OpStructNewDefault, wasm.OpArrayNew, wasm.OpArrayNewDefault,
		wasm.OpArrayNewFixed, wasm.OpRefI31, wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		return v.has(wasm.ExtendedConst)
	}
	return false
}

// instr validates one instruction.
func (v *validator) instr(in *wasm.Instr) error {
	op := in.Op
	if v.constMode && !v.isConstOp(op) {
		return v.errf("constant expression required: %s is not constant", op)
	}
	switch op {
	case wasm.OpUnreachable:
		v.setUnreachable()
	case wasm.OpNop:
	case wasm.OpBlock, wasm.OpLoop:
		params, results, err := v.blockType(in.Block)
		if err != nil {
			return err
		}
		if err := v.popVals(params...); err != nil {
			return err
		}
		v.pushCtrl(op, params, results)
	case wasm.OpIf:
		params, results, err := v.blockType(in.Block)
		if err != nil {
			return err
		}
		if _, err := v.pop(wasm.I32); err != nil {
			return err
		}
		if err := v.popVals(params...); err != nil {
			return err
		}
		v.pushCtrl(op, params, results)
	case wasm.OpElse:
		if v.ctrls[len(v.ctrls)-1].op != wasm.OpIf {
			return v.errf("else without matching if")
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		v.pushCtrl(wasm.OpElse, f.params, f.results)
	case wasm.OpEnd:
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.op == wasm.OpIf && !v.matchesSeq(f.params, f.results) {
			// The missing else branch passes the parameters through.
			return v.errf("type mismatch: if without else must have matching parameter and result types")
		}
		v.pushVals(f.results)
	case wasm.OpBr:
		f, err := v.label(in.X)
		if err != nil {
			return err
		}
		if err := v.popVals(f.labelTypes()...); err != nil {
			return err
		}
		v.setUnreachable()
	case wasm.OpBrIf:
		f, err := v.label(in.X)
		if err != nil {
			return err
		}
		if _, err := v.pop(wasm.I32); err != nil {
			return err
		}
		lt := f.labelTypes()
		if err := v.popVals(lt...); err != nil {
			return err
		}
		v.pushVals(lt)
	case wasm.OpBrTable:
		return v.brTable(in)
	case wasm.OpReturn:
		if err := v.popVals(v.ret...); err != nil {
			return err
		}
		v.setUnreachable()
	case wasm.OpCall:
		ft, err := v.callType(in.X)
		if err != nil {
			return err
		}
		if err := v.popVals(ft.Params...); err != nil {
			return err
		}
		v.pushVals(ft.Results)
	case wasm.OpCallIndirect:
		ft, tt, err := v.indirectType(in.X, in.Y)
		if err != nil {
			return err
		}
		if _, err := v.pop(addrType(tt.Is64)); err != nil {
			return err
		}
		if err := v.popVals(ft.Params...); err != nil {
			return err
		}
		v.pushVals(ft.Results)
	case wasm.OpReturnCall:
		ft, err := v.callType(in.X)
		if err != nil {
			return err
		}
		return v.tailCall(ft)
	case wasm.OpReturnCallIndirect:
		ft, tt, err := v.indirectType(in.X, in.Y)
		if err != nil {
			return err
		}
		if _, err := v.pop(addrType(tt.Is64)); err != nil {
			return err
		}
		return v.tailCall(ft)
	case wasm.OpDrop:
		if _, err := v.popAny(); err != nil {
			return err
		}
	case wasm.OpSelect:
		if _, err := v.pop(wasm.I32); err != nil {
			return err
		}
		t1, err := v.popAny()
		if err != nil {
			return err
		}
		t2, err := v.popAny()
		if err != nil {
			return err
		}
		if !isNumOrVec(t1) || !isNumOrVec(t2) {
			return v.errf("type mismatch: select without a type needs numeric or vector operands, got %s and %s", t2, t1)
		}
		if t1 != t2 && t1.Kind != wasm.KindBot && t2.Kind != wasm.KindBot {
			return v.errf("type mismatch: select operands %s and %s differ", t2, t1)
		}
		if t1.Kind == wasm.KindBot {
			t1 = t2
		}
		v.push(t1)
	case wasm.OpSelectT:
		if len(in.Types) != 1 {
			return v.errf("invalid result arity")
		}
		t := in.Types[0]
		if err := v.valType(t); err != nil {
			return v.errf("%s", err.Msg)
		}
		if err := v.popVals(t, t, wasm.I32); err != nil {
			return err
		}
		v.push(t)
	case wasm.OpLocalGet:
		t, err := v.local(in.X)
		if err != nil {
			return err
		}
		if v.nonDef && !v.localInit[in.X] {
			return v.errf("uninitialized local %d", in.X)
		}
		v.push(t)
	case wasm.OpLocalSet, wasm.OpLocalTee:
		t, err := v.local(in.X)
		if err != nil {
			return err
		}
		if _, err := v.pop(t); err != nil {
			return err
		}
		if v.nonDef && !v.localInit[in.X] {
			v.localInit[in.X] = true
			v.inits = append(v.inits, in.X)
		}
		if op == wasm.OpLocalTee {
			v.push(t)
		}
	case wasm.OpGlobalGet:
		n := len(v.globals)
		if v.constMode {
			n = v.constGlobal
		}
		if int64(in.X) >= int64(n) {
			return v.errf("unknown global %d", in.X)
		}
		g := &v.globals[in.X]
		if v.constMode && g.Mutable {
			return v.errf("constant expression required: global %d is mutable", in.X)
		}
		v.push(g.Type)
	case wasm.OpGlobalSet:
		if int64(in.X) >= int64(len(v.globals)) {
			return v.errf("unknown global %d", in.X)
		}
		g := &v.globals[in.X]
		if !g.Mutable {
			return v.errf("global is immutable: global.set of immutable global %d", in.X)
		}
		if _, err := v.pop(g.Type); err != nil {
			return err
		}
	case wasm.OpTableGet:
		tt, err := v.table(in.X)
		if err != nil {
			return err
		}
		if _, err := v.pop(addrType(tt.Is64)); err != nil {
			return err
		}
		v.push(tt.Elem)
	case wasm.OpTableSet:
		tt, err := v.table(in.X)
		if err != nil {
			return err
		}
		if err := v.popVals(addrType(tt.Is64), tt.Elem); err != nil {
			return err
		}
	case wasm.OpTableSize:
		tt, err := v.table(in.X)
		if err != nil {
			return err
		}
		v.push(addrType(tt.Is64))
	case wasm.OpTableGrow:
		tt, err := v.table(in.X)
		if err != nil {
			return err
		}
		at := addrType(tt.Is64)
		if err := v.popVals(tt.Elem, at); err != nil {
			return err
		}
		v.push(at)
	case wasm.OpTableFill:
		tt, err := v.table(in.X)
		if err != nil {
			return err
		}
		at := addrType(tt.Is64)
		if err := v.popVals(at, tt.Elem, at); err != nil {
			return err
		}
	case wasm.OpTableCopy:
		dst, err := v.table(in.X)
		if err != nil {
			return err
		}
		src, err := v.table(in.Y)
		if err != nil {
			return err
		}
		if !v.matches(src.Elem, dst.Elem) {
			return v.errf("type mismatch: table.copy from a table of %s to a table of %s", src.Elem, dst.Elem)
		}
		if err := v.popVals(addrType(dst.Is64), addrType(src.Is64), minAddr(dst.Is64, src.Is64)); err != nil {
			return err
		}
	case wasm.OpTableInit:
		tt, err := v.table(in.Y)
		if err != nil {
			return err
		}
		et, err := v.elemType(in.X)
		if err != nil {
			return err
		}
		if !v.matches(et, tt.Elem) {
			return v.errf("type mismatch: table.init of a segment of %s into a table of %s", et, tt.Elem)
		}
		if err := v.popVals(addrType(tt.Is64), wasm.I32, wasm.I32); err != nil {
			return err
		}
	case wasm.OpElemDrop:
		if _, err := v.elemType(in.X); err != nil {
			return err
		}
	case wasm.OpMemorySize:
		mt, err := v.memory(in.X)
		if err != nil {
			return err
		}
		v.push(addrType(mt.Is64))
	case wasm.OpMemoryGrow:
		mt, err := v.memory(in.X)
		if err != nil {
			return err
		}
		at := addrType(mt.Is64)
		if _, err := v.pop(at); err != nil {
			return err
		}
		v.push(at)
	case wasm.OpMemoryFill:
		mt, err := v.memory(in.X)
		if err != nil {
			return err
		}
		at := addrType(mt.Is64)
		if err := v.popVals(at, wasm.I32, at); err != nil {
			return err
		}
	case wasm.OpMemoryCopy:
		dst, err := v.memory(in.X)
		if err != nil {
			return err
		}
		src, err := v.memory(in.Y)
		if err != nil {
			return err
		}
		if err := v.popVals(addrType(dst.Is64), addrType(src.Is64), minAddr(dst.Is64, src.Is64)); err != nil {
			return err
		}
	case wasm.OpMemoryInit:
		mt, err := v.memory(in.Y)
		if err != nil {
			return err
		}
		if err := v.data(in.X); err != nil {
			return err
		}
		if err := v.popVals(addrType(mt.Is64), wasm.I32, wasm.I32); err != nil {
			return err
		}
	case wasm.OpDataDrop:
		if err := v.data(in.X); err != nil {
			return err
		}
	case wasm.OpRefNull:
		if err := v.heapType(in.Heap); err != nil {
			return v.errf("%s", err.Msg)
		}
		v.push(wasm.RefType(true, in.Heap))
	case wasm.OpRefIsNull:
		t, err := v.popAny()
		if err != nil {
			return err
		}
		if t.Kind != wasm.KindRef && t.Kind != wasm.KindBot {
			return v.errf("type mismatch: ref.is_null expects a reference, got %s", t)
		}
		v.push(wasm.I32)
	case wasm.OpRefFunc:
		if int64(in.X) >= int64(len(v.funcs)) {
			return v.errf("unknown function %d", in.X)
		}
		if v.constMode {
			v.refs[in.X] = true
		} else if !v.refs[in.X] {
			return v.errf("undeclared function reference %d", in.X)
		}
		if v.has(wasm.FuncRefTypes) {
			v.push(wasm.RefType(false, wasm.HeapType{Kind: wasm.HeapIndex, Index: v.funcs[in.X]}))
		} else {
			v.push(wasm.FuncRef)
		}
	default:
		return v.simple(in)
	}
	return nil
}

// brTable validates br_table.
func (v *validator) brTable(in *wasm.Instr) error {
	if _, err := v.pop(wasm.I32); err != nil {
		return err
	}
	def, err := v.label(in.X)
	if err != nil {
		return err
	}
	defTypes := def.labelTypes()
	arity := len(defTypes)
	for _, l := range in.Labels {
		f, err := v.label(l)
		if err != nil {
			return err
		}
		lt := f.labelTypes()
		if len(lt) != arity {
			return v.errf("type mismatch: br_table target %d has %d values, the default %d", l, len(lt), arity)
		}
		if err := v.popPush(lt); err != nil {
			return err
		}
	}
	if err := v.popVals(defTypes...); err != nil {
		return err
	}
	v.setUnreachable()
	return nil
}

// tailCall validates the rest of return_call and return_call_indirect.
func (v *validator) tailCall(ft *wasm.FuncType) error {
	if !v.matchesSeq(ft.Results, v.ret) {
		return v.errf("type mismatch: tail call to a function returning %v in a function returning %v", ft.Results, v.ret)
	}
	if err := v.popVals(ft.Params...); err != nil {
		return err
	}
	v.setUnreachable()
	return nil
}

// simple validates an instruction whose typing is given by its OpInfo:
// numeric, vector, load and store instructions.
func (v *validator) simple(in *wasm.Instr) error {
	info := in.Op.Info()
	if info == nil {
		return v.errf("unknown operator 0x%x", uint32(in.Op))
	}
	if !info.Simple {
		return v.extended(in, info)
	}
	addr64 := false
	switch info.Imm {
	case wasm.ImmMemArg, wasm.ImmMemArgLane:
		mt, err := v.memory(in.Mem.Mem)
		if err != nil {
			return err
		}
		addr64 = mt.Is64
		natural, ok := naturalAlign(in.Op)
		if !ok {
			return v.errf("unsupported instruction %s", info.Name)
		}
		if in.Mem.Align > natural {
			return v.errf("alignment must not be larger than natural")
		}
		if !mt.Is64 && in.Mem.Offset > 1<<32-1 {
			return v.errf("offset out of range")
		}
		if info.Imm == wasm.ImmMemArgLane && uint32(in.Lane) >= 16>>natural {
			return v.errf("invalid lane index %d", in.Lane)
		}
	case wasm.ImmLane:
		if int(in.Lane) >= shapeLanes(info.Name) {
			return v.errf("invalid lane index %d", in.Lane)
		}
	case wasm.ImmShuffle:
		for _, l := range in.V128 {
			if l >= 32 {
				return v.errf("invalid lane index %d", l)
			}
		}
	}
	params := info.Params
	for i := len(params) - 1; i >= 0; i-- {
		want := params[i]
		if i == 0 && addr64 {
			want = wasm.I64
		}
		if _, err := v.pop(want); err != nil {
			return err
		}
	}
	v.vals = append(v.vals, info.Results...)
	return nil
}

// applySig pops operands matching params and pushes results, checking
// the common case (all operands present with exactly the wanted types)
// without calls.
func (v *validator) applySig(params, results []wasm.ValType) error {
	n, k := len(v.vals), len(params)
	if n-k >= v.ctrls[len(v.ctrls)-1].height {
		ok := true
		for i, p := range params {
			if v.vals[n-k+i] != p {
				ok = false
				break
			}
		}
		if ok {
			v.vals = append(v.vals[:n-k], results...)
			return nil
		}
	}
	if err := v.popVals(params...); err != nil {
		return err
	}
	v.vals = append(v.vals, results...)
	return nil
}

// shapeLanes returns the number of lanes of the shape that prefixes a SIMD
// mnemonic (i8x16, i16x8, i32x4, f32x4, i64x2, f64x2).
func shapeLanes(name string) int {
	if len(name) < 3 {
		return 0
	}
	switch name[1:3] {
	case "8x":
		return 16
	case "16":
		return 8
	case "32":
		return 4
	case "64":
		return 2
	}
	return 0
}

// naturalAlign returns log2 of the natural alignment (the access width in
// bytes) of a load or store.
func naturalAlign(op wasm.Opcode) (uint32, bool) {
	switch op {
	case wasm.OpI32Load8S, wasm.OpI32Load8U, wasm.OpI64Load8S, wasm.OpI64Load8U,
		wasm.OpI32Store8, wasm.OpI64Store8,
		wasm.OpV128Load8Splat, wasm.OpV128Load8Lane, wasm.OpV128Store8Lane:
		return 0, true
	case wasm.OpI32Load16S, wasm.OpI32Load16U, wasm.OpI64Load16S, wasm.OpI64Load16U,
		wasm.OpI32Store16, wasm.OpI64Store16,
		wasm.OpV128Load16Splat, wasm.OpV128Load16Lane, wasm.OpV128Store16Lane:
		return 1, true
	case wasm.OpI32Load, wasm.OpF32Load, wasm.OpI64Load32S, wasm.OpI64Load32U,
		wasm.OpI32Store, wasm.OpF32Store, wasm.OpI64Store32,
		wasm.OpV128Load32Splat, wasm.OpV128Load32Zero, wasm.OpV128Load32Lane, wasm.OpV128Store32Lane:
		return 2, true
	case wasm.OpI64Load, wasm.OpF64Load, wasm.OpI64Store, wasm.OpF64Store,
		wasm.OpV128Load8x8S, wasm.OpV128Load8x8U, wasm.OpV128Load16x4S, wasm.OpV128Load16x4U,
		wasm.OpV128Load32x2S, wasm.OpV128Load32x2U,
		wasm.OpV128Load64Splat, wasm.OpV128Load64Zero, wasm.OpV128Load64Lane, wasm.OpV128Store64Lane:
		return 3, true
	case wasm.OpV128Load, wasm.OpV128Store:
		return 4, true
	}
	return 0, false
}
