package component

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gowasm/gowasm/interp"
	"github.com/gowasm/gowasm/wasm"
)

// coreFunc is a core function at run time.
type coreFunc = *interp.Func

// compiled holds the core modules of a component (at any depth),
// validated and translated.
type compiled struct {
	modules map[*CoreModule]*interp.Module
}

// Compile decodes a component binary and compiles its core modules, ready
// to be instantiated any number of times.
func Compile(ctx context.Context, b []byte) (*Component, error) {
	c, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if _, err := c.Type(); err != nil {
		return nil, err
	}
	cc := &compiled{modules: map[*CoreModule]*interp.Module{}}
	if err := compileModules(ctx, c, cc); err != nil {
		return nil, err
	}
	c.rt = cc
	return c, nil
}

func compileModules(ctx context.Context, c *Component, cc *compiled) error {
	for _, d := range c.Defs {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch d := d.(type) {
		case *CoreModule:
			m, err := interp.Compile(d.Module)
			if err != nil {
				return &Error{Section: 1, Offset: d.Offset, Msg: "core module", Err: err}
			}
			cc.modules[d] = m
		case *Component:
			if err := compileModules(ctx, d, cc); err != nil {
				return err
			}
		}
	}
	return nil
}

// HostFunc is a component function implemented in Go.
type HostFunc func(ctx context.Context, args []Val) ([]Val, error)

// Func is a component function: a lifted core function, a host function
// or an export of another instance.
type Func struct {
	name string
	typ  *FuncType
	call HostFunc
	// lifted is set for a guarded lifted function: Call calls it directly.
	lifted *liftedFunc
}

// Type returns the function's type.
func (f *Func) Type() *FuncType { return f.typ }

// Call calls f with args, checked against its parameter types, and
// returns its results. A trap in the callee or a violation of the
// canonical ABI is returned as an error.
func (f *Func) Call(ctx context.Context, args ...Val) (res []Val, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(args) != len(f.typ.Params) {
		return nil, fmt.Errorf("component: call %s: %d arguments, want %d", f.name, len(args), len(f.typ.Params))
	}
	for i, p := range f.typ.Params {
		if err := checkVal(p.Type, args[i], 0); err != nil {
			return nil, fmt.Errorf("component: call %s: argument %s: %w", f.name, p.Name, err)
		}
	}
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("component: call %s: internal error: %v", f.name, r)
		}
	}()
	if f.lifted != nil {
		res, err = f.lifted.guardedCall(ctx, args)
	} else {
		res, err = f.call(ctx, append([]Val(nil), args...))
	}
	if err != nil {
		return nil, fmt.Errorf("component: call %s: %w", f.name, err)
	}
	return res, nil
}

// Instance is an instantiated component, or a bag of exports.
type Instance struct {
	exports map[string]any // *Func, *Instance, *Type, *ResourceType, *componentVal, *coreModuleVal
	names   []string
}

func newInstance() *Instance { return &Instance{exports: map[string]any{}} }

func (in *Instance) add(name string, v any) {
	if _, ok := in.exports[name]; !ok {
		in.names = append(in.names, name)
	}
	in.exports[name] = v
}

// Exports returns the names of the instance's exports, in order. The
// functions of an exported instance are listed as "iface#func".
func (in *Instance) Exports() []string {
	var out []string
	for _, n := range in.names {
		out = append(out, n)
		if sub, ok := in.exports[n].(*Instance); ok {
			for _, m := range sub.names {
				if _, ok := sub.exports[m].(*Func); ok {
					out = append(out, n+"#"+m)
				}
			}
		}
	}
	return out
}

// Func returns the exported function named name ("f", or "iface#f" for a
// function of an exported instance), or nil.
func (in *Instance) Func(name string) *Func {
	cur := in
	parts := strings.Split(name, "#")
	for i, p := range parts {
		e, ok := cur.exports[p]
		if !ok {
			return nil
		}
		if i == len(parts)-1 {
			f, _ := e.(*Func)
			return f
		}
		if cur, ok = e.(*Instance); !ok {
			return nil
		}
	}
	return nil
}

// Instance returns the exported instance named name, or nil.
func (in *Instance) Instance(name string) *Instance {
	sub, _ := in.exports[name].(*Instance)
	return sub
}

// Resource returns the exported resource type named name ("r", or
// "iface#r" inside an exported instance), or nil.
func (in *Instance) Resource(name string) *ResourceType {
	if iface, r, ok := strings.Cut(name, "#"); ok {
		if sub := in.Instance(iface); sub != nil {
			in, name = sub, r
		}
	}
	rt, _ := in.exports[name].(*ResourceType)
	return rt
}

// Value returns the exported component-level value named name (a value
// export, such as a result of the component's start function).
func (in *Instance) Value(name string) (Val, bool) {
	v, ok := in.exports[name].(*valueBox)
	if !ok {
		return Val{}, false
	}
	return v.v, true
}

// Linker resolves the imports of components with host functions and
// instances.
type Linker struct {
	funcs     defs[*Func]
	instances defs[*Instance]
	resources defs[*ResourceType]
	values    defs[Val]
	// trapUnknown makes missing function imports functions that fail
	// when called.
	trapUnknown bool
}

// NewLinker returns an empty linker.
func NewLinker() *Linker {
	return &Linker{funcs: newDefs[*Func](), instances: newDefs[*Instance](), resources: newDefs[*ResourceType](), values: newDefs[Val]()}
}

// DefineResource defines the imported resource type name ("r", or
// "iface#r" for resource r of an imported instance, such as
// "wasi:io/streams@0.2.0#output-stream") as the host resource rt (see
// NewResourceType). Host functions return handles to it as Own(rt, rep)
// and receive the representations of the handles components pass them.
func (l *Linker) DefineResource(name string, rt *ResourceType) {
	if rt != nil && rt.definedAs == "" {
		rt.definedAs = name
	}
	l.resources.set(name, rt)
}

// DefineFunc defines the host function name: "f" for a function import,
// "iface#f" for function f of an imported instance such as
// "wasi:cli/environment@0.2.0#get-environment". An import whose exact
// name is not defined uses a definition of a semver-compatible version of
// the same interface (0.2.x for 0.2.3; 1.x for 1.4.0), as wasmtime does.
func (l *Linker) DefineFunc(name string, typ FuncType, fn func(ctx context.Context, args []Val) ([]Val, error)) error {
	if fn == nil {
		return fmt.Errorf("component: DefineFunc %s: nil function", name)
	}
	t := typ
	l.funcs.set(name, &Func{name: name, typ: &t, call: fn})
	return nil
}

