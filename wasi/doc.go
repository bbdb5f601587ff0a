// Package wasi is the home of gowasm's WASI hosts. The hosts themselves
// live in sub-packages: preview1 implements wasi_snapshot_preview1 for core
// modules; the WASIp2 host for components comes next to it.
package wasi
