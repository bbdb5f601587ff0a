#!/usr/bin/env bash
# Rebuilds the WASI preview1 test programs and their expected outputs.
# Needs: clang-19 with wasi-libc (apt-get install clang-19 lld-19 wasi-libc
# libclang-rt-19-dev-wasm32), Go, and Node.js (node:wasi gives the
# reference outputs).
set -euo pipefail
cd "$(dirname "$0")"
clang-19 --target=wasm32-wasi -O2 -Wl,--strip-all -o cprog.wasm cprog.c
(cd goprog && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags=-s -o ../goprog.wasm .)
node --no-warnings reference.mjs