// semverTrack returns name with the version of its interface replaced by
// its semver compatibility track ("wasi:cli/stdout@0.2.3#f" becomes
// "wasi:cli/stdout@0.2#f", "a:b/c@1.4.0" becomes "a:b/c@1"), or "" when
// the name has no version or a prerelease one.
func semverTrack(name string) string {
	iface, rest, hasRest := strings.Cut(name, "#")
	at := strings.LastIndexByte(iface, '@')
	if at < 0 {
		return ""
	}
	v := iface[at+1:]
	parts := strings.Split(v, ".")
	if len(parts) != 3 || strings.ContainsAny(v, "-+") {
		return ""
	}
	track := parts[0]
	if parts[0] == "0" {
		track += "." + parts[1]
		if parts[1] == "0" {
			track += "." + parts[2]
		}
	}
	out := iface[:at+1] + track
	if hasRest {
		out += "#" + rest
	}
	return out
}

// defs is a set of linker definitions of one kind by name, indexed by
// semver compatibility track so that an import finds the newest
// compatible definition without scanning them all.
type defs[T any] struct {
	m    map[string]T
	best map[string]string // track -> the name of its newest definition
}

func newDefs[T any]() defs[T] {
	return defs[T]{m: map[string]T{}, best: map[string]string{}}
}

func (d *defs[T]) set(name string, v T) {
	d.m[name] = v
	if tr := semverTrack(name); tr != "" {
		if cur, ok := d.best[tr]; !ok || versionLess(cur, name) {
			d.best[tr] = name
		}
	}
}

func (d *defs[T]) remove(name string) {
	delete(d.m, name)
	if tr := semverTrack(name); tr != "" && d.best[tr] == name {
		delete(d.best, tr)
		for n := range d.m {
			if semverTrack(n) == tr && (d.best[tr] == "" || versionLess(d.best[tr], n)) {
				d.best[tr] = n
			}
		}
	}
}

// lookup finds the definition name, or the newest one defined under a
// semver-compatible version of the same interface.
func (d *defs[T]) lookup(name string) (T, bool) {
	if v, ok := d.m[name]; ok {
		return v, true
	}
	if tr := semverTrack(name); tr != "" {
		if n, ok := d.best[tr]; ok {
			return d.m[n], true
		}
	}
	var zero T
	return zero, false
}

// versionLess reports whether the interface version in name a is older
// than the one in b (two names of one semver track: they differ only in
// the version's numbers).
func versionLess(a, b string) bool {
	va, vb := nameVersion(a), nameVersion(b)
	for i := range va {
		if va[i] != vb[i] {
			return va[i] < vb[i]
		}
	}
	return a < b
}

// nameVersion returns the major, minor and patch numbers of the
// interface version in name ("wasi:io/poll@0.2.10#f" gives 0, 2, 10).
func nameVersion(name string) [3]uint64 {
	iface, _, _ := strings.Cut(name, "#")
	var v [3]uint64
	if at := strings.LastIndexByte(iface, '@'); at >= 0 {
		for i, p := range strings.SplitN(iface[at+1:], ".", 3) {
			n, _ := strconv.ParseUint(p, 10, 64)
			v[i] = n
		}
	}
	return v
}

// DefineValue defines the imported value name ("v", or "iface#v" for
// value v of an imported instance), a component-level value that a
// component receives at instantiation (🪙 value imports of the component
// model). The value is checked against the imported type.
func (l *Linker) DefineValue(name string, v Val) {
	l.values.set(name, v)
}

// DefineInstance makes the exports of inst (for example another
// component's instance) available as the import named name.
func (l *Linker) DefineInstance(name string, inst *Instance) {
	l.instances.set(name, inst)
}

// LinkerInstance defines the exports of one imported instance (an
// interface such as "wasi:cli/environment@0.2.3") in a Linker: its
// definitions are the Linker's "iface#name" definitions.
type LinkerInstance struct {
	l    *Linker
	name string
}

// Instance returns a view of l that defines the exports of the imported
// instance name, so that a host defines an interface as a whole:
//
//	kv := l.Instance("example:kv/store@0.1.0")
//	kv.DefineResource("connection", conn)
//	kv.DefineFunc("[constructor]connection", ft, open)
func (l *Linker) Instance(name string) *LinkerInstance {
	return &LinkerInstance{l: l, name: name}
}

// DefineFunc defines the function name of the instance (see
// Linker.DefineFunc).
func (li *LinkerInstance) DefineFunc(name string, typ FuncType, fn func(ctx context.Context, args []Val) ([]Val, error)) error {
	return li.l.DefineFunc(li.name+"#"+name, typ, fn)
}

// DefineResource defines the resource type name of the instance (see
// Linker.DefineResource).
func (li *LinkerInstance) DefineResource(name string, rt *ResourceType) {
	li.l.DefineResource(li.name+"#"+name, rt)
}

// DefineValue defines the value name of the instance (see
// Linker.DefineValue).
func (li *LinkerInstance) DefineValue(name string, v Val) {
	li.l.DefineValue(li.name+"#"+name, v)
}

// Name returns the instance's import name; typed host functions
// (DefineFunc0...) are defined with Name()+"#"+function.
func (li *LinkerInstance) Name() string { return li.name }

// DefineUnknownImportsAsTraps makes every function import that is not
// defined a function that fails when called, instead of a link error.
func (l *Linker) DefineUnknownImportsAsTraps() { l.trapUnknown = true }

