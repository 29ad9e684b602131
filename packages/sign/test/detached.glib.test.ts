// appendSignature must give the bytes ostree's _sign_detached_metadata_append gives:
// GVariantDict built from the existing a{sv}, the signature array looked up, appended,
// re-inserted, ended. Compared with GLib (python3-gi) on random existing metadata.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMetadata, variant, type Metadata } from '@ostree-ts/core';
import { appendSignature, signatureMetadataKey, type SignType } from '../src/index.js';
import { hex } from './helpers/libsodium.js';

const PY = '/usr/bin/python3';
const hasGlib = spawnSync(PY, ['-c', 'from gi.repository import GLib'], { stdio: 'ignore' }).status === 0;

interface Case {
  keys: string[];
  type: SignType;
  existingSigs: string[] | null; // hex signatures already under the type's key, or none
  signature: string;
}

function glib(cases: Case[]): string[] {
  const script = `
import json, sys
from gi.repository import GLib
out = []
for c in json.load(sys.stdin):
    b = GLib.VariantBuilder.new(GLib.VariantType.new('a{sv}'))
    for k in c['keys']:
        b.add_value(GLib.Variant('{sv}', (k, GLib.Variant('s', k))))
    key = 'ostree.sign.' + c['type']
    if c['existingSigs'] is not None:
        b.add_value(GLib.Variant('{sv}', (key, GLib.Variant('aay', [bytes.fromhex(s) for s in c['existingSigs']]))))
    d = GLib.VariantDict.new(b.end())
    old = d.lookup_value(key, GLib.VariantType.new('aay'))
    sigs = [] if old is None else [bytes(old.get_child_value(i).get_data_as_bytes().get_data()) for i in range(old.n_children())]
    sigs.append(bytes.fromhex(c['signature']))
    d.insert_value(key, GLib.Variant('aay', sigs))
    out.append(bytes(d.end().get_data_as_bytes().get_data()).hex())
json.dump(out, sys.stdout)
`;
  const r = spawnSync(PY, ['-c', script], { input: JSON.stringify(cases), maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString()) as string[];
}

describe.skipIf(!hasGlib)('appendSignature matches GLib GVariantDict', () => {
  it('for random existing detached metadata', () => {
    const key = fc.stringMatching(/^[a-z.]{1,12}$/).filter((k) => !k.startsWith('ostree.sign.'));
    const sig = fc.uint8Array({ minLength: 1, maxLength: 70 }).map(hex);
    const arb = fc.record({
      keys: fc.uniqueArray(key, { maxLength: 14 }),
      type: fc.constantFrom<SignType>('ed25519', 'dummy'),
      existingSigs: fc.option(fc.array(sig, { maxLength: 3 }), { nil: null }),
      signature: sig,
    });
    const cases = fc.sample(arb, { numRuns: 200, seed: 42 });
    const expected = glib(cases);
    cases.forEach((c, i) => {
      const existing: [string, ReturnType<typeof variant>][] = c.keys.map((k) => [k, variant('s', k)]);
      if (c.existingSigs !== null) existing.push([signatureMetadataKey(c.type), variant('aay', c.existingSigs.map((s) => new Uint8Array(Buffer.from(s, 'hex'))))]);
      const ours = encodeMetadata(appendSignature(existing as Metadata, c.type, new Uint8Array(Buffer.from(c.signature, 'hex'))));
      expect([i, hex(ours)]).toEqual([i, expected[i]]);
    });
  });
});
