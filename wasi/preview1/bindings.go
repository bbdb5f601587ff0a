package preview1

import (
	"context"

	"github.com/gowasm/gowasm/wasm"
)

// function is one import of wasi_snapshot_preview1.
type function struct {
	name   string
	params []wasm.ValType
	// noResult is set for proc_exit, which returns nothing.
	noResult bool
	call     func(h *Host, ctx context.Context, m mem, args []uint64) Errno
}

// plain adapts a function that needs no context.
func plain(f func(h *Host, m mem, a []uint64) Errno) func(*Host, context.Context, mem, []uint64) Errno {
	return func(h *Host, _ context.Context, m mem, a []uint64) Errno { return f(h, m, a) }
}

func sig(s string) []wasm.ValType {
	out := make([]wasm.ValType, len(s))
	for i, c := range s {
		if c == 'I' {
			out[i] = wasm.I64
		} else {
			out[i] = wasm.I32
		}
	}
	return out
}

// functions lists wasi_snapshot_preview1 with each function's parameters
// ('i' for i32, 'I' for i64). All but proc_exit return an i32 errno.
var functions = []function{
	{name: "args_get", params: sig("ii"), call: plain((*Host).argsGet)},
	{name: "args_sizes_get", params: sig("ii"), call: plain((*Host).argsSizesGet)},
	{name: "environ_get", params: sig("ii"), call: plain((*Host).environGet)},
	{name: "environ_sizes_get", params: sig("ii"), call: plain((*Host).environSizesGet)},
	{name: "clock_res_get", params: sig("ii"), call: plain((*Host).clockResGet)},
	{name: "clock_time_get", params: sig("iIi"), call: plain((*Host).clockTimeGet)},
	{name: "fd_advise", params: sig("iIIi"), call: plain((*Host).fdAdvise)},
	{name: "fd_allocate", params: sig("iII"), call: plain((*Host).fdAllocate)},
	{name: "fd_close", params: sig("i"), call: plain((*Host).fdClose)},
	{name: "fd_datasync", params: sig("i"), call: plain((*Host).fdSync)},
	{name: "fd_fdstat_get", params: sig("ii"), call: plain((*Host).fdFdstatGet)},
	{name: "fd_fdstat_set_flags", params: sig("ii"), call: plain((*Host).fdFdstatSetFlags)},
	{name: "fd_fdstat_set_rights", params: sig("iII"), call: plain((*Host).fdFdstatSetRights)},
	{name: "fd_filestat_get", params: sig("ii"), call: plain((*Host).fdFilestatGet)},
	{name: "fd_filestat_set_size", params: sig("iI"), call: plain((*Host).fdFilestatSetSize)},
	{name: "fd_filestat_set_times", params: sig("iIIi"), call: plain((*Host).fdFilestatSetTimes)},
	{name: "fd_pread", params: sig("iiiIi"), call: plain((*Host).fdPread)},
	{name: "fd_prestat_get", params: sig("ii"), call: plain((*Host).fdPrestatGet)},
	{name: "fd_prestat_dir_name", params: sig("iii"), call: plain((*Host).fdPrestatDirName)},
	{name: "fd_pwrite", params: sig("iiiIi"), call: plain((*Host).fdPwrite)},
	{name: "fd_read", params: sig("iiii"), call: plain((*Host).fdRead)},
	{name: "fd_readdir", params: sig("iiiIi"), call: plain((*Host).fdReaddir)},
	{name: "fd_renumber", params: sig("ii"), call: plain((*Host).fdRenumber)},
	{name: "fd_seek", params: sig("iIii"), call: plain((*Host).fdSeek)},
	{name: "fd_sync", params: sig("i"), call: plain((*Host).fdSync)},
	{name: "fd_tell", params: sig("ii"), call: plain((*Host).fdTell)},
	{name: "fd_write", params: sig("iiii"), call: plain((*Host).fdWrite)},
	{name: "path_create_directory", params: sig("iii"), call: plain((*Host).pathCreateDirectory)},
	{name: "path_filestat_get", params: sig("iiiii"), call: plain((*Host).pathFilestatGet)},
	{name: "path_filestat_set_times", params: sig("iiiiIIi"), call: plain((*Host).pathFilestatSetTimes)},
	{name: "path_link", params: sig("iiiiiii"), call: plain((*Host).pathLink)},
	{name: "path_open", params: sig("iiiiiIIii"), call: plain((*Host).pathOpen)},
	{name: "path_readlink", params: sig("iiiiii"), call: plain((*Host).pathReadlink)},
	{name: "path_remove_directory", params: sig("iii"), call: plain((*Host).pathRemoveDirectory)},
	{name: "path_rename", params: sig("iiiiii"), call: plain((*Host).pathRename)},
	{name: "path_symlink", params: sig("iiiii"), call: plain((*Host).pathSymlink)},
	{name: "path_unlink_file", params: sig("iii"), call: plain((*Host).pathUnlinkFile)},
	{name: "poll_oneoff", params: sig("iiii"), call: (*Host).pollOneoff},
	{name: "proc_exit", params: sig("i"), noResult: true},
	{name: "proc_raise", params: sig("i"), call: plain((*Host).procRaise)},
	{name: "sched_yield", params: sig(""), call: plain((*Host).schedYield)},
	{name: "random_get", params: sig("ii"), call: plain((*Host).randomGet)},
	{name: "sock_accept", params: sig("iii"), call: plain((*Host).sockAccept)},
	{name: "sock_recv", params: sig("iiiiii"), call: plain((*Host).sockRecv)},
	{name: "sock_send", params: sig("iiiii"), call: plain((*Host).sockSend)},
	{name: "sock_shutdown", params: sig("ii"), call: plain((*Host).sockShutdown)},
}

// FuncType returns the type of the function name, and whether WASI
// preview1 has it.
func FuncType(name string) (wasm.FuncType, bool) {
	for i := range functions {
		f := &functions[i]
		if f.name == name {
			return f.typ(), true
		}
	}
	return wasm.FuncType{}, false
}

func (f *function) typ() wasm.FuncType {
	t := wasm.FuncType{Params: f.params}
	if !f.noResult {
		t.Results = []wasm.ValType{wasm.I32}
	}
	return t
}
