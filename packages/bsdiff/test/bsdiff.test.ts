// bsdiff (our C in WebAssembly): the suffix array equals a naive sort; bspatch(old, bsdiff(old,
// new)) == new on varied inputs; the patch is one exact raw stream; Debian's bspatch accepts it
// wrapped as BSDIFF40 (same triples, same diff/extra semantics); sizes comparable to Debian's bsdiff.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suffixArrayForTesting } from '../src/bsdiff.js';
import { bsdiff, bsdiffMeasured, bsdiffSync, bspatch, isBsdiffError } from '../src/index.js';
import { HAVE_DEBIAN_BSDIFF, concat, debianBsdiff, debianBspatch, splitRaw } from './helpers.js';

const SEED = 20261122;

function naiveSuffixArray(text: Uint8Array): number[] {
  const order = Array.from({ length: text.length }, (_, i) => i);
  return order.sort((a, b) => {
    for (let i = 0; ; i++) {
      if (a + i === text.length) return -1;
      if (b + i === text.length) return 1;
      if (text[a + i] !== text[b + i]) return text[a + i]! - text[b + i]!;
    }
  });
}

/** Bytes over a small alphabet, so LMS substrings repeat and SA-IS recurses. */
const smallAlphabet = (max: number) => fc.array(fc.integer({ min: 0, max }), { maxLength: 600 }).map((a) => Uint8Array.from(a));

function fibonacciWord(length: number): Uint8Array {
  let a = 'a';
  let b = 'ab';
  while (b.length < length) [a, b] = [b, b + a];
  return new TextEncoder().encode(b.slice(0, length));
}

const repeat = (pattern: number[], times: number) => Uint8Array.from({ length: pattern.length * times }, (_, i) => pattern[i % pattern.length]!);

/** An old file and a new one made from it by inserts, deletes and overwrites. */
const similarPair = (maxLength: number) =>
  fc
    .tuple(
      fc.oneof(fc.uint8Array({ maxLength }), smallAlphabet(3), fc.constantFrom(repeat([1, 2, 3], 300), new Uint8Array(700), fibonacciWord(900))),
      fc.array(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 50 }), fc.nat(40)), { maxLength: 10 }),
    )
    .map(([old, edits]) => {
      let next: Uint8Array = old;
      for (const [where, insert, remove] of edits) {
        const at = next.length === 0 ? 0 : where % (next.length + 1);
        next = concat([next.subarray(0, at), insert, next.subarray(Math.min(next.length, at + remove))]);
      }
      return { old, next };
    });

const pairs = fc.oneof(
  similarPair(4000),
  fc.record({ old: fc.uint8Array({ maxLength: 2000 }), next: fc.uint8Array({ maxLength: 2000 }) }),
  fc.record({ old: fc.constant(new Uint8Array(0)), next: fc.uint8Array({ maxLength: 500 }) }),
  fc.record({ old: fc.uint8Array({ maxLength: 500 }), next: fc.constant(new Uint8Array(0)) }),
  fc.record({ old: smallAlphabet(1), next: smallAlphabet(1) }),
);

describe('suffix array (SA-IS in the module)', () => {
  it('equals a naive sort on random and repetitive texts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), smallAlphabet(1), smallAlphabet(3)), (text) => {
        expect(Array.from(suffixArrayForTesting(text))).toEqual(naiveSuffixArray(text));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['one byte', Uint8Array.of(7)],
    ['all zeros', new Uint8Array(5000)],
    ['all 0xff', new Uint8Array(5000).fill(255)],
    ['ascending', Uint8Array.from({ length: 3000 }, (_, i) => i >> 4)],
    ['descending', Uint8Array.from({ length: 3000 }, (_, i) => 255 - (i >> 4))],
    ['period 3', repeat([1, 2, 3], 1000)],
    ['period 2 with a tail', concat([repeat([9, 0], 1500), Uint8Array.of(0, 0)])],
    ['Fibonacci word', fibonacciWord(4000)],
  ])('%s', (_name, text) => {
    expect(Array.from(suffixArrayForTesting(text))).toEqual(naiveSuffixArray(text));
  });
});

describe('bsdiff round trip', () => {
  it('bspatch(old, bsdiff(old, new)) == new, and the patch is one exact raw stream', () => {
    fc.assert(
      fc.property(pairs, ({ old, next }) => {
        const patch = bsdiffSync(old, next);
        expect(bspatch(old, patch, next.length)).toEqual(next);
        splitRaw(patch, next.length); // throws on trailing bytes
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('async and sync give the same patch', async () => {
    const old = repeat([5, 6, 7, 8, 9], 999);
    const next = concat([old.subarray(0, 2000), Uint8Array.of(1, 2, 3), old.subarray(2100)]);
    expect(await bsdiff(old, next)).toEqual(bsdiffSync(old, next));
  });

  it('reuses matches: a small edit of a large random file makes a small patch', () => {
    const old = Uint8Array.from({ length: 200_000 }, (_, i) => (Math.imul(i, 2654435761) >>> 13) & 0xff);
    const next = concat([old.subarray(0, 50_000), Uint8Array.of(1, 2, 3, 4), old.subarray(50_100)]);
    const { patch, peakHeapBytes } = bsdiffMeasured(old, next);
    expect(bspatch(old, patch, next.length)).toEqual(next);
    const { controls } = splitRaw(patch, next.length);
    expect(controls.length).toBeLessThanOrEqual(3);
    expect(controls.reduce((n, c) => n + c.extraLength, 0)).toBeLessThan(100);
    // Memory (README): old + new + a 4-byte suffix array entry per old byte + the patch, or
    // during SA-IS its work arrays instead of the patch; plus ~66 KiB of stack and data.
    expect(peakHeapBytes).toBeLessThan(6 * old.length + next.length + patch.length + 128 * 1024);
    expect(peakHeapBytes).toBeGreaterThan(5 * old.length + next.length);
  });

  it('rejects non-Uint8Array inputs with INVALID_ARGUMENT', () => {
    let error: unknown;
    try {
      bsdiffSync('abc' as unknown as Uint8Array, new Uint8Array(0));
    } catch (e) {
      error = e;
    }
    expect(isBsdiffError(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});

const HAVE_XZ = spawnSync('xz', ['--version'], { stdio: 'ignore' }).error === undefined;
const xzSize = (data: Uint8Array) => spawnSync('xz', ['-8', '-c'], { input: data, maxBuffer: 1 << 30 }).stdout.length;

describe.runIf(HAVE_DEBIAN_BSDIFF)("against Debian's bsdiff 4.3 (BSDIFF40 + bzip2 around the same triples)", () => {
  it("Debian's bspatch applies our patches wrapped as BSDIFF40", () => {
    fc.assert(
      fc.property(similarPair(3000), ({ old, next }) => {
        const patch = bsdiffSync(old, next);
        expect(debianBspatch(old, patch, next.length)).toEqual(next);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it.runIf(HAVE_XZ)('our patches are about as small as Debian bsdiff’s (xz-compressed, as in a delta part)', () => {
    let ours = 0;
    let theirs = 0;
    fc.assert(
      fc.property(similarPair(20000).filter(({ old }) => old.length > 0), ({ old, next }) => {
        ours += xzSize(bsdiffSync(old, next));
        theirs += xzSize(debianBsdiff(old, next));
      }),
      { seed: SEED, numRuns: 25 },
    );
    expect(ours).toBeLessThan(theirs * 1.1 + 500);
  });
});
