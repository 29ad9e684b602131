#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine: the system packages the tests and demo
# compare against, then the exact npm dependency tree from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# ostree: the reference implementation. python3-gi + gir1.2-glib-2.0: GLib's GVariant and
# GKeyFile as oracles (through /usr/bin/python3). python3-nacl: libsodium for ed25519
# cross-checks. nginx-light: serves repos over loopback. attr: getfattr/setfattr.
# faketime: pins the clock of real ostree where its output embeds the time (summaries).
# liblzma-dev: node-liblzma builds against Debian's liblzma (byte-identical xz to ostree's).
# clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32: build bsdiff to WebAssembly.
# bsdiff, bzip2: the reference bsdiff/bspatch CLI (BSDIFF40 container) for cross-checks.
# procps (pgrep) and util-linux (setpriv): the pull kill test and ostree admin without CAP_SYS_ADMIN.
apt_pkgs=(ostree python3-gi gir1.2-glib-2.0 python3-nacl nginx-light attr xz-utils faketime
  liblzma-dev clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 bsdiff bzip2 procps util-linux)
missing=()
for p in "${apt_pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages: ${missing[*]} (run as root or install them)" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Reinstall only when the lockfile changed since the last install.
stamp=node_modules/.ostree-ts-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# Build every package (tsc -b is incremental): the CLI, the demo and benchmarks run built code.
log=$(mktemp)
if ! npx nx run-many -t build --outputStyle=static >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
