/**
 * One-shot bspatch of the raw bsdiff stream, in memory.
 * @module
 */

import { CONTROL_SIZE, readControl } from './control.js';
import { BsdiffError } from './errors.js';
import { checkSegments, checkSize, seekOld } from './rules.js';

/**
 * Applies a raw bsdiff stream (ostree's static-delta `bspatch` payload: control triples each
 * followed by their diff and extra bytes, no header, no compression) to `old`, producing exactly
 * `newSize` bytes. Bytes after the last triple needed are ignored, as ostree does.
 *
 * @param old - the old file's bytes
 * @param patch - the raw bsdiff stream
 * @param newSize - the size of the new file (ostree takes it from the delta's `open` op)
 * @returns the new file
 * @throws {@link BsdiffError} `CORRUPT_PATCH`, `TRUNCATED_PATCH`, `OUTPUT_OVERFLOW`,
 *   `OLD_OUT_OF_RANGE` for bad patches; `INVALID_ARGUMENT` for bad arguments
 */
export function bspatch(old: Uint8Array, patch: Uint8Array, newSize: number): Uint8Array {
  if (!(old instanceof Uint8Array) || !(patch instanceof Uint8Array)) {
    throw new BsdiffError('INVALID_ARGUMENT', 'old and patch must be Uint8Arrays');
  }
  checkSize('newSize', newSize);
  // Every output byte consumes one patch byte, so a patch shorter than newSize can only fail:
  // sizing the buffer by the patch keeps a hostile newSize from allocating anything big.
  const out = new Uint8Array(Math.min(newSize, patch.length));
  let at = 0;
  let newPos = 0;
  let oldPos = 0;
  while (newPos < newSize) {
    if (patch.length - at < CONTROL_SIZE) throw truncated(at, CONTROL_SIZE);
    const triple = readControl(patch, at);
    at += CONTROL_SIZE;
    checkSegments(triple, newPos, oldPos, newSize, old.length);

    const { diffLength, extraLength } = triple;
    if (patch.length - at < diffLength) throw truncated(at, diffLength);
    for (let i = 0; i < diffLength; i++) out[newPos + i] = patch[at + i]! + old[oldPos + i]!;
    at += diffLength;
    newPos += diffLength;
    oldPos += diffLength;

    if (patch.length - at < extraLength) throw truncated(at, extraLength);
    out.set(patch.subarray(at, at + extraLength), newPos);
    at += extraLength;
    newPos += extraLength;
    oldPos = seekOld(oldPos, triple.oldSeek, old.length);
  }
  return out;
}

function truncated(at: number, wanted: number): BsdiffError {
  return new BsdiffError('TRUNCATED_PATCH', `patch ends before ${wanted} more bytes at offset ${at}`);
}
