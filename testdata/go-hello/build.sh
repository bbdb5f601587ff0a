#!/bin/sh
# Rebuilds hello.wasm from main.go with the Go toolchain (GOOS=wasip1).
set -eu
cd "$(dirname "$0")"
GOOS=wasip1 GOARCH=wasm go build -trimpath -o hello.wasm main.go
