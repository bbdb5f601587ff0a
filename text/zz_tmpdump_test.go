package text

import (
	"os"
	"testing"

	"github.com/gowasm/gowasm/binary"
)

func TestZZDump(t *testing.T) {
	f := os.Getenv("DUMP")
	if f == "" {
		t.Skip()
	}
	b, _ := os.ReadFile(f)
	m, err := binary.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	Print(os.Stdout, m, PrintOptions{Folded: os.Getenv("FOLD") != ""})
}
