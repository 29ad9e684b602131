#!/usr/bin/python3
"""Line-oriented GLib oracle for the GVariant printer and parser tests.

Each input line is a JSON request; each output line the JSON answer:
  {"op": "print", "type": T, "hex": H, "annotate": bool, "swap": bool} -> {"ok": text}
  {"op": "parse", "text": S} -> {"ok": [type, hex]} or {"error": message}
"""
import json
import sys

from gi.repository import GLib

for line in sys.stdin:
    req = json.loads(line)
    try:
        if req["op"] == "print":
            v = GLib.Variant.new_from_bytes(GLib.VariantType(req["type"]), GLib.Bytes.new(bytes.fromhex(req["hex"])), False)
            if req.get("swap"):
                v = v.byteswap()
            out = {"ok": v.print_(req["annotate"])}
        elif req["op"] == "parse":
            v = GLib.Variant.parse(None, req["text"], None, None)
            out = {"ok": [v.get_type_string(), v.get_data_as_bytes().get_data().hex()]}
        else:
            out = {"error": "unknown op"}
    except GLib.Error as e:
        out = {"error": e.message}
    except Exception as e:  # a crash must not leave the caller waiting
        out = {"error": "python: %s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
