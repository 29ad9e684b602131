#!/usr/bin/python3
"""Writes test-vectors/objects/*.json from repos extracted by generate.sh (see there)."""
from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import stat
import subprocess
import sys

sys.dont_write_bytecode = True  # keep test-vectors/repos free of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "repos"))
import manifest as M  # noqa: E402

MODES = ["archive", "bare-user", "bare-user-only", "bare"]
MAX_PAYLOAD = 64 * 1024
MAX_OBJECT = 64 * 1024


def provenance(description: str) -> dict:
    return {
        "generator": "test-vectors/objects/generate.sh (+ extract.py)",
        "source": "test-vectors/repos/<mode>.tar.gz (made by test-vectors/repos/generate.sh)",
        "ostreeVersion": M.run(["ostree", "--version"]).stdout.decode(),
        "glibVersion": f"{M.GLib.MAJOR_VERSION}.{M.GLib.MINOR_VERSION}.{M.GLib.MICRO_VERSION}",
        "generatedAt": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        .isoformat().replace("+00:00", "Z"),
        "description": description,
    }


def objects_in(repo: str):
    for rel in M.walk(repo):
        m = M.OBJ_RE.match(rel)
        if m:
            yield rel, m.group(1) + m.group(2), m.group(3)


def read(p: str) -> bytes:
    with open(p, "rb") as f:
        return f.read()


