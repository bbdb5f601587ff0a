package validate

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/binary"
)

// TestWast2JSON checks the validator against spec tests converted by
// wabt's wast2json, when GOWASM_WAST2JSON_DIR names a directory of its
// .json and .wasm outputs. It is a development aid: the committed
// conformance test (TestSpec) needs no external tool.
func TestWast2JSON(t *testing.T) {
	dir := os.Getenv("GOWASM_WAST2JSON_DIR")
	if dir == "" {
		t.Skip("GOWASM_WAST2JSON_DIR not set (directory of wast2json output)")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	var invalid, rejected, msgMatch, valid, accepted, decodeFail int
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var script struct {
			Commands []struct {
				Type       string `json:"type"`
				Line       int    `json:"line"`
				Filename   string `json:"filename"`
				Text       string `json:"text"`
				ModuleType string `json:"module_type"`
			} `json:"commands"`
		}
		if err := json.Unmarshal(data, &script); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range script.Commands {
			if c.Filename == "" || (c.ModuleType != "" && c.ModuleType != "binary") {
				continue
			}
			wasmBytes, err := os.ReadFile(filepath.Join(dir, c.Filename))
			if err != nil {
				t.Fatal(err)
			}
			where := filepath.Base(f) + ":" + strconv.Itoa(c.Line)
			switch c.Type {
			case "module", "assert_unlinkable", "assert_uninstantiable", "assert_trap", "assert_exhaustion":
				valid++
				m, err := binary.Decode(wasmBytes)
				if err != nil {
					decodeFail++
					t.Errorf("%s: valid module does not decode: %v", where, err)
					continue
				}
				if err := Module(m); err != nil {
					t.Errorf("%s: valid module rejected: %v", where, err)
					continue
				}
				accepted++
			case "assert_invalid":
				invalid++
				m, err := binary.Decode(wasmBytes)
				if err == nil {
					err = Module(m)
					var ve *Error
					if err != nil && !errors.As(err, &ve) {
						t.Errorf("%s: error is not a *Error: %v", where, err)
					}
				}
				if err == nil {
					t.Errorf("%s: invalid module accepted (want %q)", where, c.Text)
					continue
				}
				rejected++
				if strings.Contains(err.Error(), c.Text) {
					msgMatch++
				} else if testing.Verbose() {
					t.Logf("%s: message %q, want %q", where, err, c.Text)
				}
			}
		}
	}
	t.Logf("assert_invalid rejected %d/%d (message matches %d); valid modules accepted %d/%d (%d did not decode)",
		rejected, invalid, msgMatch, accepted, valid, decodeFail)
}
