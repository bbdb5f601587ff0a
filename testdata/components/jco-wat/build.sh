#!/bin/sh
# Converts the jco runtime fixtures written in the component text format
# (WAT), which gowasm cannot parse, into binaries with "jco parse" (the
# wasm-tools text parser compiled to wasm, run on node).
#
# Sources: <shared>/components/jco-fixtures/runtime/<name>.wat, where
# <shared> is $GOWASM_SHARED, or ../../../../shared relative to this
# script (the shared data directory beside the repository).
#
# Tools needed: node and npm. jco is installed by this script into
# $CJS_DIR (/tmp/cjs by default; node_modules is never put in this
# directory):
#   npm install --prefix "$CJS_DIR" @bytecodealliance/jco
#
# Outputs (in this directory, <name>.wat -> <name>.wasm):
#   list-adapter-fusion.wasm
#   multi-version.component.wasm
#   resources.2.component.wasm
#   resources.3.component.wasm
# and, from dtor-rep.wat in this directory (written for gowasm's tests, a
# companion of resources.2 whose destructor can be observed):
#   dtor-rep.wasm
set -eu
SHARED=${GOWASM_SHARED:-}
case "$SHARED" in
"" | /*) ;;
*) SHARED=$(pwd)/$SHARED ;;
esac
cd "$(dirname "$0")"
HERE=$(pwd)
CJS_DIR=${CJS_DIR:-/tmp/cjs}
SHARED=${SHARED:-$HERE/../../../../shared}
SRC="$SHARED/components/jco-fixtures/runtime"

if [ ! -d "$SRC" ]; then
	echo "build.sh: $SRC not found (set GOWASM_SHARED)" >&2
	exit 1
fi

if [ ! -f "$CJS_DIR/node_modules/@bytecodealliance/jco/package.json" ]; then
	mkdir -p "$CJS_DIR"
	npm install --prefix "$CJS_DIR" @bytecodealliance/jco
fi

# list-adapter-fusion.wat writes "(func $realloc)" for a core function where
# the current text parser wants "(core func $realloc)"; the parser accepts
# that older syntax with WAST_STRICT_COMPONENT_INDICES=0 (jco passes the
# environment to the parser).
export WAST_STRICT_COMPONENT_INDICES=0
for name in list-adapter-fusion multi-version.component resources.2.component resources.3.component; do
	node "$CJS_DIR/node_modules/@bytecodealliance/jco/dist/jco.js" parse \
		"$SRC/$name.wat" -o "$HERE/$name.wasm"
	echo "built $name.wasm ($(wc -c < "$HERE/$name.wasm") bytes)"
done

node "$CJS_DIR/node_modules/@bytecodealliance/jco/dist/jco.js" parse \
	"$HERE/dtor-rep.wat" -o "$HERE/dtor-rep.wasm"
echo "built dtor-rep.wasm ($(wc -c < "$HERE/dtor-rep.wasm") bytes)"
