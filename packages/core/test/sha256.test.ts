import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSha256, nobleSha256, nodeSha256, sha256, toHex, type Sha256Factory } from '../src/index.js';

// FIPS 180-2 examples.
const vectors: [string, Uint8Array, string][] = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', new TextEncoder().encode('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    '448-bit',
    new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  ['million a', new Uint8Array(1_000_000).fill(0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
];

const impls: [string, Sha256Factory][] = [['noble', nobleSha256]];
if (nodeSha256) impls.push(['node:crypto', nodeSha256]);

describe.each(impls)('%s', (_name, factory) => {
  it.each(vectors)('%s', (_v, data, hex) => {
    expect(toHex(sha256(data, factory))).toBe(hex);
  });
  it('incremental updates equal the one-shot digest, for any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.nat(4096), { maxLength: 8 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const h = factory();
        let prev = 0;
        for (const p of [...points, data.length]) {
          h.update(data.subarray(prev, p));
          prev = p;
        }
        expect(toHex(h.digest())).toBe(toHex(sha256(data, nobleSha256)));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
  it('returns a plain Uint8Array', () => {
    expect(Object.getPrototypeOf(factory().digest())).toBe(Uint8Array.prototype);
  });
});

it('uses node:crypto by default on Node', () => {
  expect(nodeSha256).toBeDefined();
  expect(defaultSha256).toBe(nodeSha256);
});
