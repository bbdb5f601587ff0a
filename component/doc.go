// Package component implements the WebAssembly component model: decoding
// of component binaries, the component type model, dynamic component
// values with their text form (WAVE), and instantiation with the
// canonical ABI on top of the core engine (package interp), so that a Go
// program runs components the way wasmtime's host does.
//
// # Decoding
//
// Decode parses a component binary (preamble version 0x0d, layer 1) into
// its abstract syntax: a Component holds its definitions in binary order
// (core modules, decoded with binary.Decode and kept with their bytes;
// core instances; core types; nested components at any depth; instances;
// aliases; types; canonical definitions; start; imports; exports; values)
// and its custom sections. Every type constructor of the specification
// is decoded, including the asynchronous ones (stream, future,
// error-context, async functions and the async canonical built-ins).
// Errors are *Error values that name the section and offset:
//
//	component: section 7 (type), offset 0x1a2b: malformed type 0x10
//
// (*Component).Validate checks a decoded component statically: index
// spaces (core functions, tables, memories, globals, types, modules and
// instances; component functions, values, types, instances and
// components), alias targets, type definitions (resolved into the type
// model below, with the 2^28-byte size limit), core instantiation
// arguments against module imports, canonical options, and the core type
// of every lifted function against the canonical ABI. Compile validates.
//
// ParseName parses import and export names: plain labels, annotated
// names ([constructor]r, [method]r.m, [static]r.f, [async]f) and
// interface names (ns:pkg/iface@1.2.3).
//
// # Types and values
//
// Type is a component value type with its references resolved (Kind with
// fields, cases, element types...); FuncType has named parameters and
// results; ResourceType has identity (pointer equality). Val is a
// component value (build with Bool, U32, String, List, Record, Variant,
// Enum, Some, None, Ok, Err, Flags, Own, Borrow...; Zero gives a type's
// zero value).
//
// ParseWAVE parses a value in WAVE, the WebAssembly Value Encoding used by
// wasmtime and wasm-tools, directed by its type; ParseWAVECall parses a
// call expression such as add(1, 2); FormatWAVE prints a value.
//
// # Running components
//
//	c, err := component.Compile(ctx, wasmBytes)
//	l := component.NewLinker()
//	l.DefineFunc("wasi:cli/environment@0.2.0#get-arguments", ft, fn)
//	inst, err := l.Instantiate(ctx, interp.NewStore(interp.Config{}), c)
//	res, err := inst.Func("docs:adder/add@0.1.0#add").Call(ctx, component.U32(1), component.U32(2))
//
// Compile decodes and validates the component and compiles its core
// modules. (*Component).Type, Imports and Exports list the imports and
// exports with their full types (functions, interfaces with their
// functions and resources, resources, types, values, components) without
// instantiating it. A Linker
// supplies imports: host functions (DefineFunc, named "f" or "iface#f"
// for a function of an imported instance), host resources
// (DefineResource with NewResourceType), whole instances
// (DefineInstance, e.g. another component's instance), and optionally
// functions that fail when called for everything left undefined
// (DefineUnknownImportsAsTraps), and component-level values
// (DefineValue). A name defined for one version of an interface also
// serves semver-compatible versions (0.2.0 for 0.2.3). Instantiation
// arguments and linker definitions are checked against the imported
// types: functions structurally, instances by their exports, and
// resource types by identity — the abstract resources of an imported
// instance type ((sub resource)) are bound to the resources the supplied
// instance exports, and every later use of them (own<r>, borrow<r> in
// its functions) must be that resource; an instance assembled from host
// definitions gets the resource the host defined substituted into the
// types of its functions.
// Instantiate walks the component's
// definitions, instantiating core modules, nested components, aliases and
// canonical definitions; (*Instance).Exports lists the exports and
// (*Instance).Func finds a function ("f", or "iface#f" inside an exported
// instance).
//
// The canonical ABI covers every value type: scalars, strings (UTF-8,
// UTF-16 and latin1+UTF-16), lists, fixed-length lists, records, tuples,
// variants, enums, options, results, flags and own/borrow handles, with
// flattening, spilling beyond 16 parameters or 1 result through memory,
// realloc, post-return and the memory option; resource.new, resource.rep
// and resource.drop (calling component or host destructors) with
// per-instance handle tables. A handle of one resource type passed where
// another is expected traps. Lifting a value out of guest memory is
// bounded by a budget of the memory's size (plus 4 KiB): a guest cannot
// make the host allocate much more than its own memory by aliasing list
// elements or strings, or with huge lists of zero-size elements. A component instance cannot be re-entered
// while one of its lifted functions runs (may_enter), may not call
// imports while its realloc or post-return runs (may_leave), and after a
// call into it fails (a trap, a failing import, a violation of the
// canonical ABI) it refuses every further call ("cannot enter component
// instance"). A trap or a violation of the canonical ABI is returned as
// an error, never a panic.
//
// Component-level values and start functions (🪙 in the component
// model) are supported: value definitions, value imports and exports,
// and a start function called with values as arguments whose results
// join the value index space; (*Instance).Value reads an exported value.
//
// Host functions can also be typed Go functions: DefineFunc0…DefineFunc3
// and DefineProc0…DefineProc2 derive the component function type from
// the Go types (bool, integers, floats, Character for char, string,
// []byte for list<u8>) and convert values without reflection; TypeFor,
// ValOf and ValAs convert single values.
//
// Of the asynchronous ABI, async-lifted functions run as tasks that
// complete without waiting: the callback loop (exit and yield),
// task.return, context.get/set, backpressure, waitable-set.new/drop and
// thread.yield. Waiting, async lowered calls, streams, futures, error
// contexts and threads are not supported: components using them
// instantiate with core functions of the right types, which fail when
// called.
package component
