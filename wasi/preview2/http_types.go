package preview2

import (
	"context"
	"errors"
	"strings"

	"github.com/gowasm/gowasm/component"
)

// defineHTTP defines wasi:http/types and wasi:http/outgoing-handler.
func (h *Host) defineHTTP(l linker) error {
	s := &h.http
	t := h.httpTypes()
	it := h.ioTypes()
	str := component.Prim(component.KindString)
	u16 := component.Prim(component.KindU16)
	u8list := component.ListOf(component.Prim(component.KindU8))
	unitRes := component.ResultOf(nil, nil)
	headerRes := component.ResultOf(nil, t.headerErr)
	ret := func(v component.Val) ([]component.Val, error) { return []component.Val{v}, nil }
	ok := func(v component.Val) component.Val { return component.Ok(&v) }
	okUnit := component.Ok(nil)
	errUnit := component.Err(nil)
	hdrErr := func(name string) component.Val {
		v := component.Variant(name, nil)
		return component.Err(&v)
	}

	d := &definer{l: l, iface: "wasi:http/types"}
	for _, r := range []struct {
		name string
		rt   *component.ResourceType
	}{
		{"fields", s.fields.rt}, {"incoming-request", s.inReqs.rt}, {"outgoing-request", s.outReqs.rt},
		{"request-options", s.reqOpts.rt}, {"response-outparam", s.outparams.rt},
		{"incoming-response", s.inResps.rt}, {"incoming-body", s.inBodies.rt},
		{"future-trailers", s.futTrailers.rt}, {"outgoing-response", s.outResps.rt},
		{"outgoing-body", s.outBodies.rt}, {"future-incoming-response", s.futResps.rt},
	} {
		d.resource(r.name, r.rt)
	}

	// fields
	self := param("self", t.borrowFields)
	fieldsOf := func(f func(f *httpFields, a []component.Val) component.Val) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f0, err := s.fields.get(a[0])
			if err != nil {
				return nil, err
			}
			return ret(f(f0, a))
		}
	}
	d.fn("[constructor]fields", nil, t.ownFields, func(context.Context, []component.Val) ([]component.Val, error) {
		return ret(s.fields.own(&httpFields{list: &fieldList{}}))
	})
	d.fn("[static]fields.from-list", params(param("entries", t.fieldEntries)), component.ResultOf(t.ownFields, t.headerErr),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f := &httpFields{list: &fieldList{}}
			for _, e := range a[0].Elems() {
				kv := e.Elems()
				name, value := kv[0].AsString(), bytesOf(kv[1])
				if he := headerError(f, name, [][]byte{value}); he != "" {
					return ret(hdrErr(he))
				}
				if !f.list.add(strings.ToLower(name), value) {
					return ret(hdrErr("invalid-syntax"))
				}
			}
			return ret(ok(s.fields.own(f)))
		})
	d.fn("[method]fields.get", params(self, param("name", str)), component.ListOf(u8list),
		fieldsOf(func(f *httpFields, a []component.Val) component.Val {
			vs := f.list.get(strings.ToLower(a[1].AsString()))
			out := make([]component.Val, len(vs))
			for i, v := range vs {
				out[i] = component.Bytes(v)
			}
			return component.List(out...)
		}))
	d.fn("[method]fields.has", params(self, param("name", str)), component.Prim(component.KindBool),
		fieldsOf(func(f *httpFields, a []component.Val) component.Val {
			return component.Bool(len(f.list.get(strings.ToLower(a[1].AsString()))) > 0)
		}))
	d.fn("[method]fields.set", params(self, param("name", str), param("value", component.ListOf(u8list))), headerRes,
		fieldsOf(func(f *httpFields, a []component.Val) component.Val {
			name := a[1].AsString()
			var values [][]byte
			for _, v := range a[2].Elems() {
				values = append(values, bytesOf(v))
			}
			if he := headerError(f, name, values); he != "" {
				return hdrErr(he)
			}
			name = strings.ToLower(name)
			next := f.list.clone()
			next.del(name)
			for _, v := range values {
				if !next.add(name, v) {
					return hdrErr("invalid-syntax")
				}
			}
			*f.list = *next
			return okUnit
		}))
	d.fn("[method]fields.delete", params(self, param("name", str)), headerRes,
		fieldsOf(func(f *httpFields, a []component.Val) component.Val {
			name := a[1].AsString()
			if he := headerError(f, name, nil); he != "" {
				return hdrErr(he)
			}
			f.list.del(strings.ToLower(name))
			return okUnit
		}))
	d.fn("[method]fields.append", params(self, param("name", str), param("value", u8list)), headerRes,
		fieldsOf(func(f *httpFields, a []component.Val) component.Val {
			name, value := a[1].AsString(), bytesOf(a[2])
			if he := headerError(f, name, [][]byte{value}); he != "" {
				return hdrErr(he)
			}
			if !f.list.add(strings.ToLower(name), value) {
				return hdrErr("invalid-syntax")
			}
			return okUnit
		}))
	d.fn("[method]fields.entries", params(self), t.fieldEntries,
		fieldsOf(func(f *httpFields, _ []component.Val) component.Val {
			out := make([]component.Val, len(f.list.names))
			for i, n := range f.list.names {
				out[i] = component.Tuple(component.String(n), component.Bytes(f.list.values[i]))
			}
			return component.List(out...)
		}))
	d.fn("[method]fields.clone", params(self), t.ownFields,
		fieldsOf(func(f *httpFields, _ []component.Val) component.Val {
			return s.fields.own(&httpFields{list: f.list.clone()})
		}))
	// child returns an immutable fields handle over list.
	child := func(list *fieldList) component.Val {
		return s.fields.own(&httpFields{list: list, immutable: true})
	}

	// incoming-request
	inReq := func(f func(r *incomingRequest) component.Val) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			r, err := s.inReqs.get(a[0])
			if err != nil {
				return nil, err
			}
			return ret(f(r))
		}
	}
	selfInReq := params(param("self", t.borrow(s.inReqs.rt)))
	d.fn("[method]incoming-request.method", selfInReq, t.method,
		inReq(func(r *incomingRequest) component.Val { return methodVal(r.method) }))
	d.fn("[method]incoming-request.path-with-query", selfInReq, t.optStr,
		inReq(func(r *incomingRequest) component.Val { return optString(r.path, r.path != "") }))
	d.fn("[method]incoming-request.scheme", selfInReq, component.OptionOf(t.scheme),
		inReq(func(r *incomingRequest) component.Val {
			if r.scheme == "" {
				return component.None()
			}
			return component.Some(schemeVal(r.scheme))
		}))
	d.fn("[method]incoming-request.authority", selfInReq, t.optStr,
		inReq(func(r *incomingRequest) component.Val { return optString(r.authority, r.authority != "") }))
	d.fn("[method]incoming-request.headers", selfInReq, t.ownFields,
		inReq(func(r *incomingRequest) component.Val { return child(r.headers) }))
	d.fn("[method]incoming-request.consume", selfInReq, component.ResultOf(t.ownInBody, nil),
		inReq(func(r *incomingRequest) component.Val {
			if r.consumed || r.body == nil {
				return errUnit
			}
			r.consumed = true
			return ok(s.inBodies.own(r.body))
		}))

	// outgoing-request
	outReq := func(f func(r *outgoingRequest, a []component.Val) component.Val) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			r, err := s.outReqs.get(a[0])
			if err != nil {
				return nil, err
			}
			return ret(f(r, a))
		}
	}
	selfOutReq := param("self", t.borrow(s.outReqs.rt))
	d.fn("[constructor]outgoing-request", params(param("headers", t.ownFields)), t.ownOutReq,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f, err := s.fields.take(a[0])
			if err != nil {
				return nil, err
			}
			return ret(s.outReqs.own(&outgoingRequest{method: "GET", headers: f.list.clone()}))
		})
	d.fn("[method]outgoing-request.body", params(selfOutReq), component.ResultOf(t.ownOutBody, nil),
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val {
			if r.body != nil {
				return errUnit
			}
			r.pipe = newBodyPipe()
			r.body = &outgoingBody{sink: r.pipe}
			return ok(s.outBodies.own(r.body))
		}))
	d.fn("[method]outgoing-request.method", params(selfOutReq), t.method,
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val { return methodVal(r.method) }))
	d.fn("[method]outgoing-request.set-method", params(selfOutReq, param("method", t.method)), unitRes,
		outReq(func(r *outgoingRequest, a []component.Val) component.Val {
			m := methodOf(a[1])
			if m == "" {
				return errUnit
			}
			r.method = m
			return okUnit
		}))
	d.fn("[method]outgoing-request.path-with-query", params(selfOutReq), t.optStr,
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val { return optString(r.path, r.hasPath) }))
	d.fn("[method]outgoing-request.set-path-with-query", params(selfOutReq, param("path-with-query", t.optStr)), unitRes,
		outReq(func(r *outgoingRequest, a []component.Val) component.Val {
			if !a[1].IsSome() {
				r.path, r.hasPath = "", false
				return okUnit
			}
			p := a[1].Payload().AsString()
			if !validPathWithQuery(p) {
				return errUnit
			}
			r.path, r.hasPath = p, true
			return okUnit
		}))
	d.fn("[method]outgoing-request.scheme", params(selfOutReq), component.OptionOf(t.scheme),
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val {
			if !r.hasScheme {
				return component.None()
			}
			return component.Some(schemeVal(r.scheme))
		}))
	d.fn("[method]outgoing-request.set-scheme", params(selfOutReq, param("scheme", component.OptionOf(t.scheme))), unitRes,
		outReq(func(r *outgoingRequest, a []component.Val) component.Val {
			if !a[1].IsSome() {
				r.scheme, r.hasScheme = "", false
				return okUnit
			}
			sc := schemeOf(*a[1].Payload())
			if !validScheme(sc) {
				return errUnit
			}
			r.scheme, r.hasScheme = sc, true
			return okUnit
		}))
	d.fn("[method]outgoing-request.authority", params(selfOutReq), t.optStr,
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val {
			return optString(r.authority, r.hasAuthority)
		}))
	d.fn("[method]outgoing-request.set-authority", params(selfOutReq, param("authority", t.optStr)), unitRes,
		outReq(func(r *outgoingRequest, a []component.Val) component.Val {
			if !a[1].IsSome() {
				r.authority, r.hasAuthority = "", false
				return okUnit
			}
			au := a[1].Payload().AsString()
			if !validAuthority(au) {
				return errUnit
			}
			r.authority, r.hasAuthority = au, true
			return okUnit
		}))
	d.fn("[method]outgoing-request.headers", params(selfOutReq), t.ownFields,
		outReq(func(r *outgoingRequest, _ []component.Val) component.Val { return child(r.headers) }))

	// request-options
	optDur := component.OptionOf(t.duration)
	selfOpts := param("self", t.borrow(s.reqOpts.rt))
	d.fn("[constructor]request-options", nil, t.ownReqOpts, func(context.Context, []component.Val) ([]component.Val, error) {
		return ret(s.reqOpts.own(&requestOptions{}))
	})
	for _, o := range []struct {
		name string
		f    func(*requestOptions) **uint64
	}{
		{"connect-timeout", func(o *requestOptions) **uint64 { return &o.connect }},
		{"first-byte-timeout", func(o *requestOptions) **uint64 { return &o.firstByte }},
		{"between-bytes-timeout", func(o *requestOptions) **uint64 { return &o.betweenBytes }},
	} {
		d.fn("[method]request-options."+o.name, params(selfOpts), optDur,
			func(_ context.Context, a []component.Val) ([]component.Val, error) {
				ro, err := s.reqOpts.get(a[0])
				if err != nil {
					return nil, err
				}
				if p := *o.f(ro); p != nil {
					return ret(component.Some(component.U64(*p)))
				}
				return ret(component.None())
			})
		d.fn("[method]request-options.set-"+o.name, params(selfOpts, param("duration", optDur)), unitRes,
			func(_ context.Context, a []component.Val) ([]component.Val, error) {
				ro, err := s.reqOpts.get(a[0])
				if err != nil {
					return nil, err
				}
				if a[1].IsSome() {
					v := a[1].Payload().AsUint()
					*o.f(ro) = &v
				} else {
					*o.f(ro) = nil
				}
				return ret(okUnit)
			})
	}

	// response-outparam
	d.fn("[static]response-outparam.set",
		params(param("param", t.ownOutparam), param("response", component.ResultOf(t.ownOutResp, t.errorCode))), nil,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			op, err := s.outparams.take(a[0])
			if err != nil {
				return nil, err
			}
			if a[1].IsErr() {
				op.setResponse(nil, a[1].Payload())
				return nil, nil
			}
			resp, err := s.outResps.take(*a[1].Payload())
			if err != nil {
				return nil, err
			}
			op.setResponse(resp, nil)
			return nil, nil
		})
	d.fn("[method]response-outparam.send-informational",
		params(param("self", t.borrow(s.outparams.rt)), param("status", u16), param("headers", t.borrowFields)),
		component.ResultOf(nil, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if _, err := s.outparams.get(a[0]); err != nil {
				return nil, err
			}
			e := internalError("informational responses are not supported")
			return ret(component.Err(&e))
		})

	// incoming-response
	inResp := func(f func(r *incomingResponse) component.Val) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			r, err := s.inResps.get(a[0])
			if err != nil {
				return nil, err
			}
			return ret(f(r))
		}
	}
	selfInResp := params(param("self", t.borrow(s.inResps.rt)))
	d.fn("[method]incoming-response.status", selfInResp, u16,
		inResp(func(r *incomingResponse) component.Val { return component.U16(uint16(r.status)) }))
	d.fn("[method]incoming-response.headers", selfInResp, t.ownFields,
		inResp(func(r *incomingResponse) component.Val { return child(r.headers) }))
	d.fn("[method]incoming-response.consume", selfInResp, component.ResultOf(t.ownInBody, nil),
		inResp(func(r *incomingResponse) component.Val {
			if r.consumed || r.body == nil {
				return errUnit
			}
			r.consumed = true
			return ok(s.inBodies.own(r.body))
		}))

	// incoming-body
	d.fn("[method]incoming-body.stream", params(param("self", t.borrow(s.inBodies.rt))), component.ResultOf(it.ownIn, nil),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			b, err := s.inBodies.get(a[0])
			if err != nil {
				return nil, err
			}
			if b.taken {
				return ret(errUnit)
			}
			b.taken = true
			return ret(ok(h.newInputStream(b.r)))
		})
	d.fn("[static]incoming-body.finish", params(param("this", t.ownInBody)), t.ownFutTrailers,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			b, err := s.inBodies.take(a[0])
			if err != nil {
				return nil, err
			}
			tr := b.trailer
			b.close()
			return ret(s.futTrailers.own(&futureTrailers{trailer: tr}))
		})

	// future-trailers
	selfFT := params(param("self", t.borrow(s.futTrailers.rt)))
	d.fn("[method]future-trailers.subscribe", selfFT, it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			if _, err := s.futTrailers.get(a[0]); err != nil {
				return nil, err
			}
			return ret(h.newPollable(&pollable{}))
		})
	d.fn("[method]future-trailers.get", selfFT,
		component.OptionOf(component.ResultOf(component.ResultOf(component.OptionOf(t.ownFields), t.errorCode), nil)),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			ft, err := s.futTrailers.get(a[0])
			if err != nil {
				return nil, err
			}
			if ft.got {
				return ret(component.Some(errUnit))
			}
			ft.got = true
			tr := component.None()
			if ft.trailer != nil {
				if hd := ft.trailer(); len(hd) > 0 {
					tr = component.Some(s.fields.own(&httpFields{list: fieldsFromHeader(hd), immutable: true}))
				}
			}
			return ret(component.Some(ok(ok(tr))))
		})

	// outgoing-response
	outResp := func(f func(r *outgoingResponse, a []component.Val) component.Val) component.HostFunc {
		return func(_ context.Context, a []component.Val) ([]component.Val, error) {
			r, err := s.outResps.get(a[0])
			if err != nil {
				return nil, err
			}
			return ret(f(r, a))
		}
	}
	selfOutResp := param("self", t.borrow(s.outResps.rt))
	d.fn("[constructor]outgoing-response", params(param("headers", t.ownFields)), t.ownOutResp,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f, err := s.fields.take(a[0])
			if err != nil {
				return nil, err
			}
			return ret(s.outResps.own(&outgoingResponse{status: 200, headers: f.list.clone()}))
		})
	d.fn("[method]outgoing-response.status-code", params(selfOutResp), u16,
		outResp(func(r *outgoingResponse, _ []component.Val) component.Val { return component.U16(uint16(r.status)) }))
	d.fn("[method]outgoing-response.set-status-code", params(selfOutResp, param("status-code", u16)), unitRes,
		outResp(func(r *outgoingResponse, a []component.Val) component.Val {
			code := int(a[1].AsUint())
			if code < 200 || code > 999 {
				return errUnit // informational (1xx) responses cannot be final
			}
			r.status = code
			return okUnit
		}))
	d.fn("[method]outgoing-response.headers", params(selfOutResp), t.ownFields,
		outResp(func(r *outgoingResponse, _ []component.Val) component.Val { return child(r.headers) }))
	d.fn("[method]outgoing-response.body", params(selfOutResp), component.ResultOf(t.ownOutBody, nil),
		outResp(func(r *outgoingResponse, _ []component.Val) component.Val {
			if r.body != nil {
				return errUnit
			}
			if r.sink == nil {
				r.sink = &responseSink{}
			}
			r.body = &outgoingBody{sink: r.sink}
			return ok(s.outBodies.own(r.body))
		}))

	// outgoing-body
	d.fn("[method]outgoing-body.write", params(param("self", t.borrow(s.outBodies.rt))), component.ResultOf(it.ownOut, nil),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			b, err := s.outBodies.get(a[0])
			if err != nil {
				return nil, err
			}
			if b.taken {
				return ret(errUnit)
			}
			b.taken = true
			return ret(ok(h.newOutputStream(b.sink)))
		})
	d.fn("[static]outgoing-body.finish",
		params(param("this", t.ownOutBody), param("trailers", component.OptionOf(t.ownFields))),
		component.ResultOf(nil, t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			b, err := s.outBodies.take(a[0])
			if err != nil {
				return nil, err
			}
			var tr *fieldList
			if a[1].IsSome() {
				f, err := s.fields.take(*a[1].Payload())
				if err != nil {
					return nil, err
				}
				tr = f.list
			}
			b.finished = true
			var hd map[string][]string
			if tr != nil {
				hd = tr.header()
			}
			if err := b.sink.finish(hd); err != nil {
				var he *httpError
				if errors.As(err, &he) {
					return ret(component.Err(&he.code))
				}
				e := internalError(err.Error())
				return ret(component.Err(&e))
			}
			return ret(okUnit)
		})

	// future-incoming-response
	selfFR := params(param("self", t.borrow(s.futResps.rt)))
	d.fn("[method]future-incoming-response.subscribe", selfFR, it.ownPoll,
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f, err := s.futResps.get(a[0])
			if err != nil {
				return nil, err
			}
			done := f.done
			return ret(h.newPollable(&pollable{wait: func() <-chan struct{} { return done }}))
		})
	d.fn("[method]future-incoming-response.get", selfFR,
		component.OptionOf(component.ResultOf(component.ResultOf(t.ownInResp, t.errorCode), nil)),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			f, err := s.futResps.get(a[0])
			if err != nil {
				return nil, err
			}
			select {
			case <-f.done:
			default:
				return ret(component.None())
			}
			if f.got {
				return ret(component.Some(errUnit))
			}
			f.got = true
			if f.code != nil {
				return ret(component.Some(ok(component.Err(f.code))))
			}
			return ret(component.Some(ok(ok(s.inResps.own(f.response())))))
		})

	d.fn("http-error-code", params(param("err", it.borrowErr)), component.OptionOf(t.errorCode),
		func(_ context.Context, a []component.Val) ([]component.Val, error) {
			e, found := h.ioErrorOf(a[0])
			if !found {
				return nil, badHandle("error", a[0])
			}
			var he *httpError
			if errors.As(e, &he) {
				return ret(component.Some(he.code))
			}
			return ret(component.None())
		})
	if d.err != nil {
		return d.err
	}

	d = &definer{l: l, iface: "wasi:http/outgoing-handler"}
	d.fn("handle", params(param("request", t.ownOutReq), param("options", component.OptionOf(t.ownReqOpts))),
		component.ResultOf(t.ownFutResp, t.errorCode),
		func(ctx context.Context, a []component.Val) ([]component.Val, error) {
			r, err := s.outReqs.take(a[0])
			if err != nil {
				return nil, err
			}
			var ro *requestOptions
			if a[1].IsSome() {
				if ro, err = s.reqOpts.take(*a[1].Payload()); err != nil {
					return nil, err
				}
			}
			f, code := h.sendRequest(ctx, r, ro)
			if code != nil {
				return ret(component.Err(code))
			}
			return ret(ok(s.futResps.own(f)))
		})
	return d.err
}