def write(out: str, kind: str, description: str, vectors: list, **extra) -> None:
    doc = {"schemaVersion": 1, "kind": kind, "provenance": provenance(description)}
    doc.update(extra)
    doc["vectors"] = vectors
    with open(os.path.join(out, f"{kind}.json"), "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


def metadata_vectors(work: str, objtype: str) -> list:
    by_sum: dict[str, dict] = {}
    for mode in MODES:
        repo = os.path.join(work, mode, "repo")
        for rel, checksum, t in objects_in(repo):
            if t != objtype:
                continue
            data = read(os.path.join(repo, rel))
            if checksum in by_sum:
                v = by_sum[checksum]
                assert bytes.fromhex(v["hex"]) == data, (checksum, mode)
                v["repos"].append(mode)
                continue
            vt = M.META_TYPES[objtype]
            var = M.variant(vt, data)
            sha = hashlib.sha256(data).hexdigest()
            if objtype != "commitmeta":
                assert sha == checksum, rel
            by_sum[checksum] = {
                "checksum": checksum, "objtype": objtype, "repo": mode, "path": rel,
                "repos": [mode], "size": len(data), "sha256": sha,
                "variantType": vt, "normalForm": var.is_normal_form(),
                "variantText": var.print_(True), "hex": data.hex(),
            }
    return sorted(by_sum.values(), key=lambda v: v["checksum"])


def info_fields(info: dict) -> dict:
    return {
        "uid": info["uid"], "gid": info["gid"], "mode": M.octal(info["mode"]),
        "symlinkTarget": info["target"] if stat.S_ISLNK(info["mode"]) else None,
        "xattrs": info["xattrs"],
    }


def filez_vectors(work: str) -> tuple[list, list]:
    repo = os.path.join(work, "archive", "repo")
    vecs, skipped = [], []
    for rel, checksum, t in objects_in(repo):
        if t != "filez":
            continue
        p = os.path.join(repo, rel)
        data = read(p)
        info = M.verified_content("archive", p, checksum)
        if len(data) > MAX_OBJECT or len(info["payload"]) > MAX_PAYLOAD:
            skipped.append({"checksum": checksum, "path": rel, "size": len(data),
                            "payloadSize": len(info["payload"]), "reason": "larger than 64 KiB"})
            continue
        vecs.append({
            "checksum": checksum, "objtype": "filez", "repo": "archive", "path": rel,
            "size": len(data), **info_fields(info),
            "storedHeaderType": M.ARCHIVEHDR_T,
            "storedHeaderHex": info["storedHeader"].hex(),
            "storedHeaderText": M.variant(M.ARCHIVEHDR_T, info["storedHeader"]).print_(True),
            "payloadSize": len(info["payload"]),
            "compressedPayloadHex": info["compressed"].hex(),
            "payloadHex": info["payload"].hex(),
            "contentHeaderHex": info["header"].hex(),
            "hex": data.hex(),
        })
    return vecs, skipped


def content_stream_vectors(work: str) -> tuple[list, list]:
    by_sum: dict[str, dict] = {}
    skipped: dict[str, dict] = {}
    for mode in MODES:
        repo = os.path.join(work, mode, "repo")
        for rel, checksum, t in objects_in(repo):
            if t not in ("file", "filez"):
                continue
            info = M.verified_content(mode, os.path.join(repo, rel), checksum)
            src = {"repo": mode, "path": rel}
            if len(info["payload"]) > MAX_PAYLOAD:
                skipped.setdefault(checksum, {"checksum": checksum, "payloadSize": len(info["payload"]),
                                              "reason": "payload larger than 64 KiB",
                                              "derivedFrom": []})["derivedFrom"].append(src)
                continue
            if checksum in by_sum:
                v = by_sum[checksum]
                assert v["streamHex"] == info["stream"].hex(), (checksum, mode)
                v["derivedFrom"].append(src)
                continue
            by_sum[checksum] = {
                "checksum": checksum, "objtype": "file", "derivedFrom": [src],
                **info_fields(info),
                "headerType": M.FILEHDR_T,
                "headerHex": info["header"].hex(),
                "headerText": M.variant(M.FILEHDR_T, info["header"]).print_(True),
                "payloadSize": len(info["payload"]),
                "payloadHex": info["payload"].hex(),
                "streamHex": info["stream"].hex(),
            }
    return (sorted(by_sum.values(), key=lambda v: v["checksum"]),
            sorted(skipped.values(), key=lambda v: v["checksum"]))


def tombstone_vectors(work: str, deleted: str, kept: str) -> tuple[list, dict]:
    repo = os.path.join(work, "tombstone", "repo")
    vecs = []
    for rel, checksum, t in objects_in(repo):
        if t != "tombstone-commit":
            continue
        data = read(os.path.join(repo, rel))
        var = M.variant("a{sv}", data)
        vecs.append({
            "checksum": checksum, "objtype": "tombstone-commit", "repo": "archive (scratch copy)",
            "path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "variantType": "a{sv}", "normalForm": var.is_normal_form(),
            "variantText": var.print_(True), "hex": data.hex(),
        })
    assert [v["checksum"] for v in vecs] == [deleted], vecs
    objdir = os.path.join(repo, "objects", deleted[:2])

    def txt(name: str) -> str:
        with open(os.path.join(work, "tombstone", name)) as f:
            return f.read()

    scenario = {
        "commands": [
            "cp -a <archive repo> SCRATCH",
            "ostree config set --repo=SCRATCH core.tombstone-commits true",
            f"ostree reset --repo=SCRATCH test/main {kept}",
            f"ostree prune --repo=SCRATCH --delete-commit={deleted}",
        ],
        "deletedCommit": deleted,
        "refAfter": {"test/main": kept},
        "pruneOutput": txt("prune.out"),
        "commitObjectRemains": os.path.exists(os.path.join(objdir, deleted[2:] + ".commit")),
        "commitmetaRemains": os.path.exists(os.path.join(objdir, deleted[2:] + ".commitmeta")),
        "configAfter": open(os.path.join(repo, "config")).read(),
        "fsckAfter": {"exitCode": int(txt("fsck.rc")), "stdout": txt("fsck.out"),
                      "stderr": txt("fsck.err")},
    }
    return vecs, scenario


def summary_vectors(work: str) -> list:
    repo = os.path.join(work, "archive", "repo")
    data = read(os.path.join(repo, "summary"))
    t = "(a(s(taya{sv}))a{sv})"
    var = M.variant(t, data)
    return [{
        "objtype": "summary", "repo": "archive", "path": "summary", "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(), "variantType": t,
        "normalForm": var.is_normal_form(), "variantText": var.print_(True),
        "ostreeSummaryView": M.ostree(repo, "summary", "--view"),
        "hex": data.hex(),
    }]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--deleted-commit", required=True)
    ap.add_argument("--kept-commit", required=True)
    a = ap.parse_args()

    note = ("GVariant text (variantText) is g_variant_print() of the raw bytes; ostree stores "
            "integers big-endian, so on this little-endian host they print byte-swapped.")
    for t, desc in [
        ("commit", "commit objects (a{sv}aya(say)sstayay); checksum = sha256(bytes)"),
        ("dirtree", "dirtree objects (a(say)a(sayay)); checksum = sha256(bytes)"),
        ("dirmeta", "dirmeta objects (uuua(ayay)); checksum = sha256(bytes)"),
        ("commitmeta", "detached commit metadata a{sv}; named after its commit, NOT a hash of "
                       "its bytes (sha256 field is just the hash of the bytes)"),
    ]:
        write(a.out, t, desc + ". " + note, metadata_vectors(a.work, t))

    vecs, skipped = filez_vectors(a.work)
    write(a.out, "filez",
          "archive-mode content objects: BE32(len Z) 00000000 Z raw-deflate(payload), "
          "Z = (tuuuusa(ayay)) big-endian. checksum = sha256 of the UNCOMPRESSED content stream "
          "(see content-stream.json, joined by checksum).", vecs, skipped=skipped)

    vecs, skipped = content_stream_vectors(a.work)
    write(a.out, "content-stream",
          "canonical content streams: BE32(len H) 00000000 H payload with "
          "H = (uuuusa(ayay)) big-endian; checksum = sha256(streamHex). Rebuilt from each repo "
          "mode's stored form (headers re-serialized with GLib) and verified against the object "
          "name.", vecs, skipped=skipped)

    vecs, scenario = tombstone_vectors(a.work, a.deleted_commit, a.kept_commit)
    write(a.out, "tombstone-commit",
          "tombstone written by `ostree prune --delete-commit` with core.tombstone-commits=true; "
          "named after the deleted commit, content a{sv} {'commit': <ay: hex checksum + NUL>}. "
          + note, vecs, scenario=scenario)

    write(a.out, "summary", "the archive repo's summary file (a(s(taya{sv}))a{sv}), "
          "generated under faketime. " + note, summary_vectors(a.work))


if __name__ == "__main__":
    main()
