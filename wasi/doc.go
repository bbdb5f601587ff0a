// Package wasi is the home of gowasm's WASI hosts. The hosts themselves
// live in sub-packages: preview1 implements wasi_snapshot_preview1 for
// core modules, and preview2 implements the WASI 0.2 interfaces
// (wasi:cli, io, clocks, random, filesystem) for components, sharing
// preview1's sandboxed filesystem.
package wasi
