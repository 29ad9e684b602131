import fc from 'fast-check';
import { deflateRaw, inflateRaw } from '@ostree-ts/compress';
import { afterAll, describe, expect, it } from 'vitest';
import { createDeflatePool } from '../src/index.js';

const pool = createDeflatePool({ size: 2 });
afterAll(() => pool.close());

async function viaPool(data: Uint8Array, cuts: number[], level = 6): Promise<Uint8Array> {
  const s = pool.open(level);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts.filter((x) => x < data.length).sort((a, b) => a - b), data.length]) {
    parts.push(...(await s.push(data.subarray(prev, c))));
    prev = c;
  }
  parts.push(...(await s.end()));
  return Buffer.concat(parts);
}

describe('deflate pool', () => {
  it('produces exactly the single-threaded exact deflate bytes, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200_000 }), fc.array(fc.nat(200_000), { maxLength: 6 }), fc.integer({ min: 1, max: 9 }), async (data, cuts, level) => {
        const out = await viaPool(data, cuts, level);
        expect(Buffer.from(out).equals(Buffer.from(deflateRaw(data, { level })))).toBe(true);
        expect(Buffer.from(inflateRaw(out)).equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 60, seed: 99 },
    );
  });

  it('runs many streams at once across workers without mixing them', async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`stream ${i} `.repeat(2000 + i * 37)));
    const outs = await Promise.all(inputs.map((d) => viaPool(d, [1000, 5000, 9000])));
    outs.forEach((o, i) => expect(Buffer.from(o).equals(Buffer.from(deflateRaw(inputs[i]!))), `stream ${i}`).toBe(true));
  });

  it('does not keep the caller buffer: reusing it after push changes nothing', async () => {
    const buf = new Uint8Array(70_000).fill(1);
    const s = pool.open(6);
    const first = await s.push(buf);
    buf.fill(2);
    const rest = await s.push(buf);
    const tail = await s.end();
    const expected = deflateRaw(Buffer.concat([new Uint8Array(70_000).fill(1), new Uint8Array(70_000).fill(2)]));
    expect(Buffer.concat([...first, ...rest, ...tail]).equals(Buffer.from(expected))).toBe(true);
  });

  it('reports errors as CompressError and keeps working', async () => {
    const bad = pool.open(42);
    await expect(bad.push(new Uint8Array(10))).rejects.toMatchObject({ name: 'CompressError' });
    expect(Buffer.from(await viaPool(new Uint8Array(5), [])).equals(Buffer.from(deflateRaw(new Uint8Array(5))))).toBe(true);
  });
});

describe('deflate pool with output spanning many internal buffers', () => {
  it('streams a multi-MiB input in small chunks with identical bytes', async () => {
    const data = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 27);
    const cuts = Array.from({ length: 200 }, (_, i) => (i + 1) * 15_000);
    expect(Buffer.from(await viaPool(data, cuts)).equals(Buffer.from(deflateRaw(data)))).toBe(true);
  });
});
