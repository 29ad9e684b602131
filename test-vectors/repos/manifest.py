#!/usr/bin/python3
"""Manifest builder for the golden OSTree repos (called by generate.sh; also imported by
test-vectors/objects/extract.py).

Everything structural is read from the repo on disk (lstat, xattrs) or produced by the real
`ostree` CLI; GVariant decoding/encoding uses the system GLib through PyGObject (the same GLib
ostree itself uses).  Every content object's decoded metadata is verified by rebuilding the
canonical content stream and checking that its SHA-256 equals the object's name, and every
metadata object (commit/dirtree/dirmeta) is checked to hash to its name.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import zlib

import gi

gi.require_version("GLib", "2.0")
from gi.repository import GLib  # noqa: E402

OBJ_RE = re.compile(r"^objects/([0-9a-f]{2})/([0-9a-f]{62})\.([a-z-]+)$")
COMMIT_T = "(a{sv}aya(say)sstayay)"
DIRTREE_T = "(a(say)a(sayay))"
DIRMETA_T = "(uuua(ayay))"
FILEHDR_T = "(uuuusa(ayay))"      # content stream header
ARCHIVEHDR_T = "(tuuuusa(ayay))"  # .filez header
BAREUSER_META_T = "(uuua(ayay))"  # user.ostreemeta
META_TYPES = {"commit": COMMIT_T, "dirtree": DIRTREE_T, "dirmeta": DIRMETA_T,
              "commitmeta": "a{sv}", "tombstone-commit": "a{sv}"}


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def be32(x: int) -> int:
    """Byte-swap a u32 (ostree stores BE; GLib reads host order = LE here)."""
    return int.from_bytes(x.to_bytes(4, "little"), "big")


def be64(x: int) -> int:
    return int.from_bytes(x.to_bytes(8, "little"), "big")


def variant(type_str: str, data: bytes) -> GLib.Variant:
    v = GLib.Variant.new_from_bytes(GLib.VariantType.new(type_str), GLib.Bytes.new(data), False)
    return v


def vbytes(v: GLib.Variant) -> bytes:
    return bytes(v.get_data_as_bytes().get_data())


def ser(type_str: str, value) -> bytes:
    return vbytes(GLib.Variant(type_str, value))


def octal(mode: int) -> str:
    return format(mode, "o")


def run(args: list[str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, check=check)


def ostree(repo: str, *args: str) -> str:
    p = run(["ostree", *args, f"--repo={repo}"])
    return p.stdout.decode("utf-8")


def list_xattrs(path: str) -> dict[str, str]:
    """All xattrs (every namespace visible to us), sorted by name (strcmp), values as hex."""
    out: dict[str, str] = {}
    for name in sorted(os.listxattr(path, follow_symlinks=False), key=lambda n: n.encode()):
        out[name] = os.getxattr(path, name, follow_symlinks=False).hex()
    return out


def xattrs_from_variant(arr) -> dict[str, str]:
    """a(ayay) unpacked by PyGObject -> {name (without NUL): hex value}."""
    out: dict[str, str] = {}
    for name, value in arr:
        nb = bytes(name)
        assert nb.endswith(b"\0"), nb
        out[nb[:-1].decode()] = bytes(value).hex()
    return out


def xattrs_to_variant(x: dict[str, str]) -> list:
    return [(k.encode() + b"\0", bytes.fromhex(v)) for k, v in
            sorted(x.items(), key=lambda kv: kv[0].encode())]


def content_header(uid: int, gid: int, mode: int, target: str, xattrs: dict[str, str]) -> bytes:
    """H = ser((uuuusa(ayay))) with BE integers, as ostree_file_header_new() builds it."""
    return ser(FILEHDR_T, (be32(uid), be32(gid), be32(mode), 0, target, xattrs_to_variant(xattrs)))


def content_stream(header: bytes, payload: bytes) -> bytes:
    return len(header).to_bytes(4, "big") + b"\0\0\0\0" + header + payload


def inflate_raw(data: bytes) -> bytes:
    d = zlib.decompressobj(-15)
    out = d.decompress(data) + d.flush()
    assert d.eof and not d.unused_data, "bad raw deflate stream"
    return out


# ------------------------------------------------------------------------------------------
# content objects: decode stored form -> logical file info + payload
# ------------------------------------------------------------------------------------------
def parse_filez(data: bytes) -> dict:
    hlen = int.from_bytes(data[0:4], "big")
    assert data[4:8] == b"\0\0\0\0"
    zhdr = data[8:8 + hlen]
    v = variant(ARCHIVEHDR_T, zhdr)
    assert v.is_normal_form()
    size, uid, gid, mode, rdev, target, xattrs = v.unpack()
    size, uid, gid, mode, rdev = be64(size), be32(uid), be32(gid), be32(mode), be32(rdev)
    assert rdev == 0
    compressed = data[8 + hlen:]
    if stat.S_ISLNK(mode):
        assert compressed == b"" and size == 0
        payload = b""
    else:
        payload = inflate_raw(compressed)
        assert len(payload) == size
    return {"uid": uid, "gid": gid, "mode": mode, "target": target,
            "xattrs": xattrs_from_variant(xattrs), "payload": payload,
            "storedHeader": zhdr, "compressed": compressed}


def logical_content(mode_name: str, path: str) -> dict:
    """Decode a content object as ostree would, for the given repo mode."""
    st = os.lstat(path)
    if mode_name == "archive":
        with open(path, "rb") as f:
            return parse_filez(f.read())
    if mode_name == "bare-user":
        meta = os.getxattr(path, "user.ostreemeta", follow_symlinks=False)
        v = variant(BAREUSER_META_T, meta)
        assert v.is_normal_form()
        uid, gid, mode, xattrs = v.unpack()
        uid, gid, mode = be32(uid), be32(gid), be32(mode)
        with open(path, "rb") as f:
            data = f.read()
        if stat.S_ISLNK(mode):
            assert data.endswith(b"\0")
            return {"uid": uid, "gid": gid, "mode": mode, "target": data[:-1].decode(),
                    "xattrs": xattrs_from_variant(xattrs), "payload": b""}
        return {"uid": uid, "gid": gid, "mode": mode, "target": "",
                "xattrs": xattrs_from_variant(xattrs), "payload": data}
    if mode_name in ("bare", "bare-user-only"):
        if stat.S_ISLNK(st.st_mode):
            target, payload = os.readlink(path), b""
        else:
            target = ""
            with open(path, "rb") as f:
                payload = f.read()
        if mode_name == "bare":
            xattrs = {k: v for k, v in list_xattrs(path).items() if v != ""}
            uid, gid = st.st_uid, st.st_gid
        else:
            xattrs, uid, gid = {}, 0, 0
        return {"uid": uid, "gid": gid, "mode": st.st_mode, "target": target,
                "xattrs": xattrs, "payload": payload}
    raise ValueError(mode_name)


def verified_content(mode_name: str, path: str, checksum: str) -> dict:
    info = logical_content(mode_name, path)
    header = content_header(info["uid"], info["gid"], info["mode"], info["target"], info["xattrs"])
    stream = content_stream(header, info["payload"])
    got = hashlib.sha256(stream).hexdigest()
    if got != checksum:
        raise SystemExit(f"{path}: rebuilt content stream hashes to {got}")
    info["header"] = header
    info["stream"] = stream
    return info


# ------------------------------------------------------------------------------------------
# repo walking
# ------------------------------------------------------------------------------------------
def walk(repo: str) -> list[str]:
    rels: list[str] = []
    for dirpath, dirnames, filenames in os.walk(repo):
        for n in dirnames + filenames:
            rels.append(os.path.relpath(os.path.join(dirpath, n), repo))
    return sorted(rels, key=lambda s: s.encode())


def entry_info(repo: str, rel: str) -> dict:
    p = os.path.join(repo, rel)
    st = os.lstat(p)
    if stat.S_ISLNK(st.st_mode):
        kind = "symlink"
    elif stat.S_ISDIR(st.st_mode):
        kind = "dir"
    elif stat.S_ISREG(st.st_mode):
        kind = "file"
    else:
        raise SystemExit(f"unexpected file type: {p}")
    e = {"path": rel, "type": kind, "size": st.st_size if kind != "dir" else 0,
         "mode": octal(st.st_mode), "uid": st.st_uid, "gid": st.st_gid}
    if kind == "symlink":
        e["symlinkTarget"] = os.readlink(p)
    e["xattrs"] = list_xattrs(p)
    if kind == "file":
        with open(p, "rb") as f:
            e["sha256"] = hashlib.sha256(f.read()).hexdigest()
    return e


def compare_trees(orig: str, copy: str) -> None:
    a, b = walk(orig), walk(copy)
    if a != b:
        raise SystemExit(f"round-trip changed the file list: {sorted(set(a) ^ set(b))[:10]}")
    for rel in a:
        ea, eb = entry_info(orig, rel), entry_info(copy, rel)
        if ea != eb:
            raise SystemExit(f"round-trip changed {rel}:\n  {ea}\n  {eb}")


# ------------------------------------------------------------------------------------------
# manifest
# ------------------------------------------------------------------------------------------
def commit_info(repo: str, checksum: str, refs: dict[str, str]) -> dict:
    with open(os.path.join(repo, "objects", checksum[:2], checksum[2:] + ".commit"), "rb") as f:
        data = f.read()
    v = variant(COMMIT_T, data)
    assert v.is_normal_form() and hashlib.sha256(data).hexdigest() == checksum
    md = v.get_child_value(0)
    parent = vbytes(v.get_child_value(1))
    root_tree = vbytes(v.get_child_value(6))
    root_meta = vbytes(v.get_child_value(7))
    ver = md.lookup_value("version", GLib.VariantType.new("s"))
    detached_path = os.path.join(repo, "objects", checksum[:2], checksum[2:] + ".commitmeta")
    detached = None
    if os.path.exists(detached_path):
        with open(detached_path, "rb") as f:
            dv = variant("a{sv}", f.read())
        assert dv.is_normal_form()
        detached = dv.print_(True)
    keys = [md.get_child_value(i).get_child_value(0).get_string() for i in range(md.n_children())]
    out = {
        "checksum": checksum,
        "refs": sorted(r for r, c in refs.items() if c == checksum),
        "parent": parent.hex() if parent else None,
        "subject": v.get_child_value(3).get_string(),
        "body": v.get_child_value(4).get_string(),
        "timestamp": be64(v.get_child_value(5).get_uint64()),
        "version": ver.get_string() if ver is not None else None,
        "rootDirtree": root_tree.hex(),
        "rootDirmeta": root_meta.hex(),
        "contentChecksum": hashlib.sha256(root_tree + root_meta).hexdigest(),
        "size": len(data),
        "metadataKeys": keys,
        "metadataText": md.print_(True),
        "detachedMetadataText": detached,
        "ostree": {
            "log": ostree(repo, "log", checksum),
            "show": ostree(repo, "show", checksum),
            "lsR": ostree(repo, "ls", "-R", checksum),
            "lsRC": ostree(repo, "ls", "-R", "-C", checksum),
            "lsRX": ostree(repo, "ls", "-R", "-X", checksum),
            "cat": {p: ostree(repo, "cat", checksum, p) for p in CAT_PATHS},
        },
    }
    if "ostree.sizes" in keys:
        out["ostree"]["showPrintSizes"] = ostree(repo, "show", "--print-sizes", checksum)
    if detached is not None:
        out["ostree"]["showDetachedKey"] = {
            k: ostree(repo, "show", f"--print-detached-metadata-key={k}", checksum)
            for k in DETACHED_KEYS}
    return out


CAT_PATHS = ["/README.txt", "/data/größe.txt"]
DETACHED_KEYS = ["test.detached"]


def build_manifest(args) -> dict:
    repo, mode = args.repo, args.mode
    if args.original:
        compare_trees(args.original, repo)  # before any ostree command touches the copy
    rels = walk(repo)
    objects, files = [], []
    for rel in rels:
        e = entry_info(repo, rel)
        m = OBJ_RE.match(rel)
        if not m:
            if e["type"] == "file" and e["size"] <= 4096:
                with open(os.path.join(repo, rel), "rb") as f:
                    e["contentHex"] = f.read().hex()
            files.append(e)
            continue
        checksum, objtype = m.group(1) + m.group(2), m.group(3)
        o = {"path": rel, "checksum": checksum, "objtype": objtype,
             "type": e["type"], "size": e["size"], "mode": e["mode"],
             "uid": e["uid"], "gid": e["gid"]}
        if "symlinkTarget" in e:
            o["symlinkTarget"] = e["symlinkTarget"]
        o["xattrs"] = e["xattrs"]
        p = os.path.join(repo, rel)
        if objtype in ("commit", "dirtree", "dirmeta"):
            with open(p, "rb") as f:
                data = f.read()
            assert hashlib.sha256(data).hexdigest() == checksum, rel
            assert variant(META_TYPES[objtype], data).is_normal_form(), rel
        elif objtype in ("file", "filez"):
            info = verified_content(mode, p, checksum)
            o["content"] = {
                "uid": info["uid"], "gid": info["gid"], "mode": octal(info["mode"]),
                "symlinkTarget": info["target"] if stat.S_ISLNK(info["mode"]) else None,
                "xattrs": info["xattrs"],
                "payloadSize": len(info["payload"]),
                "payloadSha256": hashlib.sha256(info["payload"]).hexdigest(),
                "headerHex": info["header"].hex(),
            }
        objects.append(o)

    refs: dict[str, str] = {}
    heads = os.path.join(repo, "refs", "heads")
    for dirpath, _, filenames in os.walk(heads):
        for n in filenames:
            p = os.path.join(dirpath, n)
            with open(p) as f:
                refs[os.path.relpath(p, heads)] = f.read().strip()
    refs = dict(sorted(refs.items()))

    commit_sums = [o["checksum"] for o in objects if o["objtype"] == "commit"]
    commits = [commit_info(repo, c, refs) for c in commit_sums]
    commits.sort(key=lambda c: (c["timestamp"], c["checksum"]))

    with open(os.path.join(repo, "config")) as f:
        config = f.read()
    core_mode = re.search(r"^mode=(.*)$", config, re.M).group(1)

    fsck = run(["ostree", "fsck", f"--repo={repo}"], check=False)
    if fsck.returncode != 0:
        raise SystemExit(f"ostree fsck failed on extracted {mode}:\n{fsck.stdout.decode()}{fsck.stderr.decode()}")

    extra = {"refs": ostree(repo, "refs")}
    if os.path.exists(os.path.join(repo, "summary")):
        extra["summaryView"] = ostree(repo, "summary", "--view")

    counts: dict[str, int] = {}
    for o in objects:
        counts[o["objtype"]] = counts.get(o["objtype"], 0) + 1

    return {
        "schemaVersion": 1,
        "provenance": {
            "generator": "test-vectors/repos/generate.sh (+ manifest.py)",
            "ostreeVersion": run(["ostree", "--version"]).stdout.decode(),
            "tarVersion": run(["tar", "--version"]).stdout.decode().splitlines()[0],
            "glibVersion": f"{GLib.MAJOR_VERSION}.{GLib.MINOR_VERSION}.{GLib.MICRO_VERSION}",
            "generatedAt": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
            .isoformat().replace("+00:00", "Z"),
            "note": ("Produced by real ostree; manifest gathered from the tarball after a "
                     "round-trip extraction (tar --xattrs --xattrs-include='*')."),
        },
        "mode": mode,
        "coreMode": core_mode,
        "tarball": args.tarball,
        "repoDir": "repo",
        "config": config,
        "refs": refs,
        "commits": commits,
        "objectCounts": dict(sorted(counts.items())),
        "objects": objects,
        "files": files,
        "fsck": {"command": "ostree fsck --repo=REPO", "exitCode": fsck.returncode,
                 "stdout": fsck.stdout.decode(), "stderr": fsck.stderr.decode()},
        "ostreeOutputs": extra,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--original", default="")
    ap.add_argument("--tarball", required=True)
    ap.add_argument("--previous", default="")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    m = build_manifest(args)
    if args.previous and os.environ.get("ALLOW_CHECKSUM_CHANGE") != "1":
        with open(args.previous) as f:
            prev = json.load(f)
        if prev.get("refs") != m["refs"]:
            raise SystemExit(f"{args.mode}: commit checksums changed vs previous manifest "
                             f"({prev.get('refs')} -> {m['refs']}); set ALLOW_CHECKSUM_CHANGE=1")
    with open(args.out, "w") as f:
        json.dump(m, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
