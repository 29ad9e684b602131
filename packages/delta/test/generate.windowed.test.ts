// Windowed bsdiff: stitched window patches rebuild the whole new file with a plain bspatch.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSha256 } from '@ostree-ts/core';
import { bsdiffSync, bspatch } from '@ostree-ts/bsdiff';
import { memoryFs } from '@ostree-ts/io';
import { noise } from '../../../test-vectors/trees/noise.js';
import { matchRollsumChunks, rollsumChunks } from '../src/generate/rollsum.js';
import { windowedBsdiff, windowSizes } from '../src/generate/windowed-bsdiff.js';

async function* inPieces(b: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('windowed bsdiff', () => {
  it('windows stay within the bsdiff limit', () => {
    for (const max of [150_000, 1_000_000, 128_000_000]) {
      const { window, margin } = windowSizes(max);
      expect(window + window + 2 * margin).toBeLessThanOrEqual(Math.max(max, 3 * 64 * 1024));
    }
  });

  it('the stitched patch rebuilds the new file (edits, insertions, deletions)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 250_000 }),
        fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('edit', 'insert', 'delete'), len: fc.integer({ min: 1, max: 20_000 }) }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 100_000 }),
        async (size, changes, pieceSize) => {
          const old = noise(size, size);
          let cur = old.slice();
          for (const c of changes) {
            const at = c.at % (cur.length + 1);
            if (c.kind === 'edit') {
              cur = cur.slice();
              for (let i = at; i < Math.min(cur.length, at + c.len); i += 97) cur[i] = cur[i]! ^ 0x5a;
            } else if (c.kind === 'insert') cur = new Uint8Array([...cur.subarray(0, at), ...noise(c.len, at + 1), ...cur.subarray(at)]);
            else cur = new Uint8Array([...cur.subarray(0, at), ...cur.subarray(at + c.len)]);
          }
          const fresh = cur;
          const fs = memoryFs();
          await fs.writeFile('/old', old);
          const handle = await fs.openRead('/old');
          const matches = matchRollsumChunks(await rollsumChunks(inPieces(old, 65536), defaultSha256), await rollsumChunks(inPieces(fresh, 65536), defaultSha256));
          const patch = await windowedBsdiff({
            old: handle,
            oldSize: old.length,
            newStream: inPieces(fresh, pieceSize),
            newSize: fresh.length,
            matches: matches.matches,
            maxBsdiffSize: 150_000,
            bsdiff: bsdiffSync,
          });
          await handle.close();
          expect(bspatch(old, patch, fresh.length)).toEqual(fresh);
        },
      ),
      { numRuns: 12 },
    );
  });
});
