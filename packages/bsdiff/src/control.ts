/**
 * The control triple of the raw bsdiff stream: three 64-bit sign-magnitude little-endian
 * integers (low 63 bits = magnitude, bit 63 = sign), 24 bytes in all.
 * @module
 */

import { BsdiffError } from './errors.js';

/** Bytes of one control triple. */
export const CONTROL_SIZE = 24;

/** ostree's bspatch rejects diff and extra lengths above C's INT_MAX. */
export const MAX_SEGMENT_LENGTH = 0x7fffffff;

/** One control triple: copy-with-add `diffLength` bytes, copy `extraLength` bytes verbatim, move the old position by `oldSeek`. */
export interface ControlTriple {
  readonly diffLength: number;
  readonly extraLength: number;
  readonly oldSeek: number;
}

/**
 * Reads one sign-magnitude integer. Magnitudes above 2^53 come back rounded, which is harmless:
 * every caller rejects values that large.
 */
export function readOfft(bytes: Uint8Array, at: number): number {
  const low = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;
  const high = (bytes[at + 4]! | (bytes[at + 5]! << 8) | (bytes[at + 6]! << 16)) + (bytes[at + 7]! & 0x7f) * 0x1000000;
  const magnitude = high * 0x100000000 + low;
  return bytes[at + 7]! & 0x80 ? -magnitude : magnitude;
}

/** Writes one sign-magnitude integer; `value` must be a safe integer. */
export function writeOfft(bytes: Uint8Array, at: number, value: number): void {
  if (!Number.isSafeInteger(value)) throw new BsdiffError('INVALID_ARGUMENT', `not a safe integer: ${value}`);
  let magnitude = Math.abs(value);
  for (let i = 0; i < 8; i++) {
    bytes[at + i] = magnitude % 256;
    magnitude = Math.floor(magnitude / 256);
  }
  if (value < 0) bytes[at + 7]! |= 0x80;
}

/** Decodes and validates the lengths of the triple at `at` (the seek is checked by the caller, who knows the old size). */
export function readControl(bytes: Uint8Array, at: number): ControlTriple {
  const diffLength = readOfft(bytes, at);
  const extraLength = readOfft(bytes, at + 8);
  const oldSeek = readOfft(bytes, at + 16);
  if (!(diffLength >= 0 && diffLength <= MAX_SEGMENT_LENGTH && extraLength >= 0 && extraLength <= MAX_SEGMENT_LENGTH)) {
    throw new BsdiffError('CORRUPT_PATCH', `invalid control triple (${diffLength}, ${extraLength}, ${oldSeek})`);
  }
  return { diffLength, extraLength, oldSeek };
}

/** Encodes a triple into 24 bytes. */
export function encodeControl(triple: ControlTriple): Uint8Array {
  const bytes = new Uint8Array(CONTROL_SIZE);
  writeOfft(bytes, 0, triple.diffLength);
  writeOfft(bytes, 8, triple.extraLength);
  writeOfft(bytes, 16, triple.oldSeek);
  return bytes;
}
