package preview2

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/gowasm/gowasm/component"
	"github.com/gowasm/gowasm/wasi/internal/readahead"
)

// This file implements the resources of wasi:http/types shared by the
// serving side (http_serve.go: incoming-request, response-outparam,
// outgoing-response) and the client side (http_client.go:
// outgoing-request, request-options, future-incoming-response,
// incoming-response): fields, bodies, trailers, and the types of the
// interface.

// HTTP bounds. A fields resource holds at most maxFieldsBytes of names
// and values (plus 32 bytes an entry, as HTTP/2 counts them); a name is at
// most maxFieldNameLen bytes. A response body written before
// response-outparam.set, and a request body written before
// outgoing-handler.handle, are buffered up to maxEarlyBody bytes.
const (
	maxFieldsBytes  = 256 << 10
	maxFieldNameLen = 8 << 10
	maxEarlyBody    = 1 << 20
)

// hres is one host resource type of wasi:http with its table.
type hres[T any] struct {
	rt   *component.ResourceType
	tab  table[T]
	what string
}

// newHRes returns a resource type named name whose destructor frees the
// table entry after calling drop (when non-nil) on its value.
func newHRes[T any](name string, drop func(T)) *hres[T] {
	r := &hres[T]{what: name}
	r.rt = component.NewResourceType(name, func(_ context.Context, rep uint32) error {
		if v, ok := r.tab.get(rep); ok && drop != nil {
			drop(v)
		}
		r.tab.remove(rep)
		return nil
	})
	return r
}

// own returns a new owned handle of v.
func (r *hres[T]) own(v T) component.Val { return component.Own(r.rt, r.tab.add(v)) }

// get returns the value of handle v (own or borrow), or a trap.
func (r *hres[T]) get(v component.Val) (T, error) {
	rep, rt := v.Handle()
	if x, ok := r.tab.get(rep); ok && rt == r.rt {
		return x, nil
	}
	var zero T
	return zero, badHandle(r.what, v)
}

// take returns the value of owned handle v, which the guest gave to the
// host, and frees its entry (no destructor runs: the host now owns it).
func (r *hres[T]) take(v component.Val) (T, error) {
	x, err := r.get(v)
	if err == nil {
		rep, _ := v.Handle()
		r.tab.remove(rep)
	}
	return x, err
}

// httpState is the state of wasi:http: its resource types and tables.
type httpState struct {
	fields      *hres[*httpFields]
	inReqs      *hres[*incomingRequest]
	outReqs     *hres[*outgoingRequest]
	reqOpts     *hres[*requestOptions]
	outparams   *hres[*responseOutparam]
	inResps     *hres[*incomingResponse]
	inBodies    *hres[*incomingBody]
	futTrailers *hres[*futureTrailers]
	outResps    *hres[*outgoingResponse]
	outBodies   *hres[*outgoingBody]
	futResps    *hres[*futureResponse]
}

// initHTTP makes the resource types of wasi:http.
func (h *Host) initHTTP() {
	s := &h.http
	s.fields = newHRes[*httpFields]("fields", nil)
	s.inReqs = newHRes("incoming-request", func(r *incomingRequest) {
		if !r.consumed && r.body != nil {
			r.body.close()
		}
	})
	s.outReqs = newHRes[*outgoingRequest]("outgoing-request", nil)
	s.reqOpts = newHRes[*requestOptions]("request-options", nil)
	s.outparams = newHRes[*responseOutparam]("response-outparam", nil)
	s.inResps = newHRes("incoming-response", func(r *incomingResponse) {
		if !r.consumed && r.body != nil {
			r.body.close()
		}
	})
	s.inBodies = newHRes("incoming-body", func(b *incomingBody) { b.close() })
	s.futTrailers = newHRes[*futureTrailers]("future-trailers", nil)
	s.outResps = newHRes[*outgoingResponse]("outgoing-response", nil)
	s.outBodies = newHRes("outgoing-body", func(b *outgoingBody) { b.drop() })
	s.futResps = newHRes("future-incoming-response", func(f *futureResponse) { f.drop() })
}

