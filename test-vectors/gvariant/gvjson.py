"""Type-directed JSON <-> GLib.Variant conversion shared by generate.py and the live test oracle.

The JSON encoding of a value depends on its GVariant type string (which is always stored
beside it), so it is unambiguous:

  b              true / false
  y n q i u h    JSON number
  x t            decimal string, e.g. "-9223372036854775808"
  d              JSON number, or one of the strings "NaN", "Infinity", "-Infinity", "-0"
  s o g          JSON string
  ay             lowercase hex string ("" for empty)
  aT             JSON array of T (a{KV} is an array of [key, value] pairs)
  (T1...Tn)      JSON array of n items; () is []
  {KV}           [key, value]
  v              {"type": "<type string>", "value": <JSON of value>}
  mT             null for Nothing; for Just(x): JSON of x, or {"just": JSON of x} when T is
                 itself a maybe type (so Just(Nothing) = {"just": null} differs from Nothing)

Values are built with the explicit GLib.Variant.new_* constructors and read back with the
explicit getters, never with PyGObject's unpack(), which cannot tell Nothing from Just(Nothing).
"""

import math

import gi  # noqa: F401  (python3-gi)
from gi.repository import GLib

BASIC = "bynqiuxthdsog"


def split_one(t, i=0):
    """Index just after the complete type string starting at t[i]."""
    c = t[i]
    if c in BASIC or c == "v":
        return i + 1
    if c in "am":
        return split_one(t, i + 1)
    if c == "(":
        i += 1
        while t[i] != ")":
            i = split_one(t, i)
        return i + 1
    if c == "{":
        i = split_one(t, i + 1)
        i = split_one(t, i)
        assert t[i] == "}"
        return i + 1
    raise ValueError("bad type string %r" % t)


def members(t):
    """Member type strings of a tuple or dict entry type string."""
    out = []
    i = 1
    while t[i] not in ")}":
        j = split_one(t, i)
        out.append(t[i:j])
        i = j
    return out


def double_to_json(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0 and math.copysign(1.0, x) < 0:
        return "-0"
    return x


def double_from_json(j):
    if isinstance(j, str):
        return {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}[j]
    return float(j)


def from_json(t, j):
    """GLib.Variant of type t holding the JSON value j."""
    c = t[0]
    if c == "b":
        return GLib.Variant.new_boolean(j)
    if c == "y":
        return GLib.Variant.new_byte(j)
    if c == "n":
        return GLib.Variant.new_int16(j)
    if c == "q":
        return GLib.Variant.new_uint16(j)
    if c == "i":
        return GLib.Variant.new_int32(j)
    if c == "u":
        return GLib.Variant.new_uint32(j)
    if c == "h":
        return GLib.Variant.new_handle(j)
    if c == "x":
        return GLib.Variant.new_int64(int(j))
    if c == "t":
        return GLib.Variant.new_uint64(int(j))
    if c == "d":
        return GLib.Variant.new_double(double_from_json(j))
    if c == "s":
        return GLib.Variant.new_string(j)
    if c == "o":
        return GLib.Variant.new_object_path(j)
    if c == "g":
        return GLib.Variant.new_signature(j)
    if c == "v":
        return GLib.Variant.new_variant(from_json(j["type"], j["value"]))
    if c == "a":
        el = t[1:]
        if el == "y":
            return GLib.Variant.new_from_bytes(GLib.VariantType.new("ay"), GLib.Bytes.new(bytes.fromhex(j)), True)
        return GLib.Variant.new_array(GLib.VariantType.new(el), [from_json(el, x) for x in j])
    if c == "m":
        el = t[1:]
        if j is None:
            return GLib.Variant.new_maybe(GLib.VariantType.new(el), None)
        inner = j["just"] if el[0] == "m" else j
        return GLib.Variant.new_maybe(GLib.VariantType.new(el), from_json(el, inner))
    if c == "(":
        ms = members(t)
        assert len(ms) == len(j), (t, j)
        return GLib.Variant.new_tuple(*[from_json(m, x) for m, x in zip(ms, j)])
    if c == "{":
        k, v = members(t)
        return GLib.Variant.new_dict_entry(from_json(k, j[0]), from_json(v, j[1]))
    raise ValueError(t)


def to_json(v):
    """JSON value of a GLib.Variant (as GLib reads it, including its substitutions for bad data)."""
    t = v.get_type_string()
    c = t[0]
    if c == "b":
        return v.get_boolean()
    if c == "y":
        return v.get_byte()
    if c == "n":
        return v.get_int16()
    if c == "q":
        return v.get_uint16()
    if c == "i":
        return v.get_int32()
    if c == "u":
        return v.get_uint32()
    if c == "h":
        return v.get_handle()
    if c == "x":
        return str(v.get_int64())
    if c == "t":
        return str(v.get_uint64())
    if c == "d":
        return double_to_json(v.get_double())
    if c in "sog":
        return v.get_string()
    if c == "v":
        inner = v.get_variant()
        return {"type": inner.get_type_string(), "value": to_json(inner)}
    if t == "ay":
        return bytes(v.get_data_as_bytes().get_data()).hex()
    if c == "m":
        inner = v.get_maybe()
        if inner is None:
            return None
        return {"just": to_json(inner)} if t[1] == "m" else to_json(inner)
    # arrays, tuples, dict entries
    return [to_json(v.get_child_value(i)) for i in range(v.n_children())]


def parse(t, data):
    """GLib.Variant of type t over untrusted bytes (as ostree loads metadata)."""
    return GLib.Variant.new_from_bytes(GLib.VariantType.new(t), GLib.Bytes.new(bytes(data)), False)


def serialise(v):
    return bytes(v.get_data_as_bytes().get_data())


def glib_version():
    """Runtime GLib version (GLib.MAJOR_VERSION etc. describe the typelib, not the library)."""
    import ctypes

    lib = ctypes.CDLL("libglib-2.0.so.0")
    return ".".join(str(ctypes.c_uint.in_dll(lib, n).value) for n in ("glib_major_version", "glib_minor_version", "glib_micro_version"))