// resolveImport builds the entity for the import name of type d.
func (l *Linker) resolveImport(name string, d ExternDesc) (any, error) {
	switch d.Kind {
	case ExternFunc:
		if f, ok := l.funcs.lookup(name); ok {
			if err := funcTypeMatchesIn(nil, d.Func, f.typ); err != nil {
				return nil, fmt.Errorf("import %q: %w", name, err)
			}
			return &Func{name: name, typ: d.Func, call: f.call, lifted: f.lifted}, nil
		}
		if l.trapUnknown {
			return &Func{name: name, typ: d.Func, call: func(context.Context, []Val) ([]Val, error) {
				return nil, fmt.Errorf("unknown import %q called", name)
			}}, nil
		}
		return nil, fmt.Errorf("missing import %q (a function)", name)
	case ExternInstance:
		if in, ok := l.instances.lookup(name); ok {
			if err := checkExtern(d, in, resourceMap{}, 0); err != nil {
				return nil, fmt.Errorf("import %q: %w", name, err)
			}
			return in, nil
		}
		// Assemble the instance from definitions, export by export. The
		// resources it exports are resolved first in declaration order
		// and substituted for the abstract ones of the instance type in
		// the types of the later exports.
		in := newInstance()
		m := resourceMap{}
		sub := newSubstituter(m)
		for _, n := range d.Instance.Names {
			ed := sub.desc(d.Instance.Exports[n])
			e, err := l.resolveImport(name+"#"+n, ed)
			if err != nil {
				return nil, err
			}
			if abs, ok := d.Instance.Exports[n].TypeVal.(*ResourceType); ok && abs.abstract {
				if rt, ok := e.(*ResourceType); ok {
					m[abs] = rt
					sub = newSubstituter(m)
				}
			}
			in.add(n, e)
		}
		return in, nil
	case ExternTypeBound:
		if rt, ok := l.resources.lookup(name); ok {
			return rt, nil
		}
		if rt, ok := d.TypeVal.(*ResourceType); ok {
			if !rt.abstract {
				return rt, nil // (eq) to a resource already known
			}
			return &ResourceType{Name: rt.Name}, nil // a fresh resource nobody defines
		}
		return d.TypeVal, nil
	case ExternValue:
		if v, ok := l.values.lookup(name); ok {
			if d.Value != nil {
				if err := checkVal(d.Value, v, 0); err != nil {
					return nil, fmt.Errorf("import %q: %w", name, err)
				}
			}
			return &valueBox{v: v, t: d.Value}, nil
		}
		return nil, fmt.Errorf("missing import %q (a value)", name)
	}
	return nil, fmt.Errorf("import %q: imports of kind %v are not supported by the linker", name, d)
}

// checkExtern checks that the entity x can be supplied where an extern of
// type d is expected: a function of a matching type, an instance with at
// least the expected exports (each checked in turn), a type or resource,
// a component or a core module. Resource types are compared by identity:
// m binds the abstract resources of d ((sub resource) in instance types)
// to the resources x supplies, as they are met, and later uses of a bound
// resource must be that resource.
func checkExtern(d ExternDesc, x any, m resourceMap, depth int) error {
	if depth > maxDepth {
		return errors.New("instance types nested too deeply")
	}
	switch d.Kind {
	case ExternFunc:
		f, ok := x.(*Func)
		if !ok {
			return fmt.Errorf("expected a function, got %s", entityKind(x))
		}
		return funcTypeMatchesIn(m, d.Func, f.typ)
	case ExternInstance:
		in, ok := x.(*Instance)
		if !ok {
			return fmt.Errorf("expected an instance, got %s", entityKind(x))
		}
		for _, n := range d.Instance.Names {
			e, ok := in.exports[n]
			if !ok {
				return fmt.Errorf("instance has no export %q", n)
			}
			if err := checkExtern(d.Instance.Exports[n], e, m, depth+1); err != nil {
				return fmt.Errorf("export %q: %w", n, err)
			}
		}
	case ExternTypeBound:
		switch x := x.(type) {
		case *ResourceType:
			switch want := d.TypeVal.(type) {
			case *Type:
				return fmt.Errorf("expected a value type, got a resource")
			case *ResourceType:
				if !m.same(want, x) {
					return fmt.Errorf("resource type mismatch: want %s, got %s", resName(want), resName(x))
				}
			}
		case *Type:
			switch want := d.TypeVal.(type) {
			case *ResourceType:
				return fmt.Errorf("expected a resource type, got %v", x)
			case *Type:
				if !(&matcher{assumed: map[[2]*Type]bool{}, res: m}).match(want, x) {
					return fmt.Errorf("type mismatch: want %v, got %v", want, x)
				}
			}
		default:
			return fmt.Errorf("expected a type, got %s", entityKind(x))
		}
	case ExternComponent:
		if _, ok := x.(*componentVal); !ok {
			return fmt.Errorf("expected a component, got %s", entityKind(x))
		}
	case ExternCoreModule:
		if _, ok := x.(*CoreModule); !ok {
			return fmt.Errorf("expected a core module, got %s", entityKind(x))
		}
	case ExternValue:
		v, ok := x.(*valueBox)
		if !ok {
			return fmt.Errorf("expected a value, got %s", entityKind(x))
		}
		if d.Value != nil {
			if err := checkVal(d.Value, v.v, 0); err != nil {
				return fmt.Errorf("value: %w", err)
			}
		}
	}
	return nil
}

// resName names a resource type for messages, telling apart resources
// of the same name by who defines them.
func resName(r *ResourceType) string {
	if r == nil {
		return "an untyped resource"
	}
	name := r.Name
	if name == "" {
		name = "(unnamed)"
	}
	switch {
	case r.owner != nil:
		return fmt.Sprintf("resource %s (defined by a component)", name)
	case r.definedAs != "" && r.definedAs != name:
		return fmt.Sprintf("resource %s (host, defined as %s)", name, r.definedAs)
	case r.hostDtor != nil || !r.abstract:
		return fmt.Sprintf("resource %s (host)", name)
	}
	return "resource " + name
}

// same reports whether the resource have may stand where want is
// expected: the same resource, or, for an abstract want, the resource
// bound to it (binding it on first use). A nil resource (a host type
// written without one) or an abstract have (a host function typed from
// a static description of imports) matches any resource.
func (m resourceMap) same(want, have *ResourceType) bool {
	if want == have || want == nil || have == nil || have.abstract {
		return true
	}
	if m == nil {
		return false
	}
	if r, ok := m[want]; ok {
		return r == have
	}
	if want.abstract {
		m[want] = have
		return true
	}
	return false
}

func entityKind(x any) string {
	switch x.(type) {
	case *Func:
		return "a function"
	case *Instance:
		return "an instance"
	case *Type, *ResourceType:
		return "a type"
	case *componentVal:
		return "a component"
	case *CoreModule:
		return "a core module"
	case *valueBox:
		return "a value"
	}
	return fmt.Sprintf("%T", x)
}

