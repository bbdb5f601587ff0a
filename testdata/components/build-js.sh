#!/bin/sh
# Builds js/greeter-js.component.wasm from js/hello.js and js/greeter.wit
# with componentize-js (the JavaScript engine StarlingMonkey compiled to
# wasm, which imports the wasi:cli world and uses resources).
#
# Tools needed: node and npm. componentize-js and jco are installed by this
# script into $CJS_DIR (/tmp/cjs by default; node_modules is never put in
# this directory):
#   npm install --prefix "$CJS_DIR" @bytecodealliance/componentize-js @bytecodealliance/jco
#
# Output:
#   js/greeter-js.component.wasm   world gowasm:greeter/greeter
#                                  (export greet: func(name: string) -> string)
set -eu
cd "$(dirname "$0")/js"
CJS_DIR=${CJS_DIR:-/tmp/cjs}

if [ ! -f "$CJS_DIR/node_modules/@bytecodealliance/componentize-js/package.json" ]; then
	mkdir -p "$CJS_DIR"
	npm install --prefix "$CJS_DIR" @bytecodealliance/componentize-js @bytecodealliance/jco
fi

# As in build.sh: preview2-shim starts with no preopened directories, so
# preopen / in every copy of it before the tools start.
PRELOAD="$CJS_DIR/preopen.mjs"
{
	i=0
	for f in $(find "$CJS_DIR/node_modules" -path '*/preview2-shim/dist/nodejs/filesystem.js'); do
		echo "import { _setPreopens as p$i } from '$f'; p$i({ '/': '/' });"
		i=$((i + 1))
	done
} > "$PRELOAD"

node --import "$PRELOAD" "$CJS_DIR/node_modules/@bytecodealliance/componentize-js/src/cli.js" \
	--wit greeter.wit --world-name greeter -o greeter-js.component.wasm hello.js
echo "built js/greeter-js.component.wasm ($(wc -c < greeter-js.component.wasm) bytes)"
