#!/usr/bin/python3
"""Generates the GVariant test vectors in this directory with GLib (python3-gi) as the oracle.

Run from the repository root:   /usr/bin/python3 test-vectors/gvariant/generate.py

Deterministic: a fixed seed drives every random choice; only the "generated" timestamp changes
between runs (set SOURCE_DATE_EPOCH to pin it). See README.md for the file format and gvjson.py
for the JSON value encoding.
"""

import datetime
import gzip
import json
import math
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gi  # noqa: E402

from gi.repository import GLib  # noqa: E402

import gvjson  # noqa: E402
from gvjson import BASIC, from_json, parse, serialise, to_json  # noqa: E402

SEED = 20240521
R = random.Random(SEED)


def provenance(topic, description):
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    return {
        "generator": "test-vectors/gvariant/generate.py",
        "oracle": "GLib %s via PyGObject %s (python %s)" % (gvjson.glib_version(), gi.__version__, sys.version.split()[0]),
        "glibVersion": gvjson.glib_version(),
        "generated": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": SEED,
        "topic": topic,
        "description": description,
        "valueEncoding": "type-directed JSON, see gvjson.py / README.md",
    }


def case(t, value, note=None, bswap=False):
    """A normal-form case: GLib builds the value and serialises it."""
    v = from_json(t, value)
    data = serialise(v)
    # Sanity: GLib must read back the same value and call its own output normal.
    back = parse(t, data)
    assert back.is_normal_form(), (t, value)
    assert to_json(back) == to_json(v), (t, value)
    out = {"type": t, "value": to_json(v), "hex": data.hex()}
    if bswap:
        out["bswap"] = serialise(v.byteswap()).hex()
    if note:
        out["note"] = note
    return out


# ---------------------------------------------------------------- random types and values

STRINGS = [
    "",
    "a",
    "hello world",
    "h\u00e9llo",
    "\u65e5\u672c\u8a9e",
    "\U0001f600 emoji",
    "\u00ff",
    "\uffff",
    "\ufdd0",
    "\U0010ffff",
    "\ufeffBOM first",
    "tab\there\nnewline",
    "quote \" backslash \\",
    "\u0001\u001f\u007f",
    "usr/lib/os-release",
    "version",
    "ostree.ref-binding",
]
CHAR_POOLS = [
    "abcdefghijklmnopqrstuvwxyz0123456789._-/",
    "\u00e9\u00fc\u00df\u00f8\u0101\u0410\u05d0\u0627",
    "\u4e00\u4e8c\u4e09\u3042\u30a2\uac00\u20ac\u2603",
    "\U0001f600\U0001f4a9\U00010348\U0001d11e",
]


def rand_string(r):
    k = r.random()
    if k < 0.45:
        return r.choice(STRINGS)
    n = r.choice([1, 2, 5, 10, 30]) if k < 0.97 else r.randint(200, 320)
    pool = "".join(r.sample(CHAR_POOLS, r.randint(1, len(CHAR_POOLS))))
    return "".join(r.choice(pool) for _ in range(n))


def rand_object_path(r):
    if r.random() < 0.2:
        return "/"
    segs = r.randint(1, 4)
    alphabet = "abcXYZ019_"
    return "".join("/" + "".join(r.choice(alphabet) for _ in range(r.randint(1, 6))) for _ in range(segs))


def rand_signature(r):
    if r.random() < 0.15:
        return ""
    types = []
    for _ in range(r.randint(1, 3)):
        t = rand_type(r, 2, allow_maybe=False)
        types.append(t)
    return "".join(types)


SPECIAL_DOUBLES = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, math.pi, 0.1, 1e300, -1e-300, 5e-324, -5e-324,
                   2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
                   float("inf"), float("-inf"), float("nan"), 9007199254740993.0, 123456789.125]


def rand_double(r):
    if r.random() < 0.5:
        return r.choice(SPECIAL_DOUBLES)
    while True:
        x = struct.unpack("<d", struct.pack("<Q", r.getrandbits(64)))[0]
        if not math.isnan(x):  # NaN payloads other than the canonical one are not representable in JS
            return x


