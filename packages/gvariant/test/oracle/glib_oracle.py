#!/usr/bin/python3
"""Long-lived GLib oracle for the differential tests: reads JSON-lines requests on stdin, answers
one JSON line per request on stdout. Values use the type-directed JSON of
test-vectors/gvariant/gvjson.py.

Requests:
  {"op": "check", "type": T, "value": J, "hex": H}
      GLib builds J and serialises it ("hex", "bswap"); then parses H (our encoding) untrusted and
      reports "oursNormal" and "oursValue".
  {"op": "parse", "type": T, "hex": H}
      parses H untrusted: "normal" (g_variant_is_normal_form), "value", "normalHex".
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "test-vectors", "gvariant"))

from gvjson import from_json, parse, serialise, to_json  # noqa: E402


def handle(req):
    op = req["op"]
    t = req["type"]
    if op == "check":
        v = from_json(t, req["value"])
        ours = parse(t, bytes.fromhex(req["hex"]))
        return {
            "hex": serialise(v).hex(),
            "bswap": serialise(v.byteswap()).hex(),
            "oursNormal": ours.is_normal_form(),
            "oursValue": to_json(ours),
        }
    if op == "parse":
        v = parse(t, bytes.fromhex(req["hex"]))
        return {"normal": v.is_normal_form(), "value": to_json(v), "normalHex": serialise(v.get_normal_form()).hex()}
    raise ValueError("unknown op %r" % op)


def main():
    for line in sys.stdin:
        try:
            out = handle(json.loads(line))
        except Exception as e:  # report, keep serving
            out = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
