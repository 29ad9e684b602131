#!/bin/sh
# Builds native/*.c into wasm/bsdiff.wasm and embeds it as base64 in src/bsdiff-wasm.generated.ts.
# Deterministic: fixed flags, relative paths, no debug info, no timestamps; the same clang-14
# gives the same bytes (test/wasm-build.test.ts rebuilds into a temp dir and compares).
#
#   scripts/build-wasm.sh [OUT_DIR]   # default: the package itself (wasm/ and src/)
set -eu

PKG="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${1:-$PKG}"
CLANG="${CLANG:-clang-14}"
mkdir -p "$OUT/wasm" "$OUT/src"

cd "$PKG/native"
# wasm32 freestanding: no libc, no imports. bulk-memory lets clang lower memcpy/memset to
# memory.copy/memory.fill instead of calling functions we would have to provide. Memory can
# grow to 4 GiB - 64 KiB (65535 pages, so every address fits in a uint32).
"$CLANG" --target=wasm32 -std=c11 -O2 -ffreestanding -nostdlib -mbulk-memory \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all -Wl,--max-memory=4294901760 \
  -o "$OUT/wasm/bsdiff.wasm" heap.c sais.c bsdiff.c

node "$PKG/scripts/embed-wasm.mjs" "$OUT/wasm/bsdiff.wasm" "$OUT/src/bsdiff-wasm.generated.ts"
