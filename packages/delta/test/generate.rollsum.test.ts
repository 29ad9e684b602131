// Rollsum chunking and reconstruction, on arbitrary data cut into arbitrary stream pieces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSha256 } from '@ostree-ts/core';
import { ROLLSUM_MAX_CHUNK, matchRollsumChunks, rollsumChunks, rollsumPieces, type RollsumPiece } from '../src/generate/rollsum.js';

async function* pieces(data: Uint8Array, cuts: readonly number[]): AsyncIterable<Uint8Array> {
  let pos = 0;
  for (const c of [...new Set(cuts.map((x) => x % (data.length + 1)))].sort((a, b) => a - b)) {
    if (c > pos) yield data.subarray(pos, c);
    pos = Math.max(pos, c);
  }
  if (pos < data.length) yield data.subarray(pos);
}

function rebuild(from: Uint8Array, ps: readonly RollsumPiece[]): Uint8Array {
  const parts = ps.map((p) => ('data' in p ? p.data : from.subarray(p.fromStart, p.fromStart + p.length)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bytes with enough structure for content-defined splits: random runs of a small alphabet. */
const data = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max, min: 0, max: 7 });

describe('rollsum', () => {
  it('chunks tile the input, are at most 32 KiB, and do not depend on how the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(data(100_000), fc.array(fc.nat(), { maxLength: 20 }), async (bytes, cuts) => {
        const whole = await rollsumChunks(pieces(bytes, []), defaultSha256);
        const cut = await rollsumChunks(pieces(bytes, cuts), defaultSha256);
        expect(cut).toEqual(whole);
        let pos = 0;
        for (const c of whole) {
          expect(c.start).toBe(pos);
          expect(c.length).toBeGreaterThan(0);
          expect(c.length).toBeLessThanOrEqual(ROLLSUM_MAX_CHUNK);
          pos += c.length;
        }
        expect(pos).toBe(bytes.length);
      }),
      { numRuns: 40 },
    );
  });

  it('splits where the bup rule says (content-defined: an insertion only disturbs nearby chunks)', async () => {
    const base = new Uint8Array(300_000);
    let x = 1;
    for (let i = 0; i < base.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      base[i] = x >>> 24;
    }
    const edited = new Uint8Array(base.length + 100);
    edited.set(base.subarray(0, 150_000));
    edited.set(new Uint8Array(100).fill(0xaa), 150_000);
    edited.set(base.subarray(150_000), 150_100);
    const a = await rollsumChunks(pieces(base, []), defaultSha256);
    const b = await rollsumChunks(pieces(edited, []), defaultSha256);
    expect(a.length).toBeGreaterThan(10);
    const m = matchRollsumChunks(a, b);
    expect(m.matches.length).toBeGreaterThanOrEqual(b.length - 3);
  });

  it('pieces rebuild the target from the source exactly', async () => {
    await fc.assert(
      fc.asyncProperty(data(60_000), data(5000), fc.nat(), fc.array(fc.nat(), { maxLength: 10 }), async (from, insert, at, cuts) => {
        const p = from.length === 0 ? 0 : at % from.length;
        const to = new Uint8Array([...from.subarray(0, p), ...insert, ...from.subarray(p)]);
        const fromChunks = await rollsumChunks(pieces(from, []), defaultSha256);
        const toChunks = await rollsumChunks(pieces(to, []), defaultSha256);
        const matches = matchRollsumChunks(fromChunks, toChunks);
        const ps = await rollsumPieces(toChunks, matches, pieces(to, cuts));
        expect(rebuild(from, ps)).toEqual(to);
      }),
      { numRuns: 40 },
    );
  });
});
