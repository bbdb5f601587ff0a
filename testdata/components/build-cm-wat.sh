#!/bin/sh
# Rebuilds the components written in the component text format that test
# the runtime's own rules (no upstream source): identity/identity.wasm
# (resource type identity), mayleave/mayleave.wasm (no calls out
# while realloc runs), link/provider.wasm and link/calculator.wasm
# (linked at run time to identity.wasm and interfaced-adder),
# hostile/hostile.wasm (endless loop, memory growth, recursion),
# sockets/tcp-listen.wasm (a wasi:sockets guest) and
# start/start.wasm (start function and
# values; the test inserts the value section the text parser cannot
# express, see start.wat).
#
# Tools needed: node and npm; jco is installed by this script into
# $JCO_DIR (/tmp/jco by default) when missing:
#   npm install --prefix "$JCO_DIR" @bytecodealliance/jco
set -eu
cd "$(dirname "$0")"
JCO_DIR=${JCO_DIR:-/tmp/jco}
if [ ! -f "$JCO_DIR/node_modules/@bytecodealliance/jco/package.json" ]; then
	mkdir -p "$JCO_DIR"
	npm install --prefix "$JCO_DIR" @bytecodealliance/jco
fi
JCO="$JCO_DIR/node_modules/.bin/jco"
for f in identity/identity start/start mayleave/mayleave link/provider link/calculator hostile/hostile sockets/tcp-listen; do
	"$JCO" parse "$f.wat" -o "$f.wasm"
	echo "built $f.wasm ($(wc -c < "$f.wasm") bytes)"
done
