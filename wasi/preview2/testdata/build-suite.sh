#!/bin/sh
# Wraps every wasip1 program of WebAssembly/wasi-testsuite (72 core
# modules under ../shared/wasi-testsuite/tests/*/testsuite/wasm32-wasip1)
# as a WASIp2 command component with jco's preview1 adapter, into
# OUTDIR/<lang>/<name>.component.wasm (7.7 MB in all, so not committed):
#
#   wasi/preview2/testdata/build-suite.sh /tmp/p2suite
#   GOWASM_P2_SUITE=/tmp/p2suite go test ./wasi/preview2 -run TestWASITestsuiteP2
#
# TestWASITestsuiteP2 runs them with the preview2 host against the
# suite's JSON expectations. Tools needed: node and npm (jco is installed
# into $CJS_DIR as build.sh does); the shared data at $GOWASM_SHARED or
# ../shared beside the repository.
set -eu
OUT=${1:?usage: build-suite.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
SHARED=${GOWASM_SHARED:-$HERE/../../../../shared}
CJS_DIR=${CJS_DIR:-/tmp/cjs}
if [ ! -x "$CJS_DIR/node_modules/.bin/jco" ]; then
	mkdir -p "$CJS_DIR"
	npm install --prefix "$CJS_DIR" @bytecodealliance/jco
fi
n=0
for lang in assemblyscript c rust; do
	mkdir -p "$OUT/$lang"
	for w in "$SHARED/wasi-testsuite/tests/$lang/testsuite/wasm32-wasip1"/*.wasm; do
		"$CJS_DIR/node_modules/.bin/jco" new "$w" --wasi-command -o "$OUT/$lang/$(basename "$w" .wasm).component.wasm"
		n=$((n + 1))
	done
done
echo "wrapped $n programs into $OUT"
