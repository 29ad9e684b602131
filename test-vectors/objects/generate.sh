#!/usr/bin/env bash
# test-vectors/objects/generate.sh — small standalone object vectors taken from the golden repos.
#
# Run from the monorepo root AFTER test-vectors/repos/generate.sh:
#     bash test-vectors/objects/generate.sh
#
# It extracts test-vectors/repos/{archive,bare-user,bare-user-only,bare}.tar.gz into a temp dir and
# writes one JSON file per kind (schema: ObjectVectorFile in test-vectors/repos/unpack.ts):
#   commit.json, dirtree.json, dirmeta.json, commitmeta.json   metadata objects, bytes as hex,
#                                                               from all four repos (deduplicated)
#   filez.json           archive-mode content objects (<= 64 KiB) with the decoded header and payload
#   content-stream.json  the canonical content stream (checksum input) of every content object with
#                        payload <= 64 KiB, rebuilt from archive .filez, bare-user (user.ostreemeta)
#                        and bare-user-only objects; sha256(stream) == checksum is asserted
#   tombstone-commit.json  made by real ostree in a scratch copy of the archive repo:
#                        `ostree config set core.tombstone-commits true`,
#                        `ostree reset test/main <commit 1>`, `ostree prune --delete-commit=<commit 2>`
#   summary.json         the archive repo's `summary` file
# All bytes come from files written by real ostree; GLib (PyGObject) is only used to decode/print
# GVariants and to re-serialize content headers, and every derived stream is hash-checked.
# Deterministic: only provenance.generatedAt changes between runs.
# Requirements: as for test-vectors/repos/generate.sh (root, ostree, GNU tar, /usr/bin/python3 + gi).
# Never runs `ostree admin`.
set -euo pipefail
export LC_ALL=C.UTF-8 TZ=UTC PYTHONDONTWRITEBYTECODE=1
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPOS=$(cd "$HERE/../repos" && pwd)
PY=/usr/bin/python3
MODES=(archive bare-user bare-user-only bare)

[ "$(id -u)" = 0 ] || { echo "objects/generate.sh: must run as root" >&2; exit 1; }
for m in "${MODES[@]}"; do
  [ -f "$REPOS/$m.tar.gz" ] || { echo "missing $REPOS/$m.tar.gz; run test-vectors/repos/generate.sh" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ostree-objvec.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

for m in "${MODES[@]}"; do
  mkdir "$WORK/$m"
  tar --extract --xattrs --xattrs-include='*' --numeric-owner --same-owner --preserve-permissions \
    -f "$REPOS/$m.tar.gz" -C "$WORK/$m"
done

# Tombstone: scratch copy of the archive repo; move the ref back to commit 1, delete commit 2.
scratch="$WORK/tombstone/repo"
mkdir -p "$WORK/tombstone"
cp -a "$WORK/archive/repo" "$scratch"
c2=$(ostree rev-parse --repo="$scratch" test/main)
c1=$(ostree rev-parse --repo="$scratch" "test/main^")
ostree config set --repo="$scratch" core.tombstone-commits true
ostree reset --repo="$scratch" test/main "$c1"
ostree prune --repo="$scratch" --delete-commit="$c2" > "$WORK/tombstone/prune.out" 2>&1
set +e
ostree fsck --repo="$scratch" > "$WORK/tombstone/fsck.out" 2> "$WORK/tombstone/fsck.err"
echo $? > "$WORK/tombstone/fsck.rc"
set -e

"$PY" "$HERE/extract.py" --work="$WORK" --out="$HERE" --deleted-commit="$c2" --kept-commit="$c1"
ls -l "$HERE"/*.json
echo "objects/generate.sh: done"