// funcTypeMatches checks that a function of type have can stand for one
// of type want structurally: parameter and result types must agree;
// names and resource identities are not compared (static validation,
// where resources are not known).
func funcTypeMatches(want, have *FuncType) error {
	return funcTypesMatch(&matcher{assumed: map[[2]*Type]bool{}, anyResource: true}, want, have)
}

// funcTypeMatchesIn is funcTypeMatches comparing resources by identity
// under the bindings m (see resourceMap.same).
func funcTypeMatchesIn(m resourceMap, want, have *FuncType) error {
	return funcTypesMatch(&matcher{assumed: map[[2]*Type]bool{}, res: m}, want, have)
}

func funcTypesMatch(mt *matcher, want, have *FuncType) error {
	if len(want.Params) != len(have.Params) || len(want.Results) != len(have.Results) {
		return fmt.Errorf("type mismatch: want %v, have %v", want, have)
	}
	for i := range want.Params {
		if !mt.match(want.Params[i].Type, have.Params[i].Type) {
			return fmt.Errorf("parameter %d: type mismatch: want %v, have %v", i, want.Params[i].Type, have.Params[i].Type)
		}
	}
	for i := range want.Results {
		if !mt.match(want.Results[i].Type, have.Results[i].Type) {
			return fmt.Errorf("result %d: type mismatch: want %v, have %v", i, want.Results[i].Type, have.Results[i].Type)
		}
	}
	return nil
}

// typeMatches compares two value types structurally, ignoring resource
// identity.
func typeMatches(a, b *Type, _ int) bool {
	return (&matcher{assumed: map[[2]*Type]bool{}, anyResource: true}).match(a, b)
}

// matcher compares types structurally, assuming pairs already under
// comparison to match so that DAG-shaped types cost linear time. Handles
// compare their resources by identity under res, unless anyResource.
type matcher struct {
	assumed     map[[2]*Type]bool
	res         resourceMap
	anyResource bool
}

func (m *matcher) match(a, b *Type) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.Kind != b.Kind {
		return false
	}
	if m.assumed[[2]*Type{a, b}] {
		return true
	}
	m.assumed[[2]*Type{a, b}] = true
	switch a.Kind {
	case KindOwn, KindBorrow:
		return m.anyResource || m.res.same(a.Resource, b.Resource)
	case KindList, KindOption, KindFixedList, KindStream, KindFuture:
		return a.Len == b.Len && m.match(a.Elem, b.Elem)
	case KindResult, KindMap:
		return m.match(a.OK, b.OK) && m.match(a.Err, b.Err) &&
			(a.Kind != KindMap || m.match(a.Elem, b.Elem))
	case KindTuple:
		if len(a.Types) != len(b.Types) {
			return false
		}
		for i := range a.Types {
			if !m.match(a.Types[i], b.Types[i]) {
				return false
			}
		}
	case KindRecord:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for i := range a.Fields {
			if a.Fields[i].Name != b.Fields[i].Name || !m.match(a.Fields[i].Type, b.Fields[i].Type) {
				return false
			}
		}
	case KindVariant:
		if len(a.Cases) != len(b.Cases) {
			return false
		}
		for i := range a.Cases {
			if a.Cases[i].Name != b.Cases[i].Name || !m.match(a.Cases[i].Type, b.Cases[i].Type) {
				return false
			}
		}
	case KindEnum, KindFlags:
		if len(a.Labels) != len(b.Labels) {
			return false
		}
		for i := range a.Labels {
			if a.Labels[i] != b.Labels[i] {
				return false
			}
		}
	}
	return true
}

// componentVal is a component definition closed over its defining scope.
type componentVal struct {
	c      *Component
	parent *instState
}

// coreInst is a core instance: an instantiated module or a bag of exports.
type coreInst struct {
	inst *interp.Instance
	bag  map[string]interp.Extern
}

func (ci *coreInst) get(name string) interp.Extern {
	if ci.inst != nil {
		return ci.inst.Export(name)
	}
	return ci.bag[name]
}

// handleEntry is an entry of a component instance's handle table.
type handleEntry struct {
	rep  uint32
	res  *ResourceType
	own  bool
	used bool
	// lends counts the borrows of an own handle lent out to calls in
	// progress; an own handle cannot be dropped or moved while lent.
	lends int
	// scope is the call that received a borrow handle, which must drop it
	// before returning (0 for none).
	scope uint64
}

// instState is the state of one component instance and its index spaces.
type instState struct {
	comp   *Component // the component being instantiated, for messages
	cc     *compiled
	store  *interp.Store
	parent *instState
	ty     *typeScope

	coreFuncs     []*interp.Func
	coreTables    []*interp.Table
	coreMems      []*interp.Memory
	coreGlobals   []*interp.Global
	coreModules   []*CoreModule
	coreInstances []*coreInst

	funcs      []*Func
	instances  []*Instance
	components []*componentVal
	values     []*valueBox

	handles []handleEntry
	free    []uint32
	// entered is set while a lifted function of the instance runs: a
	// component instance may not be re-entered.
	entered bool
	// poisoned is set when a call into the instance traps (a guest trap,
	// an error from a function it called, or a canonical ABI violation):
	// the instance then refuses every further call, as the canonical
	// ABI's may-enter/may-leave rules require.
	poisoned bool
	// noLeave is set while the instance's realloc or post-return runs:
	// the instance may not call imports then (the canonical ABI's
	// may_leave flag).
	noLeave bool
	// callSeq numbers calls into the instance, for borrow scopes.
	callSeq uint64
	// task is the async task running, or nil; ctxSlots are the context
	// slots outside tasks; waitableSets counts waitable-set.new.
	task         *task
	ctxSlots     [2]uint64
	waitableSets uint32

	exports *Instance
}

// guard wraps a function lifted by the instance: a call into a poisoned
// instance fails, and a call that fails after entering the instance (not
// one refused because the instance is already running) poisons it.
func (st *instState) guard(f *Func) *Func {
	if f.lifted != nil {
		f.call = f.lifted.guardedCall
		return f
	}
	inner := f.call
	f.call = func(ctx context.Context, args []Val) ([]Val, error) {
		if st.poisoned {
			return nil, trapf("cannot enter component instance: it trapped in an earlier call")
		}
		if st.entered {
			return inner(ctx, args) // refused: already running
		}
		ok := false
		defer func() {
			if !ok {
				st.poisoned = true // a panic on the way out
			}
		}()
		res, err := inner(ctx, args)
		ok = err == nil
		return res, err
	}
	return f
}

