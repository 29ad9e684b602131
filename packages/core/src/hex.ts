/**
 * Hex conversions for checksums. ostree names objects by lowercase hex only.
 * @module
 */
import { OstreeError } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!]!;
  return out;
}

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1; // uppercase is rejected on purpose: ostree's validator does the same
}

/**
 * Bytes of a lowercase hex string.
 * @throws {OstreeError} INVALID_ARGUMENT when the string is not even-length lowercase hex
 */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new OstreeError('INVALID_ARGUMENT', `odd-length hex string (${hex.length})`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new OstreeError('INVALID_ARGUMENT', `not lowercase hex: ${JSON.stringify(hex)}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}
