#!/bin/sh
# Rebuilds the adder components in this directory from their sources.
#
# Tools needed:
#   - wat2wasm (wabt):                      apt-get install -y wabt
#   - clang-19 and wasm-ld (lld-19):        apt-get install -y clang-19 lld-19
#   - node and npm, and jco (installed by this script into $JCO_DIR,
#     /tmp/jco by default; node_modules is never put in this directory):
#     npm install --prefix "$JCO_DIR" @bytecodealliance/jco
#
# Outputs:
#   adder-wat.component.wasm         adder.wat + adder.wit (world docs:adder/adder)
#   adder-c.component.wasm           adder.c + adder.wit
#   interfaced-adder.component.wasm  interfaced-adder.wat + interfaced-adder.wit
#                                    (export wasi-mindmap:interfaced-adder/add)
#   echo.component.wasm              echo.wat + echo.wit (echo: func(s: string) -> string)
set -eu
cd "$(dirname "$0")"
JCO_DIR=${JCO_DIR:-/tmp/jco}
CLANG=${CLANG:-clang-19}

if [ ! -f "$JCO_DIR/node_modules/@bytecodealliance/jco/package.json" ]; then
	mkdir -p "$JCO_DIR"
	npm install --prefix "$JCO_DIR" @bytecodealliance/jco
fi

# jco runs on preview2-shim, which starts with no preopened directories,
# so "jco embed" fails with "failed to get path metadata ... (os error 44)".
# Preload a module that preopens / before jco starts, in every copy of
# preview2-shim that npm installed (jco's wasm-tools runs on the copy
# nested under jco-transpile).
PRELOAD="$JCO_DIR/preopen.mjs"
{
	i=0
	for f in $(find "$JCO_DIR/node_modules" -path '*/preview2-shim/dist/nodejs/filesystem.js'); do
		echo "import { _setPreopens as p$i } from '$f'; p$i({ '/': '/' });"
		i=$((i + 1))
	done
} > "$PRELOAD"
jco() {
	node --import "$PRELOAD" "$JCO_DIR/node_modules/@bytecodealliance/jco/dist/jco.js" "$@"
}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
HERE=$(pwd)

# component WIT WORLD CORE OUT: embeds WIT's WORLD into CORE and makes OUT.
component() {
	jco embed --wit "$HERE/$1" --world-name "$2" "$3" -o "$TMP/embedded.wasm"
	jco new "$TMP/embedded.wasm" -o "$HERE/$4"
	echo "built $4"
}

wat2wasm adder.wat -o "$TMP/adder-wat.wasm"
component adder.wit adder "$TMP/adder-wat.wasm" adder-wat.component.wasm

"$CLANG" --target=wasm32-unknown-unknown -nostdlib -Wl,--no-entry -O2 \
	adder.c -o "$TMP/adder-c.wasm"
component adder.wit adder "$TMP/adder-c.wasm" adder-c.component.wasm

wat2wasm interfaced-adder.wat -o "$TMP/interfaced-adder.wasm"
component interfaced-adder.wit interfaced-adder "$TMP/interfaced-adder.wasm" interfaced-adder.component.wasm

wat2wasm echo.wat -o "$TMP/echo.wasm"
component echo.wit echo "$TMP/echo.wasm" echo.component.wasm
