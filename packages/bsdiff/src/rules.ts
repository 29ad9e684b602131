/**
 * The bounds every bspatch step must respect, shared by the one-shot and streaming forms so
 * both reject exactly the same patches.
 * @module
 */

import type { ControlTriple } from './control.js';
import { BsdiffError } from './errors.js';

/** Throws `INVALID_ARGUMENT` unless `n` is a non-negative safe integer. */
export function checkSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new BsdiffError('INVALID_ARGUMENT', `${name} must be a non-negative integer, got ${n}`);
}

/**
 * Checks the diff and extra segments of `triple`, applied at `newPos`/`oldPos`, against the
 * sizes. A diff reads `diffLength` old bytes from `oldPos`; bsdiff never emits a diff that reads
 * outside old (ostree's bspatch would read zeros there), so such a read marks a hostile patch.
 */
export function checkSegments(triple: ControlTriple, newPos: number, oldPos: number, newSize: number, oldSize: number): void {
  if (triple.diffLength + triple.extraLength > newSize - newPos) {
    throw new BsdiffError('OUTPUT_OVERFLOW', `patch writes ${triple.diffLength}+${triple.extraLength} bytes at ${newPos}, past the new size ${newSize}`);
  }
  if (triple.diffLength > 0 && triple.diffLength > oldSize - oldPos) {
    throw new BsdiffError('OLD_OUT_OF_RANGE', `patch reads ${triple.diffLength} old bytes at ${oldPos}, past the old size ${oldSize}`);
  }
}

/**
 * Returns the old position after the seek. bsdiff always leaves it within `[0, oldSize]` (it is
 * the start of the next match), so anything else marks a hostile patch.
 */
export function seekOld(oldPos: number, oldSeek: number, oldSize: number): number {
  const next = oldPos + oldSeek;
  if (!(next >= 0 && next <= oldSize)) {
    throw new BsdiffError('OLD_OUT_OF_RANGE', `patch seeks the old file to ${next}, outside [0, ${oldSize}]`);
  }
  return next;
}