// closeHTTP releases what the guest still holds: bodies are closed,
// requests under way cancelled, and the tables emptied.
func (h *Host) closeHTTP() {
	s := &h.http
	if s.fields == nil {
		return
	}
	for _, b := range s.inBodies.tab.values() {
		b.close()
	}
	for _, r := range s.inResps.tab.values() {
		if r.body != nil {
			r.body.close()
		}
	}
	for _, f := range s.futResps.tab.values() {
		f.drop()
		f.cancel()
	}
	for _, b := range s.outBodies.tab.values() {
		b.drop()
	}
	s.fields.tab.clear()
	s.inReqs.tab.clear()
	s.outReqs.tab.clear()
	s.reqOpts.tab.clear()
	s.outparams.tab.clear()
	s.inResps.tab.clear()
	s.inBodies.tab.clear()
	s.futTrailers.tab.clear()
	s.outResps.tab.clear()
	s.outBodies.tab.clear()
	s.futResps.tab.clear()
}

// values returns the live entries.
func (t *table[T]) values() []T {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]T, 0, len(t.m))
	for _, v := range t.m {
		out = append(out, v)
	}
	return out
}

// ---- fields ----

// fieldList is an ordered list of HTTP fields with lower-case names.
type fieldList struct {
	names  []string
	values [][]byte
	size   int // bytes counted against maxFieldsBytes
}

// httpFields is a fields resource: its list, shared with the request or
// response it is a child of when immutable.
type httpFields struct {
	list      *fieldList
	immutable bool
}

// clone returns a copy of l.
func (l *fieldList) clone() *fieldList {
	c := &fieldList{names: append([]string(nil), l.names...), values: make([][]byte, len(l.values)), size: l.size}
	for i, v := range l.values {
		c.values[i] = append([]byte(nil), v...)
	}
	return c
}

// add appends name: value (name lower-case), failing when the list
// would exceed maxFieldsBytes.
func (l *fieldList) add(name string, value []byte) bool {
	n := len(name) + len(value) + 32
	if l.size+n > maxFieldsBytes {
		return false
	}
	l.names = append(l.names, name)
	l.values = append(l.values, append([]byte(nil), value...))
	l.size += n
	return true
}

// del removes every field named name.
func (l *fieldList) del(name string) {
	j := 0
	for i, n := range l.names {
		if n == name {
			l.size -= len(n) + len(l.values[i]) + 32
			continue
		}
		l.names[j], l.values[j] = n, l.values[i]
		j++
	}
	clear(l.names[j:])
	clear(l.values[j:])
	l.names, l.values = l.names[:j], l.values[:j]
}

// get returns the values of name.
func (l *fieldList) get(name string) [][]byte {
	var out [][]byte
	for i, n := range l.names {
		if n == name {
			out = append(out, l.values[i])
		}
	}
	return out
}

// header converts l to an http.Header (canonical keys).
func (l *fieldList) header() http.Header {
	hd := make(http.Header, len(l.names))
	for i, n := range l.names {
		hd.Add(n, string(l.values[i]))
	}
	return hd
}

// fieldsFromHeader returns the fields of a Go header, names in lower
// case and sorted (Go's map has no order), values in order. Fields beyond
// maxFieldsBytes are dropped (net/http bounds headers it reads anyway).
func fieldsFromHeader(hd http.Header) *fieldList {
	keys := make([]string, 0, len(hd))
	for k := range hd {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	l := &fieldList{}
	for _, k := range keys {
		name := strings.ToLower(k)
		if !validFieldName(name) {
			continue
		}
		for _, v := range hd[k] {
			l.add(name, []byte(v))
		}
	}
	return l
}

// forbiddenFields are the fields a guest may not set: hop-by-hop fields
// the host's HTTP implementation manages itself.
var forbiddenFields = map[string]bool{
	"connection": true, "keep-alive": true, "proxy-connection": true, "transfer-encoding": true,
	"upgrade": true, "te": true, "host": true, "http2-settings": true,
	"proxy-authenticate": true, "proxy-authorization": true,
}

// validFieldName reports whether name is an HTTP token (RFC 9110) of at
// most maxFieldNameLen bytes.
func validFieldName(name string) bool {
	if name == "" || len(name) > maxFieldNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		if !isTokenChar(name[i]) {
			return false
		}
	}
	return true
}

