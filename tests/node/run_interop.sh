#!/usr/bin/env bash
# Installs grpc-js from npm into tests/node/node_modules (test-only; the
# product never loads it) and runs the interop test against CROSSCHECKD.
#
#   tests/node/run_interop.sh build/server/crosscheckd
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
daemon="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$here"
if [[ ! -d node_modules/@grpc/grpc-js || package.json -nt node_modules ]]; then
  npm install --no-audit --no-fund --loglevel=error >/dev/null
  touch node_modules
fi
CROSSCHECKD="$daemon" exec node --test interop_test.js
