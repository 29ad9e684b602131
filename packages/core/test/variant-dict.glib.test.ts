// GVariantDict iteration order, compared live against GLib through python3-gi.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VariantDict, glibStrHash, variant } from '../src/index.js';

const PY = '/usr/bin/python3';
const hasGlib = spawnSync(PY, ['-c', 'import gi; gi.require_version("GLib", "2.0"); from gi.repository import GLib'], { stdio: 'ignore' }).status === 0;

type Op = { op: 'insert'; key: string } | { op: 'remove'; key: string };

// Runs every scenario through one python process: each is a list of ops; GLib returns the
// keys of g_variant_dict_end() in order.
function glibOrders(scenarios: Op[][]): string[][] {
  const script = `
import json, sys
from gi.repository import GLib
out = []
for ops in json.load(sys.stdin):
    d = GLib.VariantDict.new(None)
    for o in ops:
        if o['op'] == 'insert':
            d.insert_value(o['key'], GLib.Variant('s', o['key']))
        else:
            d.remove(o['key'])
    v = d.end()
    out.append([v.get_child_value(i).get_child_value(0).get_string() for i in range(v.n_children())])
json.dump(out, sys.stdout)
`;
  const r = spawnSync(PY, ['-c', script], { input: JSON.stringify(scenarios), maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString()) as string[][];
}

function ours(ops: Op[]): string[] {
  const d = new VariantDict();
  for (const o of ops) {
    if (o.op === 'insert') d.insert(o.key, variant('s', o.key));
    else d.remove(o.key);
  }
  return d.end().map(([k]) => k);
}

describe('glibStrHash', () => {
  it('is djb2 over signed chars', () => {
    expect(glibStrHash('')).toBe(5381);
    expect(glibStrHash('a')).toBe((5381 * 33 + 97) >>> 0);
    // A byte >= 0x80 counts as negative (signed char), as in GLib.
    expect(glibStrHash('\u00e9')).toBe((((5381 * 33 + (0xc3 - 256)) >>> 0) * 33 + (0xa9 - 256)) >>> 0);
  });
});

describe.skipIf(!hasGlib)('VariantDict order matches GLib GVariantDict', () => {
  it('for the metadata keys ostree writes', () => {
    const keys = ['version', 'ostree.ref-binding', 'ostree.bootable', 'ostree.linux', 'ostree.collection-binding', 'ostree.sizes', 'ostree.source-title'];
    const scenarios: Op[][] = [];
    for (let n = 1; n <= keys.length; n++) scenarios.push(keys.slice(0, n).map((key) => ({ op: 'insert', key })));
    const expected = glibOrders(scenarios);
    scenarios.forEach((s, i) => expect(ours(s)).toEqual(expected[i]));
  });

  it('for random keys, sizes across several resizes, with removals', () => {
    const key = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9._-]{0,12}$/),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((s) => !s.includes('\0')),
    );
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: key.map((k) => ({ op: 'insert' as const, key: k })) },
      { weight: 1, arbitrary: key.map((k) => ({ op: 'remove' as const, key: k })) },
    );
    const scenarios = fc.sample(fc.array(op, { minLength: 0, maxLength: 120 }), { numRuns: 400, seed: 20261122 });
    // Ensure removals hit existing keys too: replay some inserted keys as removals.
    for (const s of scenarios.slice(0, 100)) {
      const inserted = s.filter((o) => o.op === 'insert').map((o) => o.key);
      for (const k of inserted.filter((_, i) => i % 3 === 0)) s.push({ op: 'remove', key: k });
    }
    const expected = glibOrders(scenarios);
    let mismatches = 0;
    scenarios.forEach((s, i) => {
      if (JSON.stringify(ours(s)) !== JSON.stringify(expected[i])) mismatches++;
    });
    expect(mismatches).toBe(0);
    scenarios.slice(0, 50).forEach((s, i) => expect(ours(s)).toEqual(expected[i]));
  });
});
