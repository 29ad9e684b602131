/**
 * Unsigned LEB128 varints, used by static-delta operations and `ostree.sizes` (spec §2.12, §5.8).
 * @module
 */
import { OstreeError } from './errors.js';

/** Encodes a non-negative safe integer as an unsigned LEB128 varint. */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new OstreeError('INVALID_ARGUMENT', `varint value out of range: ${value}`);
  }
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Uint8Array.from(out);
}

/** A decoded varint and the offset just after it. */
export interface VarintRead {
  readonly value: number;
  readonly next: number;
}

/**
 * Decodes an unsigned LEB128 varint at `offset`.
 * @throws {OstreeError} INVALID_OBJECT when truncated, longer than 10 bytes, or above 2^53-1
 */
export function decodeVarint(bytes: Uint8Array, offset = 0): VarintRead {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    const pos = offset + i;
    if (pos >= bytes.length) throw new OstreeError('INVALID_OBJECT', 'truncated varint');
    const byte = bytes[pos]!;
    value += (byte & 0x7f) * scale;
    if (!Number.isSafeInteger(value)) throw new OstreeError('INVALID_OBJECT', 'varint exceeds 2^53-1');
    if ((byte & 0x80) === 0) return { value, next: pos + 1 };
    scale *= 128;
  }
  throw new OstreeError('INVALID_OBJECT', 'varint longer than 10 bytes');
}
