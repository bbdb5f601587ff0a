package binary

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gowasm/gowasm/internal/testenv"
	"github.com/gowasm/gowasm/internal/wastexpr"
	"github.com/gowasm/gowasm/wasm"
)

// wastModule is one (module binary ...) of a .wast script.
type wastModule struct {
	file      string
	line      int
	bytes     []byte
	malformed bool   // inside assert_malformed
	message   string // the expected message of assert_malformed
}

// wastToken is a token of the s-expression syntax of .wast scripts.
type wastToken struct {
	kind byte // '(' ')' '"' (string) or 'a' (atom)
	text string
	line int
}

// tokenizeWast splits a .wast script into parentheses, strings (decoded)
// and atoms, skipping comments. It is a test-only helper, just good enough
// to extract binary modules.
func tokenizeWast(src []byte) ([]wastToken, error) {
	var toks []wastToken
	line := 1
	for i := 0; i < len(src); {
		if end, newlines, ok := wastexpr.SkipComment(src, i); ok {
			i, line = end, line+newlines
			continue
		}
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '(' || c == ')':
			toks = append(toks, wastToken{kind: c, line: line})
			i++
		case c == '"':
			start := line
			var b []byte
			i++
			for {
				if i >= len(src) {
					return nil, fmt.Errorf("line %d: unterminated string", start)
				}
				c := src[i]
				if c == '"' {
					i++
					break
				}
				if c == '\n' {
					line++
				}
				if c != '\\' {
					b = append(b, c)
					i++
					continue
				}
				i++
				if i >= len(src) {
					return nil, fmt.Errorf("line %d: bad escape", line)
				}
				switch e := src[i]; e {
				case 'n':
					b = append(b, '\n')
					i++
				case 't':
					b = append(b, '\t')
					i++
				case 'r':
					b = append(b, '\r')
					i++
				case '\\', '\'', '"':
					b = append(b, e)
					i++
				case 'u':
					j := bytes.IndexByte(src[i:], '}')
					if j < 0 || i+1 >= len(src) || src[i+1] != '{' {
						return nil, fmt.Errorf("line %d: bad \\u escape", line)
					}
					v, err := strconv.ParseUint(strings.ReplaceAll(string(src[i+2:i+j]), "_", ""), 16, 32)
					if err != nil {
						return nil, fmt.Errorf("line %d: bad \\u escape: %v", line, err)
					}
					b = append(b, string(rune(v))...)
					i += j + 1
				default:
					if i+1 >= len(src) {
						return nil, fmt.Errorf("line %d: bad escape", line)
					}
					v, err := strconv.ParseUint(string(src[i:i+2]), 16, 8)
					if err != nil {
						return nil, fmt.Errorf("line %d: bad escape: %v", line, err)
					}
					b = append(b, byte(v))
					i += 2
				}
			}
			toks = append(toks, wastToken{kind: '"', text: string(b), line: start})
		default:
			j := i
			for j < len(src) && !strings.ContainsRune(" \t\r\n()\";", rune(src[j])) {
				j++
			}
			if j == i {
				j++
			}
			toks = append(toks, wastToken{kind: 'a', text: string(src[i:j]), line: line})
			i = j
		}
	}
	return toks, nil
}

// binaryModules extracts every (module binary ...) of a .wast script.
func binaryModules(file string, src []byte) ([]wastModule, error) {
	toks, err := tokenizeWast(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	var out []wastModule
	var heads []string // head atom of each open s-expression
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		switch tk.kind {
		case '(':
			head := ""
			if i+1 < len(toks) && toks[i+1].kind == 'a' {
				head = toks[i+1].text
			}
			heads = append(heads, head)
			if head != "module" {
				continue
			}
			j := i + 2
			for j < len(toks) && toks[j].kind == 'a' && (strings.HasPrefix(toks[j].text, "$") || toks[j].text == "definition" || toks[j].text == "instance") {
				j++
			}
			if j >= len(toks) || toks[j].kind != 'a' || toks[j].text != "binary" {
				continue
			}
			var b []byte
			k := j + 1
			for ; k < len(toks) && toks[k].kind == '"'; k++ {
				b = append(b, toks[k].text...)
			}
			wm := wastModule{file: file, line: tk.line, bytes: b}
			if len(heads) >= 2 && heads[len(heads)-2] == "assert_malformed" {
				wm.malformed = true
				if k+1 < len(toks) && toks[k].kind == ')' && toks[k+1].kind == '"' {
					wm.message = toks[k+1].text
				}
			}
			out = append(out, wm)
		case ')':
			if len(heads) > 0 {
				heads = heads[:len(heads)-1]
			}
		}
	}
	return out, nil
}

