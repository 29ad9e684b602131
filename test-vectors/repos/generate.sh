#!/usr/bin/env bash
# test-vectors/repos/generate.sh — golden OSTree repositories made by the REAL ostree.
#
# Run from the monorepo root:   bash test-vectors/repos/generate.sh
#
# What it does
#   1. Builds two deterministic source trees in a temp dir (tree 1, and tree 2 = tree 1 with some
#      files modified / added / deleted / re-moded).  Tree 1 contains regular files, executables,
#      modes 0600 / 4755 (setuid) / 2755 (setgid, file and dir) / 1777 (sticky dir), empty files and
#      an empty dir, symlinks (relative to a file, dangling, to a directory, absolute), user xattrs
#      (user.abc + user.foo on a file and on a directory), nested dirs, non-ASCII names, a 255-byte
#      name, a hardlinked pair, a file owned by uid/gid 1000, and a ~3.3 MiB text file.
#   2. Commits tree 1 then tree 2 on ref `test/main` (commit 2 has commit 1 as parent, and carries
#      detached metadata via --add-detached-metadata-string) into four repos with modes
#      archive (archive-z2), bare-user, bare-user-only and bare.  bare-user-only gets
#      --canonical-permissions --no-xattrs (that mode cannot store owners, xattrs or setuid bits).
#      The archive repo also gets ref `test/sizes` (same tree as commit 2, --generate-sizes, no
#      parent) and a summary (`ostree summary -u`, run under faketime so it is reproducible).
#   3. Packs each repo as <mode>.tar.gz (top-level directory `repo/`; GNU tar pax format with all
#      xattrs, --sort=name, --mtime=@0, numeric owners; gzip -n), extracts it again into a temp dir,
#      checks that every object kept its mode/owner/xattrs/symlink target and that `ostree fsck`
#      passes on the extracted copy.
#   4. Writes <mode>.json (schema: RepoManifest in unpack.ts) from the EXTRACTED copy, i.e. exactly
#      what tests see after unpackRepo(): provenance, refs, commits (+ exact `ostree log/show/ls`
#      and `ostree cat` outputs), every object with mode/uid/gid/xattrs (hex), non-object files,
#      and the expected `ostree fsck` output.
#
# Determinism: fixed --timestamp, subjects, bodies and metadata, umask 022, LC_ALL=C.UTF-8, TZ=UTC;
#   commit checksums are identical on every run (checked against the previous manifests when
#   present; set ALLOW_CHECKSUM_CHANGE=1 to accept new ones).  The tarballs are byte-reproducible
#   too when faketime is installed (the summary embeds its generation time).  Only the
#   `provenance.generatedAt` field of the manifests changes between runs.
#
# Requirements: root (bare repos need real chown; setuid bits), ostree (made with 2022.7),
#   setfattr/getfattr (apt-get install attr), GNU tar >= 1.30, gzip, /usr/bin/python3 with
#   PyGObject (gi; used for GLib GVariant decoding in manifest.py), faketime (optional, apt-get
#   install faketime), a filesystem for $TMPDIR supporting user xattrs.
# Never runs `ostree admin`.
set -euo pipefail

export LC_ALL=C.UTF-8 TZ=UTC PYTHONDONTWRITEBYTECODE=1
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT="$HERE"
PY=/usr/bin/python3
REF=test/main
TS1="2022-01-01 00:00:00 +0000"
TS2="2022-01-02 12:34:56 +0000"
TS_SIZES="2022-01-03 00:00:00 +0000"
SUMMARY_TIME="2022-01-04 00:00:00"
MODES=(archive bare-user bare-user-only bare)

die() { echo "generate.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (bare repos need chown/setuid)"
command -v ostree >/dev/null || die "ostree not found"
command -v setfattr >/dev/null || die "setfattr not found (apt-get install attr)"
"$PY" -c 'import gi; gi.require_version("GLib", "2.0"); from gi.repository import GLib' \
  || die "$PY needs PyGObject (gi)"
case "$(ostree --version)" in
  *"Version: '2022.7'"*) ;;
  *) echo "generate.sh: WARNING: ostree is not 2022.7; vectors will record the actual version" >&2 ;;