// isTokenChar reports whether c may appear in an HTTP token.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validFieldValue reports whether v is a valid field value: no NUL, CR
// or LF, no other control byte but tab.
func validFieldValue(v []byte) bool {
	for _, c := range v {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// headerError returns the header-error case name for setting name to
// values, or "" when it is allowed.
func headerError(f *httpFields, name string, values [][]byte) string {
	if f.immutable {
		return "immutable"
	}
	if !validFieldName(name) {
		return "invalid-syntax"
	}
	for _, v := range values {
		if !validFieldValue(v) {
			return "invalid-syntax"
		}
	}
	if forbiddenFields[strings.ToLower(name)] {
		return "forbidden"
	}
	return ""
}

// bytesOf returns the bytes of a list<u8> value.
func bytesOf(v component.Val) []byte {
	if b, ok := v.AsBytes(); ok {
		return b
	}
	elems := v.Elems()
	b := make([]byte, len(elems))
	for i, e := range elems {
		b[i] = byte(e.AsUint())
	}
	return b
}

// ---- bodies ----

// incomingBody is the host side of an incoming-body: the body of an
// incoming request or response.
type incomingBody struct {
	r       io.Reader // read by the input stream
	closer  io.Closer // closes the underlying body, or nil
	trailer func() http.Header
	taken   bool // stream was called
	once    sync.Once
}

// close closes the underlying body once.
func (b *incomingBody) close() {
	b.once.Do(func() {
		if b.closer != nil {
			b.closer.Close()
		}
	})
}

// newIncomingBody returns the body reading r (closed by closer): read
// directly when r is in memory, ahead in a goroutine otherwise (a network
// body), so that the guest can poll its stream.
func newIncomingBody(r io.Reader, closer io.Closer, trailer func() http.Header) *incomingBody {
	switch r.(type) {
	case *strings.Reader, *bytes.Reader:
	default:
		if r == http.NoBody || r == nil {
			r = eofReader{}
		} else {
			r = readahead.New(r, maxChunk)
		}
	}
	return &incomingBody{r: r, closer: closer, trailer: trailer}
}

// futureTrailers is the host side of a future-trailers.
type futureTrailers struct {
	trailer func() http.Header
	got     bool
}

// outgoingBody is the host side of an outgoing-body: its bytes go to a
// sink (the http.ResponseWriter of a served request, the pipe of an
// outgoing request).
type outgoingBody struct {
	sink     bodySink
	taken    bool // write was called
	finished bool
}

// bodySink receives an outgoing body.
type bodySink interface {
	io.Writer
	Flush() error
	// finish ends the body with trailers (nil for none); abort ends it
	// incomplete (the guest dropped it without finish).
	finish(trailers http.Header) error
	abort()
}

// drop is the destructor: a body dropped without finish is incomplete.
func (b *outgoingBody) drop() {
	if !b.finished {
		b.finished = true
		b.sink.abort()
	}
}

// ---- types ----

// httpTypes are the component types of wasi:http/types for one host.
type httpTypes struct {
	ownFields, borrowFields        *component.Type
	method, scheme                 *component.Type
	errorCode, headerErr           *component.Type
	ownInBody, ownFutTrailers      *component.Type
	ownOutBody, ownOutResp         *component.Type
	ownInResp, ownFutResp          *component.Type
	ownOutReq, ownReqOpts          *component.Type
	ownInReq, ownOutparam          *component.Type
	borrow                         func(rt *component.ResourceType) *component.Type
	fieldEntries, optStr, duration *component.Type
}

// httpTypes returns the types of wasi:http for the host's resources.
func (h *Host) httpTypes() httpTypes {
	s := &h.http
	own := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindOwn, Resource: rt}
	}
	borrow := func(rt *component.ResourceType) *component.Type {
		return &component.Type{Kind: component.KindBorrow, Resource: rt}
	}
	str := component.Prim(component.KindString)
	optStr := component.OptionOf(str)
	u8list := component.ListOf(component.Prim(component.KindU8))
	fieldSize := component.RecordOf(
		component.Field{Name: "field-name", Type: optStr},
		component.Field{Name: "field-size", Type: component.OptionOf(component.Prim(component.KindU32))})
	optU32 := component.OptionOf(component.Prim(component.KindU32))
	optU64 := component.OptionOf(u64T)
	c := func(name string, t *component.Type) component.Case { return component.Case{Name: name, Type: t} }
	cases := []component.Case{
		c("DNS-timeout", nil),
		c("DNS-error", component.RecordOf(
			component.Field{Name: "rcode", Type: optStr},
			component.Field{Name: "info-code", Type: component.OptionOf(component.Prim(component.KindU16))})),
		c("destination-not-found", nil), c("destination-unavailable", nil),
		c("destination-IP-prohibited", nil), c("destination-IP-unroutable", nil),
		c("connection-refused", nil), c("connection-terminated", nil), c("connection-timeout", nil),
		c("connection-read-timeout", nil), c("connection-write-timeout", nil), c("connection-limit-reached", nil),
		c("TLS-protocol-error", nil), c("TLS-certificate-error", nil),
		c("TLS-alert-received", component.RecordOf(
			component.Field{Name: "alert-id", Type: component.OptionOf(component.Prim(component.KindU8))},
			component.Field{Name: "alert-message", Type: optStr})),
		c("HTTP-request-denied", nil), c("HTTP-request-length-required", nil),
		c("HTTP-request-body-size", optU64), c("HTTP-request-method-invalid", nil),
		c("HTTP-request-URI-invalid", nil), c("HTTP-request-URI-too-long", nil),
		c("HTTP-request-header-section-size", optU32),
		c("HTTP-request-header-size", component.OptionOf(fieldSize)),
		c("HTTP-request-trailer-section-size", optU32),
		c("HTTP-request-trailer-size", fieldSize),
		c("HTTP-response-incomplete", nil),
		c("HTTP-response-header-section-size", optU32),
		c("HTTP-response-header-size", fieldSize),
		c("HTTP-response-body-size", optU64),
		c("HTTP-response-trailer-section-size", optU32),
		c("HTTP-response-trailer-size", fieldSize),
		c("HTTP-response-transfer-coding", optStr),
		c("HTTP-response-content-coding", optStr),
		c("HTTP-response-timeout", nil), c("HTTP-upgrade-failed", nil), c("HTTP-protocol-error", nil),
		c("loop-detected", nil), c("configuration-error", nil),
		c("internal-error", optStr),
	}
	return httpTypes{
		ownFields:    own(s.fields.rt),
		borrowFields: borrow(s.fields.rt),
		method: component.VariantOf(c("get", nil), c("head", nil), c("post", nil), c("put", nil),
			c("delete", nil), c("connect", nil), c("options", nil), c("trace", nil), c("patch", nil),
			c("other", str)),
		scheme:         component.VariantOf(c("HTTP", nil), c("HTTPS", nil), c("other", str)),
		errorCode:      component.VariantOf(cases...),
		headerErr:      component.VariantOf(c("invalid-syntax", nil), c("forbidden", nil), c("immutable", nil)),
		ownInBody:      own(s.inBodies.rt),
		ownFutTrailers: own(s.futTrailers.rt),
		ownOutBody:     own(s.outBodies.rt),
		ownOutResp:     own(s.outResps.rt),
		ownInResp:      own(s.inResps.rt),
		ownFutResp:     own(s.futResps.rt),
		ownOutReq:      own(s.outReqs.rt),
		ownReqOpts:     own(s.reqOpts.rt),
		ownInReq:       own(s.inReqs.rt),
		ownOutparam:    own(s.outparams.rt),
		borrow:         borrow,
		fieldEntries:   component.ListOf(component.TupleOf(str, u8list)),
		optStr:         optStr,
		duration:       u64T,
	}
}