func specModules(t testing.TB, version string) []wastModule {
	dir := testenv.Require(t, filepath.Join("spec", version))
	files, _ := filepath.Glob(filepath.Join(dir, "*.wast"))
	if len(files) == 0 {
		t.Fatalf("no spec tests in %s", dir)
	}
	var all []wastModule
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := binaryModules(filepath.Base(f), src)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, ms...)
	}
	return all
}

// TestSpecBinaryModules decodes every (module binary ...) of the spec
// tests, each version with its own features: those of assert_malformed
// must fail, the others must decode. Some modules of assert_invalid decode
// fine and fail validation.
func TestSpecBinaryModules(t *testing.T) {
	for _, tc := range []struct {
		version string
		opt     Options
	}{
		{"wasm-2.0", Options{Features: wasm.Wasm2}},
		{"wasm-3.0", Options{Features: wasm.Wasm3}},
	} {
		mods := specModules(t, tc.version)
		var okDecoded, okRejected, msgMatch int
		for _, wm := range mods {
			_, err := DecodeWith(wm.bytes, tc.opt)
			where := fmt.Sprintf("%s %s:%d", tc.version, wm.file, wm.line)
			if !wm.malformed {
				if err != nil {
					t.Errorf("%s: want success, got %v", where, err)
					continue
				}
				okDecoded++
				continue
			}
			if err == nil {
				t.Errorf("%s: decoded a malformed module (want %q)", where, wm.message)
				continue
			}
			var be *Error
			if !errors.As(err, &be) {
				t.Errorf("%s: error is %T, not *binary.Error", where, err)
			}
			okRejected++
			if strings.Contains(err.Error(), wm.message) {
				msgMatch++
			} else if testing.Verbose() {
				t.Logf("%s: message %q, want %q", where, err, wm.message)
			}
		}
		t.Logf("%s binary modules: %d total, %d decoded, %d malformed rejected (%d with the spec's message)",
			tc.version, len(mods), okDecoded, okRejected, msgMatch)
	}
}

// normalize clears the fields that legitimately differ between a decoded
// module and the decoding of its re-encoding.
func normalize(m *wasm.Module) {
	for i := range m.Code {
		m.Code[i].BodyOffset = 0
	}
}

// TestSpecRoundTrip checks decode(encode(decode(b))) == decode(b) and the
// stability of the encoding over every valid binary module of the spec
// tests.
func TestSpecRoundTrip(t *testing.T) {
	for _, version := range []string{"wasm-2.0", "wasm-3.0"} {
		n := 0
		for _, wm := range specModules(t, version) {
			m1, err := Decode(wm.bytes)
			if err != nil {
				continue
			}
			checkRoundTrip(t, fmt.Sprintf("%s %s:%d", version, wm.file, wm.line), m1)
			n++
		}
		t.Logf("%s: %d modules round-tripped", version, n)
	}
}

func checkRoundTrip(t *testing.T, where string, m1 *wasm.Module) {
	t.Helper()
	b1, err := Encode(m1)
	if err != nil {
		t.Errorf("%s: encode: %v", where, err)
		return
	}
	m2, err := Decode(b1)
	if err != nil {
		t.Errorf("%s: decode(encode): %v", where, err)
		return
	}
	b2, err := Encode(m2)
	if err != nil {
		t.Errorf("%s: encode(decode(encode)): %v", where, err)
		return
	}
	if !bytes.Equal(b1, b2) {
		t.Errorf("%s: encoding is not stable", where)
	}
	normalize(m1)
	normalize(m2)
	if !reflect.DeepEqual(m1, m2) {
		t.Errorf("%s: decode(encode(m)) differs from m:\n%+v\n%+v", where, m1, m2)
	}
}