func (st *instState) errf(i int, format string, args ...any) error {
	return fmt.Errorf("%s: "+format, append([]any{st.comp.where(i)}, args...)...)
}

// Instantiate instantiates c in store, resolving its imports with l.
func (l *Linker) Instantiate(ctx context.Context, store *interp.Store, c *Component) (inst *Instance, err error) {
	if ctx == nil {
		ctx = context.Background()
	}
	c.mu.Lock()
	if c.rt == nil {
		cc := &compiled{modules: map[*CoreModule]*interp.Module{}}
		if err := compileModules(ctx, c, cc); err != nil {
			c.mu.Unlock()
			return nil, err
		}
		c.rt = cc
	}
	c.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			inst, err = nil, fmt.Errorf("component: instantiate: internal error: %v", r)
		}
	}()
	imp := func(name string, d ExternDesc) (any, error) { return l.resolveImport(name, d) }
	in, err := instantiate(ctx, store, c, c.rt, nil, imp, 0)
	if err != nil {
		return nil, fmt.Errorf("component: instantiate: %w", err)
	}
	return in, nil
}

func instantiate(ctx context.Context, store *interp.Store, c *Component, cc *compiled, parent *instState,
	imports func(string, ExternDesc) (any, error), depth int) (*Instance, error) {
	if depth > maxDepth {
		return nil, errors.New("component instances nested too deeply")
	}
	st := &instState{cc: cc, store: store, parent: parent, exports: newInstance(), comp: c}
	st.ty = &typeScope{}
	if parent != nil {
		st.ty.parent = parent.ty
	}
	for i, d := range c.Defs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := st.def(ctx, i, d, imports, depth); err != nil {
			return nil, err
		}
	}
	return st.exports, nil
}

func (st *instState) def(ctx context.Context, i int, d Def, imports func(string, ExternDesc) (any, error), depth int) error {
	switch d := d.(type) {
	case *CoreModule:
		st.coreModules = append(st.coreModules, d)
	case *Component:
		st.components = append(st.components, &componentVal{c: d, parent: st})
	case *CoreTypeDef:
		st.ty.coreTypes = append(st.ty.coreTypes, d)
	case *TypeDef:
		if d.Resource != nil {
			rt := &ResourceType{owner: st}
			if d.Resource.HasDtor {
				if int64(d.Resource.Dtor) >= int64(len(st.coreFuncs)) {
					return st.errf(i, "resource destructor %d out of range", d.Resource.Dtor)
				}
				rt.dtor = st.coreFuncs[d.Resource.Dtor]
			}
			st.ty.types = append(st.ty.types, rt)
			return nil
		}
		t, err := st.ty.defType(d, 0)
		if err != nil {
			return st.errf(i, "type: %v", err)
		}
		st.ty.types = append(st.ty.types, t)
	case *Import:
		desc, err := st.ty.externDesc(d.Type, d.Name.Name)
		if err != nil {
			return st.errf(i, "import: %v", err)
		}
		e, err := imports(d.Name.Name, desc)
		if err != nil {
			return st.errf(i, "%v", err)
		}
		if err := st.push(desc.Kind, e, d.Name.Name); err != nil {
			return st.errf(i, "import %q: %v", d.Name.Name, err)
		}
	case *CoreInstance:
		ci, err := st.coreInstance(ctx, d)
		if err != nil {
			return st.errf(i, "core instance: %w", err)
		}
		st.coreInstances = append(st.coreInstances, ci)
	case *InstanceDef:
		in, err := st.instance(ctx, d, depth)
		if err != nil {
			return st.errf(i, "instance: %w", err)
		}
		st.instances = append(st.instances, in)
	case *Alias:
		if err := st.alias(d); err != nil {
			return st.errf(i, "alias: %v", err)
		}
	case *Canon:
		if err := st.canon(d); err != nil {
			return st.errf(i, "canon: %v", err)
		}
	case *Export:
		e, kind, err := st.entity(d.Ref)
		if err != nil {
			return st.errf(i, "export %q: %v", d.Name.Name, err)
		}
		if f, ok := e.(*Func); ok {
			typ := f.typ
			if d.Type != nil {
				if desc, err := st.ty.externDesc(*d.Type, d.Name.Name); err == nil && desc.Func != nil {
					typ = desc.Func
				}
			}
			e = &Func{name: d.Name.Name, typ: typ, call: f.call, lifted: f.lifted}
		}
		nameExported(e, d.Name.Name)
		st.exports.add(d.Name.Name, e)
		if err := st.push(kind, e, d.Name.Name); err != nil {
			return st.errf(i, "export %q: %v", d.Name.Name, err)
		}
	case *ValueDef:
		t, err := st.ty.valType(d.Type)
		if err != nil {
			return st.errf(i, "value: %v", err)
		}
		v, err := decodeValue(t, d.Data)
		if err != nil {
			return st.errf(i, "value: %v", err)
		}
		st.values = append(st.values, &valueBox{v: v, t: t})
	case *Start:
		if err := st.start(ctx, d); err != nil {
			return st.errf(i, "start: %w", err)
		}
	}
	return nil
}

// nameExported names a resource type a component defines after the
// first export that makes it visible, rather than after a label it was
// imported under inside the component (wit-component's "import-type-x"),
// as (*Component).Type names it.
func nameExported(e any, name string) {
	if rt, ok := e.(*ResourceType); ok && (rt.Name == "" || rt.owner != nil && rt.importName) {
		rt.Name = name
		rt.importName = false
	}
}

// valueBox is a component-level value in a value index space.
type valueBox struct {
	v Val
	t *Type // nil when not known
}