INT_RANGES = {
    "y": (0, 255),
    "n": (-(2**15), 2**15 - 1),
    "q": (0, 2**16 - 1),
    "i": (-(2**31), 2**31 - 1),
    "h": (-(2**31), 2**31 - 1),
    "u": (0, 2**32 - 1),
    "x": (-(2**63), 2**63 - 1),
    "t": (0, 2**64 - 1),
}


def rand_int(r, c):
    lo, hi = INT_RANGES[c]
    k = r.random()
    if k < 0.3:
        return r.choice([lo, hi, 0, 1 if hi > 0 else 0, -1 if lo < 0 else hi - 1])
    if k < 0.5 and hi > 2**53:
        return r.randint(max(lo, -(2**53) - 5), 2**53 + 5)
    return r.randint(lo, hi)


def rand_type(r, depth, allow_maybe=True):
    basics = BASIC + "v"
    if depth <= 0 or r.random() < 0.4:
        return r.choice(basics)
    k = r.random()
    if k < 0.28:
        return "a" + rand_type(r, depth - 1, allow_maybe)
    if k < 0.43:
        return "a{" + r.choice(BASIC) + rand_type(r, depth - 1, allow_maybe) + "}"
    if k < 0.58 and allow_maybe:
        return "m" + rand_type(r, depth - 1, allow_maybe)
    if k < 0.95:
        return "(" + "".join(rand_type(r, depth - 1, allow_maybe) for _ in range(r.randint(0, 4))) + ")"
    return "{" + r.choice(BASIC) + rand_type(r, depth - 1, allow_maybe) + "}"


def rand_value(r, t, depth=3):
    c = t[0]
    if c == "b":
        return r.random() < 0.5
    if c in INT_RANGES:
        x = rand_int(r, c)
        return str(x) if c in "xt" else x
    if c == "d":
        return gvjson.double_to_json(rand_double(r))
    if c == "s":
        return rand_string(r)
    if c == "o":
        return rand_object_path(r)
    if c == "g":
        return rand_signature(r)
    if c == "v":
        vt = rand_type(r, max(0, min(2, depth - 1)))
        return {"type": vt, "value": rand_value(r, vt, depth - 1)}
    if t == "ay":
        n = r.choice([0, 1, 3, 8, 32]) if r.random() < 0.97 else r.randint(250, 300)
        return bytes(r.getrandbits(8) for _ in range(n)).hex()
    if c == "a":
        n = r.choice([0, 0, 1, 2, 3, 5])
        return [rand_value(r, t[1:], depth - 1) for _ in range(n)]
    if c == "m":
        if r.random() < 0.3:
            return None
        inner = rand_value(r, t[1:], depth - 1)
        return {"just": inner} if t[1] == "m" else inner
    if c in "({":
        return [rand_value(r, m, depth - 1) for m in gvjson.members(t)]
    raise ValueError(t)


# ---------------------------------------------------------------- topics

