import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../src/index.js';

describe('concatBytes', () => {
  it('equals Buffer.concat for any chunks; one chunk comes back as it is', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), (chunks) => {
        const joined = concatBytes(chunks);
        expect(Buffer.from(joined).equals(Buffer.concat(chunks))).toBe(true);
        if (chunks.length === 1) expect(joined).toBe(chunks[0]);
      }),
    );
  });
});
