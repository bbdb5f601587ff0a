package interp

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
	"github.com/gowasm/gowasm/wasm"
)

func dumpCode(c *code) string {
	var b strings.Builder
	fmt.Fprintf(&b, "func[%d] params=%d locals=%d frame=%d\n", c.idx, c.nParamSlots, c.nLocalSlots, c.frameSize)
	for i, in := range c.ins {
		fmt.Fprintf(&b, "%4d: op=%#x a=%d b=%d c=%d imm=%d\n", i, in.op, in.a, in.b, in.c, in.imm)
	}
	return b.String()
}

func TestDumpBench(t *testing.T) {
	if os.Getenv("GOWASM_DUMP") == "" {
		t.Skip("set GOWASM_DUMP to dump the benchmark module's bytecode")
	}
	m := compileWAT(t, benchWAT)
	if err := m.translateAll(); err != nil {
		t.Fatal(err)
	}
	for i := range m.codes {
		t.Log(dumpCode(m.codes[i].Load()))
	}
}

func TestDumpFile(t *testing.T) {
	p := os.Getenv("GOWASM_DUMP_WASM")
	if p == "" {
		t.Skip("set GOWASM_DUMP_WASM to a .wasm file to dump its bytecode")
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	m, err := binary.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := cm.translateAll(); err != nil {
		t.Fatal(err)
	}
	for i := range cm.codes {
		fmt.Println(dumpCode(cm.codes[i].Load()))
	}
}

func BenchmarkTranslateFile(b *testing.B) {
	p := os.Getenv("GOWASM_DUMP_WASM")
	if p == "" {
		b.Skip("set GOWASM_DUMP_WASM to a .wasm file")
	}
	bin, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	m, err := binary.Decode(bin)
	if err != nil {
		b.Fatal(err)
	}
	mod := &Module{m: m}
	for _, ti := range m.FuncTypeIndices() {
		mod.funcTypes = append(mod.funcTypes, m.FuncTypeAt(ti))
	}
	mod.nImpFuncs = m.NumImported(wasm.ExternFunc)
	b.ResetTimer()
	for b.Loop() {
		tr := &translator{mod: mod, m: m}
		for i := range m.Code {
			if _, err := tr.translate(uint32(mod.nImpFuncs+i), &m.Code[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
