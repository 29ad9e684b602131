// Incompressible benchmark files, the same bytes on every run.
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes `bytes` deterministic pseudo-random bytes (xorshift32 from `seed`) to `path` in 1 MiB
 * blocks (rounded up to whole blocks); `edit(block, offset)` may return a changed block to write.
 */
export function writeNoise(path, bytes, seed, edit) {
  const fd = openSync(path, 'w');
  let x = seed >>> 0;
  const block = Buffer.alloc(1 << 20);
  for (let written = 0; written < bytes; written += block.length) {
    for (let i = 0; i < block.length; i += 4) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      block.writeUInt32LE(x, i);
    }
    writeSync(fd, edit ? edit(block, written) : block);
  }
  closeSync(fd);
}