esac
if command -v faketime >/dev/null; then
  FAKETIME=(faketime -f "@$SUMMARY_TIME")
else
  echo "generate.sh: WARNING: faketime missing; summary (and archive.tar.gz) will not be reproducible" >&2
  FAKETIME=()
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ostree-golden.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# ---------------------------------------------------------------------------------------------
# Source trees
# ---------------------------------------------------------------------------------------------
LONGNAME="long-$(printf 'x%.0s' $(seq 1 246)).txt"   # 5 + 246 + 4 = 255 bytes (NAME_MAX)
[ "${#LONGNAME}" = 255 ] || die "long name is ${#LONGNAME} bytes"

make_tree1() {
  local d=$1
  mkdir -p "$d"
  chmod 0755 "$d"
  (
    cd "$d"
    printf 'ostree-ts golden test tree\nversion 1\n' > README.txt
    : > empty
    printf 'not really a secret\n' > private.key
    chmod 0600 private.key

    mkdir bin
    printf '#!/bin/sh\necho hello from ostree-ts\n' > bin/hello.sh
    chmod 0755 bin/hello.sh
    printf '#!/bin/sh\n# pretend setuid tool\nid -u\n' > bin/setuid-tool
    chmod 4755 bin/setuid-tool
    printf '#!/bin/sh\n# pretend setgid tool\nid -g\n' > bin/setgid-tool
    chmod 2755 bin/setgid-tool

    mkdir -p data/日本語
    printf 'Größe: groß\n' > data/größe.txt
    printf 'こんにちは\n' > data/日本語/ファイル.txt
    printf 'a file with a 255-byte name\n' > "data/$LONGNAME"
    # ~3.3 MiB of numbered text lines: deterministic and very compressible.
    awk 'BEGIN { for (i = 1; i <= 46000; i++)
                   printf "%06d the quick brown fox jumps over the lazy dog; ostree-ts golden vector\n", i }' \
      > data/large.txt

    mkdir links
    ln -s ../README.txt links/to-file
    ln -s does-not-exist links/dangling
    ln -s ../data links/to-dir
    ln -s /etc/os-release links/absolute

    mkdir xattrs
    printf 'xattr file\n' > xattrs/file-with-xattrs.txt
    setfattr -n user.abc -v 123 xattrs/file-with-xattrs.txt
    setfattr -n user.foo -v bar xattrs/file-with-xattrs.txt
    setfattr -n user.abc -v dirvalue xattrs
    setfattr -n user.foo -v bar xattrs

    mkdir hardlinks
    printf 'same inode, two names\n' > hardlinks/a.txt
    ln hardlinks/a.txt hardlinks/b.txt

    mkdir -p nested/a/b/c
    printf 'deep\n' > nested/a/b/c/deep.txt
    printf 'middle\n' > nested/a/middle.txt

    mkdir empty-dir

    mkdir sticky
    printf 'in a sticky dir\n' > sticky/note.txt
    chmod 1777 sticky

    mkdir setgid-dir
    printf 'in a setgid dir\n' > setgid-dir/inside.txt
    chmod 2755 setgid-dir

    printf 'owned by 1000:1000\n' > owned-1000.txt
    chown 1000:1000 owned-1000.txt
  )
}

# Tree 2 = tree 1 + modifications, additions, deletions, a mode change and an xattr change.
make_tree2() {
  local d=$1
  make_tree1 "$d"
  (
    cd "$d"
    printf 'ostree-ts golden test tree\nversion 2\n' > README.txt      # modified
    printf 'added in commit 2\n' > added.txt                              # added
    mkdir -p new-dir/sub
    printf 'also added in commit 2\n' > new-dir/sub/file.txt              # added (new dirs)
    rm empty                                                              # deleted file
    rm links/dangling                                                     # deleted symlink
    rm -r nested/a/b                                                      # deleted subtree
    chmod 0640 private.key                                                # mode-only change
    setfattr -n user.foo -v baz xattrs/file-with-xattrs.txt               # xattr-only change
  )
}

