package component

import (
	"fmt"
	"strings"
)

// NameKind classifies an import or export name.
type NameKind int

// The name kinds.
const (
	NamePlain       NameKind = iota // a label: "run", "my-func"
	NameConstructor                 // "[constructor]r"
	NameMethod                      // "[method]r.m"
	NameStatic                      // "[static]r.f"
	NameInterface                   // "ns:pkg/iface@1.2.3"
	NameDependency                  // "unlocked-dep=<...>", "locked-dep=<...>", "url=<...>", "integrity=<...>"
)

// ParsedName is the structure of an import or export name.
type ParsedName struct {
	Kind NameKind
	// Async is set for the "[async]", "[async method]" and "[async static]"
	// annotations.
	Async bool
	// Label is the plain name, or the function label of a method or static
	// function.
	Label string
	// Resource is the resource label of a constructor, method or static
	// function.
	Resource string
	// Namespace, Package, Interface (possibly nested with '/') and
	// Version are the parts of an interface name.
	Namespace, Package, Interface, Version string
}

// isLabel reports whether s is a kebab-case label: words separated by '-',
// each all lower-case or all upper-case ASCII letters and digits, starting
// with a letter.
func isLabel(s string) bool {
	if s == "" {
		return false
	}
	for _, w := range strings.Split(s, "-") {
		if w == "" {
			return false
		}
		c := w[0]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
		lower, upper := false, false
		for i := 0; i < len(w); i++ {
			c := w[i]
			switch {
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			case c >= '0' && c <= '9':
			default:
				return false
			}
		}
		if lower && upper {
			return false
		}
	}
	return true
}

// ParseName parses an import or export name.
func ParseName(s string) (ParsedName, error) {
	var p ParsedName
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return p, fmt.Errorf("invalid name %q: unterminated annotation", s)
		}
		ann, rest := s[1:end], s[end+1:]
		if a, ok := strings.CutPrefix(ann, "async"); ok {
			p.Async = true
			ann = strings.TrimPrefix(a, " ")
		}
		switch ann {
		case "":
			if !p.Async || !isLabel(rest) {
				return p, fmt.Errorf("invalid name %q", s)
			}
			p.Kind, p.Label = NamePlain, rest
			return p, nil
		case "constructor":
			if p.Async || !isLabel(rest) {
				return p, fmt.Errorf("invalid constructor name %q", s)
			}
			p.Kind, p.Resource = NameConstructor, rest
			return p, nil
		case "method", "static":
			r, l, ok := strings.Cut(rest, ".")
			if !ok || !isLabel(r) || !isLabel(l) {
				return p, fmt.Errorf("invalid %s name %q", ann, s)
			}
			p.Kind, p.Resource, p.Label = NameMethod, r, l
			if ann == "static" {
				p.Kind = NameStatic
			}
			return p, nil
		}
		return p, fmt.Errorf("invalid name %q: unknown annotation [%s]", s, ann)
	}
	if i := strings.Index(s, "=<"); i > 0 {
		if !strings.HasSuffix(s, ">") {
			return p, fmt.Errorf("invalid dependency name %q", s)
		}
		p.Kind = NameDependency
		return p, nil
	}
	if strings.ContainsRune(s, ':') {
		p.Kind = NameInterface
		rest := s
		if at := strings.IndexByte(rest, '@'); at >= 0 {
			p.Version = rest[at+1:]
			rest = rest[:at]
			if p.Version == "" {
				return p, fmt.Errorf("invalid interface name %q: empty version", s)
			}
		}
		ns, rest, _ := strings.Cut(rest, ":")
		pkg, iface, ok := strings.Cut(rest, "/")
		if !ok {
			return p, fmt.Errorf("invalid interface name %q: no interface", s)
		}
		p.Namespace, p.Package, p.Interface = ns, pkg, iface
		for _, part := range append([]string{ns, pkg}, strings.Split(iface, "/")...) {
			if !isLabel(part) {
				return p, fmt.Errorf("invalid interface name %q: %q is not a label", s, part)
			}
		}
		return p, nil
	}
	if !isLabel(s) {
		return p, fmt.Errorf("invalid name %q", s)
	}
	p.Kind, p.Label = NamePlain, s
	return p, nil
}

// ValidateName reports whether s is a well-formed import or export name.
func ValidateName(s string) error {
	_, err := ParseName(s)
	return err
}
