#!/bin/sh
# Wraps the WASI preview1 test programs ../../../testdata/wasi/cprog.wasm
# and goprog.wasm (built by testdata/wasi/build.sh from cprog.c and
# goprog/main.go) as WASIp2 command components with the preview1 adapter
# that jco bundles:
#   jco new cprog.wasm --wasi-command -o cprog.component.wasm
# The component imports the WASI 0.2.12 interfaces (wasi:cli, wasi:io,
# wasi:clocks, wasi:random, wasi:filesystem) and exports wasi:cli/run.
#
# Tools needed: node and npm. jco is installed by this script into
# $CJS_DIR (/tmp/cjs by default; node_modules is never put in this
# directory):
#   npm install --prefix "$CJS_DIR" @bytecodealliance/jco
#
# Output:
#   cprog.component.wasm    (C on wasi-libc, 87 KB)
#   goprog.component.wasm   (Go GOOS=wasip1, 2.9 MB)
set -eu
cd "$(dirname "$0")"
CJS_DIR=${CJS_DIR:-/tmp/cjs}

if [ ! -x "$CJS_DIR/node_modules/.bin/jco" ]; then
	mkdir -p "$CJS_DIR"
	npm install --prefix "$CJS_DIR" @bytecodealliance/jco
fi

for p in cprog goprog; do
	"$CJS_DIR/node_modules/.bin/jco" new ../../../testdata/wasi/$p.wasm --wasi-command -o $p.component.wasm
	echo "built $p.component.wasm ($(wc -c < $p.component.wasm) bytes)"
done
