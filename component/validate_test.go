package component

import (
	"strings"
	"testing"
)

func sec(id byte, body string) string { return string([]byte{id, byte(len(body))}) + body }

func TestValidateErrors(t *testing.T) {
	pre := "\x00asm\x0d\x00\x01\x00"
	u32func := sec(7, "\x01\x40\x00\x00\x79") // type 0: func() -> u32
	tests := []struct {
		name, in, want string
	}{
		{"export out of range", pre + sec(11, "\x01\x00\x01f\x01\x00\x00"), "component: invalid: section 11 (export), offset 0xb, definition 0 (export): function index 0 out of range"},
		{"duplicate export", pre + u32func + sec(11, "\x02\x00\x01t\x03\x00\x00\x00\x01t\x03\x00\x00"), "duplicate export name"},
		{"lift non-func type", pre + sec(7, "\x01\x7f") + sec(8, "\x01\x00\x00\x00\x00\x00"), "core function index 0 out of range"},
		{"alias missing instance", pre + sec(6, "\x01\x01\x00\x00\x01f"), "instance index 0 out of range"},
		{"own of non-resource", pre + sec(7, "\x02\x7f\x69\x00"), "not a resource"},
		{"borrow result", pre + sec(7, "\x03\x3f\x7f\x00\x68\x00\x40\x00\x00\x01"), "result contains a borrow"},
		{"outer alias too far", pre + sec(6, "\x01\x03\x02\x01\x00"), "exceeds the enclosing"},
		{"import missing type", pre + sec(10, "\x01\x00\x01f\x01\x05"), "type index 5 out of range"},
		{"duplicate import", pre + u32func + sec(10, "\x02\x00\x01f\x01\x00\x00\x01f\x01\x00"), "duplicate import name"},
		{"ok", pre + u32func + sec(10, "\x01\x00\x01f\x01\x00") + sec(11, "\x01\x00\x01g\x01\x00\x00"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Decode([]byte(tt.in))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			err = c.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

// TestExponentialTypes: a chain of types each doubling the previous one
// must be handled in linear time and rejected as too large.
func TestExponentialTypes(t *testing.T) {
	const n = 60
	body := []byte{n + 1, 0x6f, 2, 0x7d, 0x7d} // type 0: tuple<u8, u8>
	for i := 1; i <= n; i++ {
		body = append(body, 0x6f, 2, byte(i-1), byte(i-1))
	}
	sz := len(body)
	b := append([]byte("\x00asm\x0d\x00\x01\x00\x07"), byte(sz|0x80), byte(sz>>7))
	b = append(b, body...)
	c, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("got %v, want a too-large error", err)
	}
}