make_tree1 "$WORK/src1"
make_tree2 "$WORK/src2"

# ---------------------------------------------------------------------------------------------
# Repos
# ---------------------------------------------------------------------------------------------
commit_common=(
  --branch="$REF"
  --add-metadata-string=test.generator=ostree-ts/test-vectors/repos/generate.sh
  --add-metadata=test.number="uint32 42"
  --add-metadata=test.flag=true
  --add-metadata=test.list="['a', 'b', 'c']"
)

for mode in "${MODES[@]}"; do
  repo="$WORK/$mode/repo"
  mkdir -p "$WORK/$mode"
  ostree init --repo="$repo" --mode="$mode"
  extra=()
  if [ "$mode" = bare-user-only ]; then extra=(--canonical-permissions --no-xattrs); fi
  c1=$(ostree commit --repo="$repo" "${commit_common[@]}" "${extra[@]}" \
        --timestamp="$TS1" \
        --subject="Initial golden tree" \
        --body=$'First commit of the ostree-ts golden repository.\n\nBody line three: ünïcödé ✓.' \
        --add-metadata-string=version=1.0 \
        "$WORK/src1")
  c2=$(ostree commit --repo="$repo" "${commit_common[@]}" "${extra[@]}" \
        --timestamp="$TS2" \
        --subject="Second golden commit: modify, add, delete" \
        --body=$'Modifies README.txt, adds added.txt and new-dir/, deletes empty, links/dangling\nand nested/a/b, changes the mode of private.key and an xattr value.' \
        --add-metadata-string=version=2.0 \
        --add-detached-metadata-string=test.detached=detached-value \
        --add-detached-metadata-string=test.note=not-covered-by-the-commit-checksum \
        "$WORK/src2")
  parent=$(ostree rev-parse --repo="$repo" "$c2^")
  [ "$parent" = "$c1" ] || die "$mode: parent of $c2 is $parent, expected $c1"
  if [ "$mode" = archive ]; then
    ostree commit --repo="$repo" --branch=test/sizes --generate-sizes --parent=none \
      --timestamp="$TS_SIZES" --subject="Same tree as commit 2, with ostree.sizes" \
      --add-metadata-string=version=2.0-sizes "$WORK/src2" >/dev/null
    "${FAKETIME[@]}" ostree summary -u --repo="$repo"
  fi
  echo "$mode: $c1 -> $c2"
done

# ---------------------------------------------------------------------------------------------
# Pack, round-trip, fsck, manifest
# ---------------------------------------------------------------------------------------------
TAR_CREATE=(tar --create --format=posix --xattrs --xattrs-include='*' --sort=name --mtime=@0
  --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
TAR_EXTRACT=(tar --extract --xattrs --xattrs-include='*' --numeric-owner --same-owner
  --preserve-permissions)

for mode in "${MODES[@]}"; do
  "${TAR_CREATE[@]}" -C "$WORK/$mode" repo | gzip -n -9 > "$OUT/$mode.tar.gz.tmp"
  mv "$OUT/$mode.tar.gz.tmp" "$OUT/$mode.tar.gz"
  rt="$WORK/rt-$mode"
  mkdir "$rt"
  "${TAR_EXTRACT[@]}" -f "$OUT/$mode.tar.gz" -C "$rt"
  prev=""
  if [ -f "$OUT/$mode.json" ]; then prev="$OUT/$mode.json"; fi
  "$PY" "$HERE/manifest.py" \
    --mode="$mode" --repo="$rt/repo" --original="$WORK/$mode/repo" \
    --tarball="test-vectors/repos/$mode.tar.gz" --previous="$prev" \
    --out="$OUT/$mode.json.tmp"
  mv "$OUT/$mode.json.tmp" "$OUT/$mode.json"
done

ls -l "$OUT"/*.tar.gz "$OUT"/*.json
echo "generate.sh: done"
