import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamRange, type RandomAccess } from '../src/apply/random-access.js';

/** A source that is not in memory (no `bytes`), so streamRange has to read into arrays. */
function readOnlySource(data: Uint8Array): RandomAccess {
  return {
    size: data.length,
    read: async (buffer, offset, length, position) => {
      const part = data.subarray(position, position + length);
      buffer.set(part, offset);
      return part.length;
    },
    close: async () => undefined,
  };
}

async function chunksOf(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe('streamRange', () => {
  it('yields the same bytes with and without reuse; reused chunks share one buffer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), fc.nat(), fc.nat(), async (data, chunk, a, b) => {
        const start = a % data.length;
        const end = start + (b % (data.length - start + 1));
        const source = readOnlySource(data);
        const fresh = await chunksOf(streamRange(source, start, end, chunk));
        const seen: Uint8Array[] = [];
        const buffers = new Set<ArrayBufferLike>();
        for await (const c of streamRange(source, start, end, chunk, true)) {
          seen.push(Uint8Array.from(c)); // copied before the next chunk overwrites it
          buffers.add(c.buffer);
        }
        expect(Buffer.concat(seen)).toEqual(Buffer.from(data.subarray(start, end)));
        expect(seen.map((c) => c.length)).toEqual(fresh.map((c) => c.length));
        expect(buffers.size).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200 },
    );
  });
});