// start runs the component's start function: it calls the function with
// arguments from the value index space and appends its results to it.
func (st *instState) start(ctx context.Context, d *Start) error {
	if int64(d.Func) >= int64(len(st.funcs)) {
		return fmt.Errorf("function index %d out of range", d.Func)
	}
	f := st.funcs[d.Func]
	if len(d.Args) != len(f.typ.Params) {
		return fmt.Errorf("start function takes %d arguments, %d given", len(f.typ.Params), len(d.Args))
	}
	if int(d.Results) != len(f.typ.Results) {
		return fmt.Errorf("start function returns %d results, %d declared", len(f.typ.Results), d.Results)
	}
	args := make([]Val, len(d.Args))
	for j, a := range d.Args {
		if int64(a) >= int64(len(st.values)) {
			return fmt.Errorf("value index %d out of range", a)
		}
		args[j] = st.values[a].v
		if err := checkVal(f.typ.Params[j].Type, args[j], 0); err != nil {
			return fmt.Errorf("argument %d: %w", j, err)
		}
	}
	res, err := f.call(ctx, args)
	if err != nil {
		return err
	}
	if len(res) != len(f.typ.Results) {
		return fmt.Errorf("start function returned %d results, want %d", len(res), len(f.typ.Results))
	}
	for j, r := range res {
		st.values = append(st.values, &valueBox{v: r, t: f.typ.Results[j].Type})
	}
	return nil
}

// push appends an imported or exported entity to its index space.
func (st *instState) push(kind ExternKind, e any, name string) error {
	switch kind {
	case ExternFunc:
		f, ok := e.(*Func)
		if !ok {
			return fmt.Errorf("not a function")
		}
		st.funcs = append(st.funcs, f)
	case ExternInstance:
		in, ok := e.(*Instance)
		if !ok {
			return fmt.Errorf("not an instance")
		}
		st.instances = append(st.instances, in)
	case ExternTypeBound:
		if rt, ok := e.(*ResourceType); ok && rt.Name == "" {
			rt.Name = name
			rt.importName = true
		}
		st.ty.types = append(st.ty.types, e)
	case ExternComponent:
		cv, ok := e.(*componentVal)
		if !ok {
			return fmt.Errorf("not a component")
		}
		st.components = append(st.components, cv)
	case ExternCoreModule:
		m, ok := e.(*CoreModule)
		if !ok {
			return fmt.Errorf("not a core module")
		}
		st.coreModules = append(st.coreModules, m)
	case ExternValue:
		v, ok := e.(*valueBox)
		if !ok {
			return fmt.Errorf("not a value")
		}
		st.values = append(st.values, v)
	default:
		return fmt.Errorf("unsupported kind %v", kind)
	}
	return nil
}

// entity returns the entity named by a sort index and its extern kind.
func (st *instState) entity(si SortIdx) (any, ExternKind, error) {
	oob := fmt.Errorf("%v index %d out of range", si.Sort, si.Index)
	i := int64(si.Index)
	switch si.Sort {
	case SortFunc:
		if i >= int64(len(st.funcs)) {
			return nil, 0, oob
		}
		return st.funcs[i], ExternFunc, nil
	case SortInstance:
		if i >= int64(len(st.instances)) {
			return nil, 0, oob
		}
		return st.instances[i], ExternInstance, nil
	case SortType:
		if i >= int64(len(st.ty.types)) {
			return nil, 0, oob
		}
		return st.ty.types[i], ExternTypeBound, nil
	case SortComponent:
		if i >= int64(len(st.components)) {
			return nil, 0, oob
		}
		return st.components[i], ExternComponent, nil
	case SortCoreModule:
		if i >= int64(len(st.coreModules)) {
			return nil, 0, oob
		}
		return st.coreModules[i], ExternCoreModule, nil
	case SortValue:
		if i >= int64(len(st.values)) {
			return nil, 0, oob
		}
		return st.values[i], ExternValue, nil
	}
	return nil, 0, fmt.Errorf("cannot use sort %v here", si.Sort)
}

// coreEntity returns the core entity named by a core sort index.
func (st *instState) coreEntity(si SortIdx) (interp.Extern, error) {
	oob := fmt.Errorf("%v index %d out of range", si.Sort, si.Index)
	i := int64(si.Index)
	switch si.Sort {
	case SortCoreFunc:
		if i >= int64(len(st.coreFuncs)) {
			return nil, oob
		}
		return st.coreFuncs[i], nil
	case SortCoreTable:
		if i >= int64(len(st.coreTables)) {
			return nil, oob
		}
		return st.coreTables[i], nil
	case SortCoreMemory:
		if i >= int64(len(st.coreMems)) {
			return nil, oob
		}
		return st.coreMems[i], nil
	case SortCoreGlobal:
		if i >= int64(len(st.coreGlobals)) {
			return nil, oob
		}
		return st.coreGlobals[i], nil
	}
	return nil, fmt.Errorf("cannot export sort %v from a core instance", si.Sort)
}

// pushCore appends a core entity to its index space.
func (st *instState) pushCore(s Sort, e interp.Extern) error {
	var ok bool
	switch s {
	case SortCoreFunc:
		var f *interp.Func
		if f, ok = e.(*interp.Func); ok {
			st.coreFuncs = append(st.coreFuncs, f)
		}
	case SortCoreTable:
		var t *interp.Table
		if t, ok = e.(*interp.Table); ok {
			st.coreTables = append(st.coreTables, t)
		}
	case SortCoreMemory:
		var m *interp.Memory
		if m, ok = e.(*interp.Memory); ok {
			st.coreMems = append(st.coreMems, m)
		}
	case SortCoreGlobal:
		var g *interp.Global
		if g, ok = e.(*interp.Global); ok {
			st.coreGlobals = append(st.coreGlobals, g)
		}
	default:
		return fmt.Errorf("unsupported core sort %v", s)
	}
	if !ok {
		return fmt.Errorf("export is not a %v", s)
	}
	return nil
}

