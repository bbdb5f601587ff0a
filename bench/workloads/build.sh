#!/bin/sh
# Rebuilds the benchmark workloads from their sources in src/.
#
# Toolchain (Debian): apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
# and Go (GOOS=wasip1 GOARCH=wasm) for the Go workload.
#
# Each C workload is a reactor module with no imports that exports
# run(n) and returns a checksum.
set -eu
cd "$(dirname "$0")"
CC=${CC:-clang-19}
CFLAGS="-O2 --target=wasm32-wasi -nostartfiles -Wl,--no-entry -Wl,--export=run -Wl,--strip-debug"

for w in fib sieve matmul sha256 nbody qsort vm hash64; do
	$CC $CFLAGS -o "$w.wasm" "src/$w.c"
done
# memops uses bulk memory so that large copies and fills become
# memory.copy / memory.fill.
$CC $CFLAGS -mbulk-memory -o memops.wasm src/memops.c

# The Go workload needs WASI preview 1 (arguments, stdout).
(cd src/gowork && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags=-s -o ../../gowork.wasm .)
