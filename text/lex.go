package text

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// tokKind classifies a token of the text format.
type tokKind uint8

const (
	tokEOF      tokKind = iota
	tokLParen           // (
	tokRParen           // )
	tokKeyword          // idchars starting with a letter a-z
	tokNum              // idchars starting with a digit, + or - (a number, or reserved)
	tokID               // $idchars or $"..."
	tokString           // "..."
	tokReserved         // any other run of idchars and strings
)

func (k tokKind) String() string {
	switch k {
	case tokEOF:
		return "end of input"
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	case tokKeyword:
		return "keyword"
	case tokNum:
		return "number"
	case tokID:
		return "identifier"
	case tokString:
		return "string"
	}
	return "reserved token"
}

// token is one lexical token. Its text is the source text of keywords,
// numbers and reserved tokens, the name of ids (without the '$', decoded
// for quoted ids) and the decoded bytes of strings.
type token struct {
	kind tokKind
	pos  int32 // byte offset in the source
	text string
}

// Error is a syntax error in a text module or script, located by file,
// line and column. It prints as "file:line:col: message".
type Error struct {
	Pos Pos    // where the error is
	Msg string // what is wrong, without the position
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Pos.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// source maps byte offsets to lines and columns.
type source struct {
	file  string
	src   []byte
	str   string // src as a string, set by lex
	lines []int  // offsets of line starts, computed lazily
}

func (s *source) pos(off int) Pos {
	if s.lines == nil {
		s.lines = append(s.lines, 0)
		for i, c := range s.src {
			if c == '\n' {
				s.lines = append(s.lines, i+1)
			}
		}
	}
	l := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	if l < 0 {
		l = 0
	}
	return Pos{File: s.file, Line: l + 1, Col: off - s.lines[l] + 1}
}

func (s *source) errorf(off int, format string, args ...any) *Error {
	return &Error{Pos: s.pos(off), Msg: fmt.Sprintf(format, args...)}
}

// idchar reports whether c may appear in keywords, ids, numbers and
// reserved tokens.
var idcharTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-./:<=>?@\\^_`|~" {
		t[c] = true
	}
	return
}()

// reservedChar are characters that are not idchars but lex as parts of
// reserved tokens (Wasm 3.0).
func reservedChar(c byte) bool {
	return c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}'
}

// lex splits src into tokens, skipping whitespace, comments and
// annotations.
func lex(s *source) ([]token, error) {
	src := s.src
	s.str = string(src) // token texts are substrings of this one copy
	srcStr := s.str
	toks := make([]token, 0, len(src)/5+4)
	i := 0
	annotDepth := 0 // > 0 while skipping an annotation
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == ';' && i+1 < len(src) && src[i+1] == ';':
			// A line comment ends at a newline: LF, CR or CR LF.
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
			continue
		case c == '(' && i+1 < len(src) && src[i+1] == ';':
			j, err := skipBlockComment(s, i)
			if err != nil {
				return nil, err
			}
			i = j
			continue
		case c == '(':
			if i+1 < len(src) && src[i+1] == '@' {
				// Annotation: (@id ...), skipped with balanced parentheses.
				j := i + 2
				if j < len(src) && src[j] == '"' {
					v, k, err := lexString(s, j)
					if err != nil {
						return nil, err
					}
					if !utf8.ValidString(v) {
						return nil, s.errorf(j, "malformed UTF-8 encoding")
					}
					if len(v) == 0 && annotDepth == 0 {
						return nil, s.errorf(i, "empty annotation id")
					}
					j = k
				} else {
					for j < len(src) && idcharTable[src[j]] {
						j++
					}
					if j == i+2 && annotDepth == 0 {
						return nil, s.errorf(i, "empty annotation id")
					}
				}
				annotDepth++
				i = j
				continue
			}
			if annotDepth > 0 {
				annotDepth++
			} else {
				toks = append(toks, token{kind: tokLParen, pos: int32(i)})
			}
			i++
			continue
		case c == ')':
			if annotDepth > 0 {
				annotDepth--
			} else {
				toks = append(toks, token{kind: tokRParen, pos: int32(i)})
			}
			i++
			continue
		}
		// A run of idchars and strings.
		start := i
		nstr, nother := 0, 0
		var val string
		for i < len(src) {
			c := src[i]
			if idcharTable[c] || reservedChar(c) {
				if c == ';' && i+1 < len(src) && src[i+1] == ';' {
					break
				}
				nother++
				i++
				continue
			}
			if c == '"' {
				v, j, err := lexString(s, i)
				if err != nil {
					return nil, err
				}
				val = v
				nstr++
				i = j
				continue
			}
			break
		}
		if i == start {
			if c >= 0x80 {
				r, _ := utf8.DecodeRune(src[i:])
				if r == utf8.RuneError {
					return nil, s.errorf(i, "malformed UTF-8 encoding")
				}
				return nil, s.errorf(i, "illegal character %q", r)
			}
			return nil, s.errorf(i, "illegal character %q", rune(c))
		}
		if annotDepth > 0 {
			continue
		}
		t := token{pos: int32(start)}
		if nstr == 1 && nother == 0 {
			t.kind = tokString
			t.text = val
			toks = append(toks, t)
			continue
		}
		text := srcStr[start:i]
		switch {
		case nstr == 1 && nother == 1 && src[start] == '$' && src[start+1] == '"':
			t.kind = tokID
			if len(val) == 0 {
				return nil, s.errorf(start, "empty identifier")
			}
			if !utf8.ValidString(val) {
				return nil, s.errorf(start, "malformed UTF-8 encoding in identifier")
			}
			t.text = val
		case nstr > 0:
			t.kind = tokReserved
			t.text = text
		default:
			t.text = text
			c := src[start]
			switch {
			case c == '$' && len(text) > 1 && !hasReservedChar(text):
				t.kind = tokID
				t.text = text[1:]
			case text == "$":
				return nil, s.errorf(start, "empty identifier")
			case c >= 'a' && c <= 'z' && !hasReservedChar(text):
				t.kind = tokKeyword
			case (c >= '0' && c <= '9' || c == '+' || c == '-') && !hasReservedChar(text):
				t.kind = tokNum
			default:
				t.kind = tokReserved
			}
		}
		toks = append(toks, t)
	}
	if annotDepth > 0 {
		return nil, s.errorf(len(src), "unclosed annotation")
	}
	toks = append(toks, token{kind: tokEOF, pos: int32(len(src))})
	return toks, nil
}

func hasReservedChar(s string) bool {
	for i := 0; i < len(s); i++ {
		if reservedChar(s[i]) {
			return true
		}
	}
	return false
}

// skipBlockComment skips a possibly nested block comment starting at i
// and returns the offset after it.
func skipBlockComment(s *source, i int) (int, error) {
	src := s.src
	start := i
	depth := 0
	for i < len(src) {
		if src[i] == '(' && i+1 < len(src) && src[i+1] == ';' {
			depth++
			i += 2
			continue
		}
		if src[i] == ';' && i+1 < len(src) && src[i+1] == ')' {
			depth--
			i += 2
			if depth == 0 {
				return i, nil
			}
			continue
		}
		i++
	}
	return 0, s.errorf(start, "unclosed comment")
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// lexString decodes the string literal starting at src[i] == '"'. It
// returns the decoded bytes (a substring of the source when there are no
// escapes) and the offset after the closing quote.
func lexString(s *source, i int) (string, int, error) {
	src := s.src
	start := i
	i++
	j := i
	for j < len(src) && src[j] != '"' && src[j] != '\\' && src[j] >= 0x20 && src[j] != 0x7F {
		j++
	}
	if j < len(src) && src[j] == '"' {
		if !utf8.Valid(src[i:j]) {
			return "", 0, s.errorf(start, "malformed UTF-8 encoding")
		}
		return s.str[i:j], j + 1, nil
	}
	buf := make([]byte, 0, j-i+16)
	for {
		if i >= len(src) {
			return "", 0, s.errorf(start, "unclosed string")
		}
		c := src[i]
		switch {
		case c == '"':
			return string(buf), i + 1, nil
		case c == '\\':
			if i+1 >= len(src) {
				return "", 0, s.errorf(start, "unclosed string")
			}
			e := src[i+1]
			switch e {
			case 't':
				buf = append(buf, '\t')
				i += 2
			case 'n':
				buf = append(buf, '\n')
				i += 2
			case 'r':
				buf = append(buf, '\r')
				i += 2
			case '"', '\'', '\\':
				buf = append(buf, e)
				i += 2
			case 'u':
				if i+2 >= len(src) || src[i+2] != '{' {
					return "", 0, s.errorf(i, "illegal escape")
				}
				k := i + 3
				var r uint64
				nd := 0
				for k < len(src) && src[k] != '}' {
					if src[k] == '_' && nd > 0 && k+1 < len(src) && hexVal(src[k+1]) >= 0 {
						k++
						continue
					}
					d := hexVal(src[k])
					if d < 0 {
						return "", 0, s.errorf(i, "illegal escape")
					}
					r = r*16 + uint64(d)
					if r > 0x10FFFF {
						return "", 0, s.errorf(i, "illegal escape")
					}
					nd++
					k++
				}
				if k >= len(src) || nd == 0 || r >= 0xD800 && r < 0xE000 {
					return "", 0, s.errorf(i, "illegal escape")
				}
				buf = utf8.AppendRune(buf, rune(r))
				i = k + 1
			default:
				if i+2 < len(src) && hexVal(e) >= 0 && hexVal(src[i+2]) >= 0 {
					buf = append(buf, byte(hexVal(e)<<4|hexVal(src[i+2])))
					i += 3
				} else {
					return "", 0, s.errorf(i, "illegal escape")
				}
			}
		case c < 0x20 || c == 0x7F:
			return "", 0, s.errorf(i, "illegal control character in string")
		case c < 0x80:
			buf = append(buf, c)
			i++
		default:
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				return "", 0, s.errorf(i, "malformed UTF-8 encoding")
			}
			buf = append(buf, src[i:i+n]...)
			i += n
		}
	}
}
