#!/usr/bin/python3
"""Reads and edits the bspatch ops of a static delta written by real ostree (test oracle).

  ostree-delta.py extract SUPERBLOCK
      JSON list, one entry per `B` op of every part file: part index, object size (from the
      preceding `o`), base64 of the patch payload.
  ostree-delta.py replace SUPERBLOCK N PATCH_FILE
      Makes the N-th `B` op use PATCH_FILE instead: the patch is appended to its part's payload,
      the op's (offset, length) rewritten, the part re-serialised and xz-compressed as ostree
      does (preset 8, CRC64), and the superblock's part header (checksum, size) updated.

Formats: spec §5 (superblock (a{sv}tayay(a{sv}aya(say)sstayay)aya(uayttay)a(yaytt)), part
file = compression byte + (a(uuu)aa(ayay)ayay), ops with LEB128 arguments).
"""
import base64
import hashlib
import json
import lzma
import os
import sys

import gi

gi.require_version("GLib", "2.0")
from gi.repository import GLib  # noqa: E402

SUPERBLOCK = "(a{sv}tayay(a{sv}aya(say)sstayay)aya(uayttay)a(yaytt))"
PART = "(a(uuu)aa(ayay)ayay)"
FILE_OBJECT = 1
# Arguments of each op; `S` depends on the object it creates (metadata 2, content 4).
ARITY = {ord("o"): 3, ord("w"): 2, ord("r"): 1, ord("R"): 0, ord("c"): 0, ord("B"): 2}


def variant(type_string, data):
    return GLib.Variant.new_from_bytes(GLib.VariantType(type_string), GLib.Bytes.new(data), False)


def raw(v):
    return bytes(v.get_data_as_bytes().get_data())


def varint(data, at):
    value = shift = 0
    while True:
        b = data[at]
        at += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, at


def put_varint(value):
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        out.append(b | (0x80 if value else 0))
        if not value:
            return bytes(out)


def parse_ops(ops, objects):
    """Yields (opcode, args, start, end) for every op."""
    types = [objects[i] for i in range(0, len(objects), 33)]
    index = at = 0
    while at < len(ops):
        start, op = at, ops[at]
        at += 1
        if op == ord("S"):
            n = 4 if types[index] == FILE_OBJECT else 2
            index += 1
        else:
            n = ARITY[op]
            if op == ord("c"):
                index += 1
        args = []
        for _ in range(n):
            value, at = varint(ops, at)
            args.append(value)
        yield op, args, start, at


def load(superblock_path):
    sb = variant(SUPERBLOCK, open(superblock_path, "rb").read())
    headers = sb.get_child_value(6)
    parts = []
    for i in range(headers.n_children()):
        header = headers.get_child_value(i)
        path = os.path.join(os.path.dirname(superblock_path), str(i))
        data = open(path, "rb").read()
        assert hashlib.sha256(data).digest() == raw(header.get_child_value(1)), "part checksum"
        body = lzma.decompress(data[1:]) if data[0] == ord("x") else data[1:]
        assert data[0] in (0, ord("x"))
        part = variant(PART, body)
        parts.append((path, header, part))
    return sb, parts


def bspatch_ops(parts):
    for p, (_, header, part) in enumerate(parts):
        payload, ops = raw(part.get_child_value(2)), raw(part.get_child_value(3))
        size = None
        for op, args, start, end in parse_ops(ops, raw(header.get_child_value(4))):
            if op == ord("o"):
                size = args[2]
            if op == ord("B"):
                yield p, size, payload[args[0]:args[0] + args[1]], start, end


def extract(superblock_path):
    _, parts = load(superblock_path)
    print(json.dumps([
        {"part": p, "size": size, "patch": base64.b64encode(patch).decode()}
        for p, size, patch, _, _ in bspatch_ops(parts)
    ]))


def replace(superblock_path, n, patch_path):
    sb, parts = load(superblock_path)
    p, _, _, start, end = list(bspatch_ops(parts))[n]
    path, header, part = parts[p]
    new_patch = open(patch_path, "rb").read()
    payload, ops = raw(part.get_child_value(2)), raw(part.get_child_value(3))
    ops = ops[:start] + b"B" + put_varint(len(payload)) + put_varint(len(new_patch)) + ops[end:]
    payload = payload + new_patch
    body = GLib.Variant.new_tuple(
        part.get_child_value(0), part.get_child_value(1), GLib.Variant("ay", payload), GLib.Variant("ay", ops)
    )
    data = b"x" + lzma.compress(raw(body), format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=8)
    open(path, "wb").write(data)
    new_header = GLib.Variant.new_tuple(
        header.get_child_value(0),
        GLib.Variant("ay", hashlib.sha256(data).digest()),
        GLib.Variant("t", len(data)),
        header.get_child_value(3),
        header.get_child_value(4),
    )
    headers = sb.get_child_value(6)
    children = [new_header if i == p else headers.get_child_value(i) for i in range(headers.n_children())]
    new_headers = GLib.Variant.new_array(GLib.VariantType("(uayttay)"), children)
    new_sb = GLib.Variant.new_tuple(*[new_headers if i == 6 else sb.get_child_value(i) for i in range(sb.n_children())])
    open(superblock_path, "wb").write(raw(new_sb))


if __name__ == "__main__":
    if sys.argv[1] == "extract":
        extract(sys.argv[2])
    elif sys.argv[1] == "replace":
        replace(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit("usage: ostree-delta.py extract SUPERBLOCK | replace SUPERBLOCK N PATCH")