def basic_cases():
    out = []
    for b in (False, True):
        out.append(case("b", b, bswap=True))
    for c, (lo, hi) in INT_RANGES.items():
        vals = {lo, hi, 0, 1, lo + 1, hi - 1, (lo + hi) // 2}
        if lo < 0:
            vals |= {-1, -2}
        if hi > 2**53:
            vals |= {2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1}
            if lo < 0:
                vals |= {-(2**53) - 1, -(2**53)}
        vals = {v for v in vals if lo <= v <= hi}
        for _ in range(8):
            vals.add(R.randint(lo, hi))
        for v in sorted(vals):
            out.append(case(c, str(v) if c in "xt" else v, bswap=True))
    for d in SPECIAL_DOUBLES:
        out.append(case("d", gvjson.double_to_json(d), bswap=True))
    for _ in range(20):
        out.append(case("d", gvjson.double_to_json(rand_double(R)), bswap=True))
    for s in STRINGS + ["a" * 300, "\u00e9" * 200, "x\u0000y".replace("\u0000", "")]:
        out.append(case("s", s))
    for _ in range(20):
        out.append(case("s", rand_string(R)))
    for o in ["/", "/a", "/org/freedesktop/DBus", "/_/9/Z", "/a_b/C1/d2"]:
        out.append(case("o", o))
    for g in ["", "s", "a{sv}", "(ii)", "ss", "a(say)", "{sv}", "v", "aaai", "(a{sv}(yy)h)", "()"]:
        out.append(case("g", g))
    return out


def container_cases():
    out = []
    fixed_cases = [
        ("ay", ""), ("ay", "00"), ("ay", "000102ff"), ("ab", [True, False, True]), ("an", [-1, 2, 32767]),
        ("aq", [65535]), ("ai", []), ("au", [1, 2, 3]), ("ax", ["-1", "9223372036854775807"]),
        ("at", ["18446744073709551615"]), ("ad", [1.5, "NaN", "-0"]), ("ah", [3]),
        ("()", []), ("(())", [[]]), ("(()())", [[], []]), ("a()", [[], [], []]), ("a()", []),
        ("(y)", [7]), ("(yt)", [1, "2"]), ("(ty)", ["2", 1]), ("(uuu)", [1, 2, 3]), ("(yqut)", [1, 2, 3, "4"]),
        ("a(yu)", [[1, 2], [3, 4]]), ("a(ty)", [["1", 2]]), ("(y(uy)d)", [1, [2, 3], 4.25]),
        ("{yy}", [1, 2]), ("{ss}", ["k", "v"]), ("{sv}", ["k", {"type": "s", "value": "v"}]),
        ("a{yy}", [[1, 2], [1, 3]]), ("a{ss}", [["b", "1"], ["a", "2"], ["b", "3"]]),
        ("as", []), ("as", [""]), ("as", ["a", "bc"]), ("as", ["", "", ""]), ("aas", [[], ["x"], []]),
        ("aay", ["", "01", ""]), ("aaay", [[], [""], ["00", "0101"]]),
        ("(sas)", ["x", ["y"]]), ("(say)", ["ab", "0102"]), ("(ss)", ["", ""]), ("(ayay)", ["", ""]),
        ("(asas)", [[], []]), ("(sus)", ["a", 1, "b"]), ("(ysyx)", [1, "s", 2, "3"]),
        ("(a{sv}aya(say)sstayay)", [[["version", {"type": "s", "value": "1.0"}]], "", [], "Subject", "Body", "1609459200", "00" * 32, "11" * 32]),
        ("(a(say)a(sayay))", [[["file", "aa" * 32]], [["dir", "bb" * 32, "cc" * 32]]]),
        ("(uuua(ayay))", [0, 0, 16877, [["757365722e7800", "76616c"]]]),
        ("(a(s(taya{sv}))a{sv})", [[["main", ["174", "dd" * 32, [["ostree.commit.timestamp", {"type": "t", "value": "6917529027641081856"}]]]]], [["ostree.summary.last-modified", {"type": "t", "value": "1"}]]]),
        ("a{sv}", []), ("a{sv}", [["k", {"type": "s", "value": "v"}]]),
        ("a{sv}", [["a", {"type": "u", "value": 1}], ["b", {"type": "as", "value": ["x", "y"]}], ["a", {"type": "ay", "value": "00ff"}]]),
        ("a{sv}", [["n", {"type": "(ii)", "value": [1, -1]}], ["m", {"type": "ms", "value": None}], ["v", {"type": "v", "value": {"type": "b", "value": True}}]]),
        ("ms", None), ("ms", ""), ("ms", "ab"), ("mu", None), ("mu", 5), ("my", 0), ("mb", False), ("mt", "7"),
        ("mas", None), ("mas", []), ("mas", ["a"]), ("may", ""), ("m(yu)", [1, 2]), ("m(su)", ["s", 1]),
        ("m()", []), ("m()", None), ("mv", {"type": "y", "value": 1}),
        ("mmy", None), ("mmy", {"just": None}), ("mmy", {"just": 5}), ("mms", {"just": None}), ("mms", {"just": ""}),
        ("mmmu", {"just": {"just": None}}), ("mmmu", {"just": {"just": 9}}), ("mmmu", {"just": None}),
        ("ams", [None, "a", None, ""]), ("amu", [None, 1, None]), ("amay", [None, "", "01"]), ("a(msmu)", [[None, None], ["x", 3]]),
        ("v", {"type": "u", "value": 7}), ("v", {"type": "()", "value": []}), ("v", {"type": "ay", "value": ""}),
        ("v", {"type": "v", "value": {"type": "v", "value": {"type": "s", "value": "deep"}}}),
        ("v", {"type": "a{sv}", "value": [["x", {"type": "mv", "value": None}]]}),
        ("v", {"type": "mmy", "value": {"just": None}}), ("av", []), ("av", [{"type": "t", "value": "1"}, {"type": "y", "value": 2}]),
        ("(vv)", [{"type": "s", "value": ""}, {"type": "d", "value": "-0"}]), ("(yv)", [1, {"type": "x", "value": "-5"}]),
        ("{tv}", ["1", {"type": "s", "value": "x"}]), ("a{ov}", [["/a", {"type": "g", "value": "a{sv}"}]]),
        ("(a{sv})", [[]]), ("((a{sv}))", [[[]]]), ("(s(s(s)))", ["a", ["b", ["c"]]]),
        ("aaaaay", [[[["01"]]]]), ("(((((((((((y)))))))))))", [[[[[[[[[[[1]]]]]]]]]]]),
    ]
    for t, v in fixed_cases:
        out.append(case(t, v, bswap=True))
    return out


def random_cases(n):
    out = []
    seen = 0
    while len(out) < n:
        t = rand_type(R, R.choice([1, 2, 3, 4]))
        v = rand_value(R, t, 4)
        seen += 1
        out.append(case(t, v, bswap=(seen % 3 == 0)))
    return out


def find_lengths(t, make, lengths, targets):
    """Lengths L for which GLib's serialisation of make(L) has a total size in targets."""
    hits = []
    for L in lengths:
        size = len(serialise(from_json(t, make(L))))
        if targets is None or size in targets:
            hits.append((L, size))
    return hits


FRAMING = [
    ("as", lambda L: ["a" * L]),
    ("as", lambda L: ["a" * L, ""]),
    ("as", lambda L: ["a" * (L // 2), "b" * (L - L // 2)]),
    ("(ss)", lambda L: ["a" * L, ""]),
    ("(sas)", lambda L: ["a" * L, ["b"]]),
    ("(say)", lambda L: ["a" * L, "01"]),
    ("(ayay)", lambda L: ["ab" * L, ""]),
    ("(ayu)", lambda L: ["ab" * L, 7]),
    ("(uay)", lambda L: [7, "ab" * L]),
    ("aay", lambda L: [""] * L),
    ("a(say)", lambda L: [["a" * L, "ff"]]),
    ("a(sayay)", lambda L: [["n", "ff" * L, "ee"]]),
    ("a{sv}", lambda L: [["k", {"type": "s", "value": "a" * L}]]),
    ("(a{sv}ay)", lambda L: [[["k", {"type": "ay", "value": "ab" * L}]], "01"]),
    ("(asas)", lambda L: [["a" * L], ["b"]]),
    ("(yv)", lambda L: [1, {"type": "as", "value": ["c" * L]}]),
]


def framing_cases(small):
    out = []
    if small:
        targets = set(range(250, 262))
        lengths = range(0, 300)
    else:
        targets = set(range(65530, 65542))
        lengths = range(65440, 65600)
    for t, make in FRAMING:
        if t == "aay":
            # L empty arrays cost only their offsets: the width changes at L = 256 and L = 32768
            hits = find_lengths(t, make, range(252, 260) if small else range(32764, 32772), None)
        else:
            hits = find_lengths(t, make, lengths, targets)
        for L, size in hits:
            out.append(case(t, make(L), note="total %d bytes, L=%d" % (size, L)))
    return out


def mutate(r, data):
    b = bytearray(data)
    k = r.randrange(8)
    if k == 0 and b:
        i = r.randrange(len(b))
        b[i] = r.randrange(256)
    elif k == 1 and b:
        i = r.randrange(len(b))
        b[i] ^= 1 << r.randrange(8)
    elif k == 2:
        b.insert(r.randrange(len(b) + 1), r.choice([0, 1, 0xff, r.randrange(256)]))
    elif k == 3 and b:
        del b[r.randrange(len(b))]
    elif k == 4:
        b += bytes(r.randrange(256) for _ in range(r.randint(1, 3)))
    elif k == 5 and b:
        del b[r.randrange(len(b)):]
    elif k == 6 and b:
        # framing offsets live at the end: perturb the last byte
        b[-1] = (b[-1] + r.choice([-2, -1, 1, 2])) & 0xFF
    elif b:
        i, j = r.randrange(len(b)), r.randrange(len(b))
        b[i], b[j] = b[j], b[i]
    return bytes(b)


CRAFTED_NON_NORMAL = [
    ("b", "02", "boolean other than 0/1"),
    ("b", "ff", "boolean other than 0/1"),
    ("(by)", "0205", "boolean other than 0/1 inside a tuple"),
    ("()", "01", "unit tuple byte not zero"),
    ("a()", "000100", "unit tuple byte not zero in an array"),
    ("(yu)", "0102030405000000", "non-zero padding"),
    ("(yt)", "01000000000000ff0200000000000000", "non-zero padding"),
    ("(ty)", "0100000000000000020000000000ff00", "non-zero trailing padding of a fixed tuple"),
    ("a(uy)", "0100000002000001", "non-zero trailing padding of a fixed element"),
    ("as", "6100620003", "offset table start out of range"),
    ("as", "61000063", "offset points beyond the data"),
    ("as", "6100", "no offset table"),
    ("as", "00", "empty string without terminator"),
    ("as", "01", "size 1 but offset table says zero elements"),
    ("as", "6100020002", "offsets decreasing"),
    ("as", "61" * 253 + "00" + "fe00", "offsets 2 bytes wide where 1 byte suffices"),
    ("(ss)", "61" * 252 + "00" + "00" + "fd00", "tuple offsets wider than needed"),
    ("(sy)", "6100050702", "gap between last member and offset table"),
    ("(sy)", "61000502ff", "trailing garbage"),
    ("(ys)", "0561000000", "garbage after the last member"),
    ("au", "010203", "size not a multiple of the element size"),
    ("au", "0100000002", "size not a multiple of the element size"),
    ("mu", "0102", "maybe of fixed type with wrong size"),
    ("mu", "0100000000", "maybe of fixed type with wrong size"),
    ("ms", "61620001", "maybe marker byte not zero"),
    ("ms", "00", "Just with empty (unterminated) string"),
    ("mmy", "0501", "inner maybe marker not zero"),
    ("s", "", "empty string bytes"),
    ("s", "6162", "no NUL terminator"),
    ("s", "61006200", "interior NUL"),
    ("s", "ff00", "invalid UTF-8"),
    ("s", "c0af00", "overlong UTF-8"),
    ("s", "eda08000", "UTF-8 encoded surrogate"),
    ("s", "f490808000", "code point beyond U+10FFFF"),
    ("s", "e28200", "truncated UTF-8 sequence"),
    ("o", "00", "empty object path"),
    ("o", "6100", "object path not starting with /"),
    ("o", "2f2f00", "empty path segment"),
    ("o", "2f612f00", "trailing slash"),
    ("o", "2f612d6200", "invalid character in object path"),
    ("g", "6d7900", "maybe in a signature"),
    ("g", "7a00", "invalid signature character"),
    ("g", "286900", "unterminated tuple in signature"),
    ("g", "7b767300", "dict entry with non-basic key"),
    ("v", "", "empty variant"),
    ("v", "00", "empty type string"),
    ("v", "0000", "empty type string after the last NUL"),
    ("v", "0175", "no NUL separator"),
    ("v", "0075", "fixed-size child with wrong size"),
    ("v", "050000000028757929", "fixed tuple child with wrong size"),
    ("(uv)", "010000000000000007000000ff0075", "garbage before the variant separator makes u the wrong size"),
    ("v", "010000000075ff", "invalid character in type string"),
    ("v", "0100000000757a", "not one complete type"),
    ("v", "00612a", "indefinite type a*"),
    ("v", "00616161", "incomplete type"),
    ("v", "61000073ff", "non-ASCII type string"),
    ("a{sv}", "6b00000000000000760000730a0d", "dict entry offset wrong"),
    ("a(ayay)", "0102", "element offset beyond data"),
    ("(ayy)", "0105", "ay member offset reading garbage"),
]


def variant_nest(k):
    data = b"\x05"
    t = b"y"
    for _ in range(k):
        data = data + b"\x00" + t
        t = b"v"
    return data


def nonnormal_cases(pool, n):
    out = []
    seen = set()

    def add(t, data, note):
        key = (t, data)
        if key in seen:
            return
        seen.add(key)
        v = parse(t, data)
        if v.is_normal_form():
            return
        nf = serialise(v.get_normal_form())
        out.append({"type": t, "hex": data.hex(), "normalHex": nf.hex(), "glibValue": to_json(v), "note": note})

    for t, h, note in CRAFTED_NON_NORMAL:
        add(t, bytes.fromhex(h), note)
    add("v", variant_nest(128), "128 nested variants: value depth limit")
    add("v", b"\x00" + b"a" * 127 + b"y", "variant child type too deep for its position")
    add("(v)", b"\x00" + b"a" * 126 + b"y", "variant child type too deep for its position")
    # mutations of normal cases whose types are shallow enough for GLib to handle safely
    candidates = [c for c in pool if len(c["type"]) <= 24]
    attempts = 0
    while len(out) < n and attempts < 200000:
        attempts += 1
        c = R.choice(candidates)
        data = bytes.fromhex(c["hex"])
        if len(data) > 600:
            continue
        m = mutate(R, data)
        if R.random() < 0.3:
            m = mutate(R, m)
        add(c["type"], m, "mutated")
    return out


def write(name, obj, gz=False):
    path = os.path.join(HERE, name)
    text = json.dumps(obj, ensure_ascii=False, indent=1) + "\n"
    if gz:
        with open(path, "wb") as f:
            # mtime=0 keeps the .gz byte-identical across runs
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
                z.write(text.encode("utf-8"))
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return path


def main():
    basic = basic_cases()
    containers = container_cases()
    rand = random_cases(1600)
    small = framing_cases(True)
    large = framing_cases(False)
    nonnormal = nonnormal_cases(basic + containers + rand, 400)

    write("basic.json", {"provenance": provenance("basic", "every basic type incl. extremes, special doubles, non-ASCII strings"), "cases": basic})
    write("containers.json", {"provenance": provenance("containers", "hand-picked arrays, tuples, dict entries, a{sv}, maybes (incl. nested), variants (incl. nested), ostree object types"), "cases": containers})
    write("random.json", {"provenance": provenance("random", "seeded random types (depth <= 4) and values"), "cases": rand})
    write("framing.json", {"provenance": provenance("framing", "framing-offset width boundary 1<->2 bytes (totals around 255/256)"), "cases": small})
    write("framing-large.json.gz", {"provenance": provenance("framing-large", "framing-offset width boundary 2<->4 bytes (totals around 65535/65536), gzipped"), "cases": large}, gz=True)
    write("nonnormal.json", {"provenance": provenance("nonnormal", "byte strings GLib's g_variant_is_normal_form() rejects, crafted and mutated; normalHex is GLib's g_variant_get_normal_form(), glibValue what GLib reads"), "cases": nonnormal})
    total = len(basic) + len(containers) + len(rand) + len(small) + len(large)
    print("normal cases: %d (basic %d, containers %d, random %d, framing %d + %d); non-normal: %d" % (
        total, len(basic), len(containers), len(rand), len(small), len(large), len(nonnormal)))


if __name__ == "__main__":
    main()