func (st *instState) coreInstance(ctx context.Context, d *CoreInstance) (*coreInst, error) {
	if !d.Instantiate {
		ci := &coreInst{bag: map[string]interp.Extern{}}
		for _, e := range d.Exports {
			x, err := st.coreEntity(e.Ref)
			if err != nil {
				return nil, err
			}
			ci.bag[e.Name] = x
		}
		return ci, nil
	}
	if int64(d.Module) >= int64(len(st.coreModules)) {
		return nil, fmt.Errorf("core module index %d out of range", d.Module)
	}
	cm := st.coreModules[d.Module]
	m := st.cc.modules[cm]
	if m == nil {
		return nil, fmt.Errorf("core module %d was not compiled", d.Module)
	}
	args := map[string]*coreInst{}
	for _, a := range d.Args {
		if int64(a.Instance) >= int64(len(st.coreInstances)) {
			return nil, fmt.Errorf("core instance index %d out of range", a.Instance)
		}
		args[a.Name] = st.coreInstances[a.Instance]
	}
	inst, err := st.store.Instantiate(ctx, m, func(module, name string) interp.Extern {
		if a := args[module]; a != nil {
			return a.get(name)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &coreInst{inst: inst}, nil
}

func (st *instState) instance(ctx context.Context, d *InstanceDef, depth int) (*Instance, error) {
	if !d.Instantiate {
		in := newInstance()
		for _, e := range d.Exports {
			x, _, err := st.entity(e.Ref)
			if err != nil {
				return nil, err
			}
			if f, ok := x.(*Func); ok && f.name == "" {
				x = &Func{name: e.Name.Name, typ: f.typ, call: f.call, lifted: f.lifted}
			}
			nameExported(x, e.Name.Name)
			in.add(e.Name.Name, x)
		}
		return in, nil
	}
	if int64(d.Component) >= int64(len(st.components)) {
		return nil, fmt.Errorf("component index %d out of range", d.Component)
	}
	cv := st.components[d.Component]
	args := map[string]any{}
	for _, a := range d.Args {
		x, _, err := st.entity(a.Ref)
		if err != nil {
			return nil, err
		}
		args[a.Name] = x
	}
	return instantiate(ctx, st.store, cv.c, st.cc, cv.parent, func(name string, desc ExternDesc) (any, error) {
		x, ok := args[name]
		if !ok {
			return nil, fmt.Errorf("missing instantiation argument %q", name)
		}
		if err := checkExtern(desc, x, resourceMap{}, 0); err != nil {
			return nil, fmt.Errorf("instantiation argument %q: %w", name, err)
		}
		return x, nil
	}, depth+1)
}

func (st *instState) alias(a *Alias) error {
	switch a.Kind {
	case AliasCoreExport:
		if int64(a.Instance) >= int64(len(st.coreInstances)) {
			return fmt.Errorf("core instance index %d out of range", a.Instance)
		}
		x := st.coreInstances[a.Instance].get(a.Name)
		if x == nil {
			return fmt.Errorf("core instance %d has no export %q", a.Instance, a.Name)
		}
		return st.pushCore(a.Sort, x)
	case AliasExport:
		if int64(a.Instance) >= int64(len(st.instances)) {
			return fmt.Errorf("instance index %d out of range", a.Instance)
		}
		x, ok := st.instances[a.Instance].exports[a.Name]
		if !ok {
			return fmt.Errorf("instance %d has no export %q", a.Instance, a.Name)
		}
		var kind ExternKind
		switch a.Sort {
		case SortFunc:
			kind = ExternFunc
		case SortInstance:
			kind = ExternInstance
		case SortType:
			kind = ExternTypeBound
		case SortComponent:
			kind = ExternComponent
		case SortCoreModule:
			kind = ExternCoreModule
		case SortValue:
			kind = ExternValue
		default:
			return fmt.Errorf("alias of sort %v", a.Sort)
		}
		return st.push(kind, x, a.Name)
	case AliasOuter:
		o := st
		for n := uint32(0); n < a.Outer.Count; n++ {
			if o.parent == nil {
				return fmt.Errorf("outer alias count %d exceeds the enclosing components", a.Outer.Count)
			}
			o = o.parent
		}
		i := int64(a.Outer.Index)
		switch a.Sort {
		case SortType:
			if i >= int64(len(o.ty.types)) {
				return fmt.Errorf("outer type index %d out of range", i)
			}
			st.ty.types = append(st.ty.types, o.ty.types[i])
		case SortCoreType:
			if i >= int64(len(o.ty.coreTypes)) {
				return fmt.Errorf("outer core type index %d out of range", i)
			}
			st.ty.coreTypes = append(st.ty.coreTypes, o.ty.coreTypes[i])
		case SortCoreModule:
			if i >= int64(len(o.coreModules)) {
				return fmt.Errorf("outer core module index %d out of range", i)
			}
			st.coreModules = append(st.coreModules, o.coreModules[i])
		case SortComponent:
			if i >= int64(len(o.components)) {
				return fmt.Errorf("outer component index %d out of range", i)
			}
			st.components = append(st.components, o.components[i])
		default:
			return fmt.Errorf("outer alias of sort %v", a.Sort)
		}
		return nil
	}
	return fmt.Errorf("bad alias kind %d", a.Kind)
}

func (st *instState) opts(o CanonOpts) (*liveOpts, error) {
	lo := &liveOpts{enc: o.StringEncoding, async: o.Async}
	if o.HasMemory {
		if int64(o.Memory) >= int64(len(st.coreMems)) {
			return nil, fmt.Errorf("memory index %d out of range", o.Memory)
		}
		lo.mem = st.coreMems[o.Memory]
	}
	fn := func(idx uint32, what string, want wasm.FuncType) (*interp.Func, error) {
		if int64(idx) >= int64(len(st.coreFuncs)) {
			return nil, fmt.Errorf("%s function index %d out of range", what, idx)
		}
		f := st.coreFuncs[idx]
		if want.Params != nil && !f.Type().Equal(&want) {
			return nil, fmt.Errorf("%s function has type %v, want %v", what, f.Type(), &want)
		}
		return f, nil
	}
	var err error
	if o.HasRealloc {
		i32 := wasm.I32
		if lo.realloc, err = fn(o.Realloc, "realloc", wasm.FuncType{Params: []wasm.ValType{i32, i32, i32, i32}, Results: []wasm.ValType{i32}}); err != nil {
			return nil, err
		}
	}
	if o.HasPostReturn {
		if lo.postReturn, err = fn(o.PostReturn, "post-return", wasm.FuncType{}); err != nil {
			return nil, err
		}
	}
	if o.HasCallback {
		if lo.callback, err = fn(o.Callback, "callback", wasm.FuncType{}); err != nil {
			return nil, err
		}
	}
	return lo, nil
}

func (st *instState) canon(c *Canon) error {
	switch c.Op {
	case CanonLift:
		if int64(c.Func) >= int64(len(st.coreFuncs)) {
			return fmt.Errorf("core function index %d out of range", c.Func)
		}
		e, err := st.ty.typeAt(c.Type)
		if err != nil {
			return err
		}
		ft, ok := e.(*FuncType)
		if !ok {
			return fmt.Errorf("type %d is not a function type", c.Type)
		}
		lo, err := st.opts(c.Opts)
		if err != nil {
			return err
		}
		core := st.coreFuncs[c.Func]
		if lo.async {
			st.funcs = append(st.funcs, st.guard(st.asyncLift(core, ft, lo)))
			return nil
		}
		sig, _, _ := coreSig(ft, false)
		if !core.Type().Equal(&sig) {
			return fmt.Errorf("lifted core function has type %v, the canonical ABI wants %v for %v", core.Type(), &sig, ft)
		}
		if lo.postReturn != nil {
			want := wasm.FuncType{Params: sig.Results, Results: []wasm.ValType{}}
			if !lo.postReturn.Type().Equal(&want) {
				return fmt.Errorf("post-return function has type %v, want %v", lo.postReturn.Type(), &want)
			}
		}
		st.funcs = append(st.funcs, st.guard(st.lift(core, ft, lo)))
	case CanonLower:
		if int64(c.Func) >= int64(len(st.funcs)) {
			return fmt.Errorf("function index %d out of range", c.Func)
		}
		lo, err := st.opts(c.Opts)
		if err != nil {
			return err
		}
		if lo.async {
			sig := asyncLowerSig(st.funcs[c.Func].typ)
			name := st.funcs[c.Func].name
			st.coreFuncs = append(st.coreFuncs, st.store.NewHostFunc(sig, func(context.Context, []interp.Value) ([]interp.Value, error) {
				return nil, fmt.Errorf("async lowered call of %s is not supported", name)
			}))
			return nil
		}
		st.coreFuncs = append(st.coreFuncs, st.lower(st.funcs[c.Func], lo))
	case CanonResourceNew, CanonResourceDrop, CanonResourceRep:
		e, err := st.ty.typeAt(c.Type)
		if err != nil {
			return err
		}
		rt, ok := e.(*ResourceType)
		if !ok {
			return fmt.Errorf("type %d is not a resource type", c.Type)
		}
		st.coreFuncs = append(st.coreFuncs, st.resourceBuiltin(c.Op, rt))
	case CanonResourceDropAsync:
		e, err := st.ty.typeAt(c.Type)
		if err != nil {
			return err
		}
		rt, _ := e.(*ResourceType)
		st.coreFuncs = append(st.coreFuncs, st.resourceBuiltin(CanonResourceDrop, rt))
	default:
		// Async, error-context and thread built-ins: a core function of
		// the right type that fails when called, so that components using
		// them can still be instantiated.
		sig := builtinSig(c)
		if c.Op == 0x09 { // task.return
			var rs []*Type
			if c.Result != nil {
				t, err := st.ty.valType(*c.Result)
				if err != nil {
					return err
				}
				rs = append(rs, t)
			}
			for _, r := range c.Results {
				t, err := st.ty.valType(r.Type)
				if err != nil {
					return err
				}
				rs = append(rs, t)
			}
			lo, err := st.opts(c.Opts)
			if err != nil {
				return err
			}
			st.coreFuncs = append(st.coreFuncs, st.taskReturn(rs, lo))
			return nil
		}
		if f := st.simpleBuiltin(c, sig); f != nil {
			st.coreFuncs = append(st.coreFuncs, f)
			return nil
		}
		op := c.Op
		st.coreFuncs = append(st.coreFuncs, st.store.NewHostFunc(sig, func(context.Context, []interp.Value) ([]interp.Value, error) {
			return nil, fmt.Errorf("canonical built-in 0x%02x is not supported", byte(op))
		}))
	}
	return nil
}

// maxFlatAsyncParams is the flattening limit of async lowered parameters.
const maxFlatAsyncParams = 4

// asyncLowerSig returns the core type of an async lowered function: the
// flat parameters (or a pointer when more than 4), a result pointer when
// there are results, and an i32 status result.
func asyncLowerSig(ft *FuncType) wasm.FuncType {
	var ps []wasm.ValType
	for _, p := range ft.Params {
		ps = flatten(p.Type, ps)
	}
	if len(ps) > maxFlatAsyncParams {
		ps = []wasm.ValType{wasm.I32}
	}
	ps = append([]wasm.ValType{}, ps...)
	if len(ft.Results) > 0 {
		ps = append(ps, wasm.I32)
	}
	return wasm.FuncType{Params: ps, Results: []wasm.ValType{wasm.I32}}
}

// builtinSig returns the core type of an unsupported canonical built-in
// (CanonicalABI.md, "Canonical built-ins").
func builtinSig(c *Canon) wasm.FuncType {
	p := func(n int) []wasm.ValType {
		out := make([]wasm.ValType, n)
		for i := range out {
			out[i] = wasm.I32
		}
		return out
	}
	sig := func(np, nr int) wasm.FuncType { return wasm.FuncType{Params: p(np), Results: p(nr)} }
	switch c.Op {
	case 0x24, 0x25, 0x05: // backpressure.inc/dec, task.cancel
		return sig(0, 0)
	case 0x08: // backpressure.set (older)
		return sig(1, 0)
	case 0x0a: // context.get
		return wasm.FuncType{Params: p(0), Results: []wasm.ValType{c.CoreType}}
	case 0x0b: // context.set
		return wasm.FuncType{Params: []wasm.ValType{c.CoreType}, Results: p(0)}
	case 0x0e, 0x15: // stream.new, future.new
		return wasm.FuncType{Params: p(0), Results: []wasm.ValType{wasm.I64}}
	case 0x0f, 0x10: // stream.read/write
		return sig(3, 1)
	case 0x16, 0x17, 0x20, 0x21, 0x1c, 0x27: // future.read/write, waitable-set.wait/poll, error-context.new, thread.new-indirect
		return sig(2, 1)
	case 0x06, 0x11, 0x12, 0x18, 0x19, 0x2a, 0x2b, 0x2c, 0x2d: // cancels, thread.*-then-*
		return sig(1, 1)
	case 0x0d, 0x13, 0x14, 0x1a, 0x1b, 0x1e, 0x22, 0x28: // drops, thread.resume-later
		return sig(1, 0)
	case 0x1d, 0x23: // error-context.debug-message, waitable.join
		return sig(2, 0)
	case 0x1f, 0x0c, 0x26, 0x29: // waitable-set.new, thread.yield, thread.index, thread.suspend
		return sig(0, 1)
	}
	return sig(0, 0)
}