// methodVal returns the method variant of an HTTP method.
func methodVal(m string) component.Val {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH":
		return component.Variant(strings.ToLower(m), nil)
	}
	s := component.String(m)
	return component.Variant("other", &s)
}

// methodOf returns the HTTP method of a method variant ("" when other
// names an invalid method).
func methodOf(v component.Val) string {
	if v.Case() == "other" {
		m := v.Payload().AsString()
		if !validFieldName(m) {
			return ""
		}
		return m
	}
	return strings.ToUpper(v.Case())
}

// schemeVal returns the scheme variant of "http", "https" or another.
func schemeVal(s string) component.Val {
	switch strings.ToLower(s) {
	case "http":
		return component.Variant("HTTP", nil)
	case "https":
		return component.Variant("HTTPS", nil)
	}
	p := component.String(s)
	return component.Variant("other", &p)
}

// schemeOf returns the scheme of a scheme variant, in lower case.
func schemeOf(v component.Val) string {
	if v.Case() == "other" {
		return v.Payload().AsString()
	}
	return strings.ToLower(v.Case())
}

// optString returns option<string> of s ("" being none when !ok).
func optString(s string, ok bool) component.Val {
	if !ok {
		return component.None()
	}
	return component.Some(component.String(s))
}

// errorCode returns an error-code value of case name with an optional
// payload.
func errorCode(name string, payload *component.Val) component.Val {
	return component.Variant(name, payload)
}

// internalError returns error-code internal-error(some(msg)).
func internalError(msg string) component.Val {
	p := component.Some(component.String(msg))
	return errorCode("internal-error", &p)
}

// httpError is a Go error carrying a wasi:http error-code, so that
// http-error-code can recover it from the wasi:io/error of a failed
// body stream.
type httpError struct {
	code component.Val
	err  error
}

func (e *httpError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%s: %v", e.code.Case(), e.err)
	}
	return e.code.Case()
}

func (e *httpError) Unwrap() error { return e.err }
