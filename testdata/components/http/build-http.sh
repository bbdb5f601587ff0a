#!/bin/sh
# Builds http/proxy-js.component.wasm from http/proxy.js (a wasi:http
# proxy written with the fetch-event API) and http/manual-js.component.wasm
# from http/manual.js (the same world written against the wasi:http/types
# bindings directly), both for http/wit/world.wit, with componentize-js,
# as build-js.sh does for the greeter.
#
# Tools needed: node and npm; componentize-js is installed into $CJS_DIR
# (/tmp/cjs by default) when missing. The WASI WIT comes from $WASI_WIT
# (/work/shared/wit/wasi-0.2.12 by default) and is copied into wit/deps
# with its version rewritten to 0.2.10, the version componentize-js
# 0.23's StarlingMonkey engine implements the fetch event for; wit/deps
# is removed afterwards.
#
# Output (world gowasm:http-test/proxy, exporting
# wasi:http/incoming-handler@0.2.10):
#   proxy-js.component.wasm
#   manual-js.component.wasm
set -eu
cd "$(dirname "$0")"
CJS_DIR=${CJS_DIR:-/tmp/cjs}
WASI_WIT=${WASI_WIT:-/work/shared/wit/wasi-0.2.12}

if [ ! -f "$CJS_DIR/node_modules/@bytecodealliance/componentize-js/package.json" ]; then
	mkdir -p "$CJS_DIR"
	npm install --prefix "$CJS_DIR" @bytecodealliance/componentize-js @bytecodealliance/jco
fi

rm -rf wit/deps
mkdir -p wit/deps
trap 'rm -rf wit/deps' EXIT
for pkg in cli clocks filesystem http io random sockets; do
	mkdir -p "wit/deps/$pkg"
	for f in "$WASI_WIT/$pkg"/*.wit; do
		sed 's/0\.2\.12/0.2.10/g' "$f" > "wit/deps/$pkg/$(basename "$f")"
	done
done

# As in build-js.sh: preview2-shim starts with no preopened directories,
# so preopen / in every copy of it before the tools start.
PRELOAD="$CJS_DIR/preopen.mjs"
{
	i=0
	for f in $(find "$CJS_DIR/node_modules" -path '*/preview2-shim/dist/nodejs/filesystem.js'); do
		echo "import { _setPreopens as p$i } from '$f'; p$i({ '/': '/' });"
		i=$((i + 1))
	done
} > "$PRELOAD"

for js in proxy manual; do
	node --import "$PRELOAD" "$CJS_DIR/node_modules/@bytecodealliance/componentize-js/src/cli.js" \
		--wit wit --world-name proxy -o $js-js.component.wasm $js.js
	echo "built http/$js-js.component.wasm ($(wc -c < $js-js.component.wasm) bytes)"
done
