/**
 * UTF-8 helpers for `s`/`o`/`g` values: strict validation in both directions, as GLib requires
 * (no interior NUL, no lone surrogates, no overlong forms).
 * @module
 */
import { invalidData, invalidValue } from './errors.js';

// TextDecoder is in every JS runtime but not in the ES library typings this package builds with;
// a local structural type avoids depending on DOM or Node typings.
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
type Utf8DecoderConstructor = new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => Utf8Decoder;
const TextDecoderCtor = (globalThis as unknown as { TextDecoder: Utf8DecoderConstructor }).TextDecoder;

// fatal: reject invalid UTF-8 as GLib does; ignoreBOM: a leading U+FEFF is content, not a marker.
const decoder = new TextDecoderCtor('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a NUL-terminated GVariant string occupying `[start, end)` (terminator included).
 * @param u8 - bytes
 * @param start - first byte
 * @param end - one past the terminating NUL
 * @returns the string without its terminator
 * @throws {GVariantError} `GVARIANT_INVALID_DATA` when unterminated, with interior NUL or bad UTF-8
 * @example
 * ```ts
 * readString(Uint8Array.of(0x61, 0), 0, 2); // 'a'
 * ```
 */
export function readString(u8: Uint8Array, start: number, end: number): string {
  const last = end - 1;
  if (last < start || u8[last] !== 0) throw invalidData(`string at byte ${start} is not NUL-terminated`);
  const n = last - start;
  // Short ASCII strings (file names, keys, refs) are much cheaper to build by hand than through
  // TextDecoder, whose per-call cost dominates below ~64 bytes.
  if (n > 64) return readSlow(u8, start, last);
  let hash = n;
  for (let i = start; i < last; i++) {
    const b = u8[i]!;
    if (b === 0 || b >= 0x80) return readSlow(u8, start, last);
    hash = Math.imul(hash ^ b, 0x9e3779b1);
  }
  if (n > CACHED_MAX) return ascii(u8, start, last);
  // Dictionary keys repeat (every a{sv} entry of a summary has the same keys): a small cache of
  // recent short strings returns the same flat string instead of building it again.
  const slot = hash >>> (32 - CACHE_BITS);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === n) {
    let j = 0;
    while (j < n && hit.charCodeAt(j) === u8[start + j]) j++;
    if (j === n) return hit;
  }
  const s = ascii(u8, start, last);
  cache[slot] = s;
  return s;
}

const CACHE_BITS = 10;
const CACHED_MAX = 32;
const cache: Array<string | undefined> = new Array<string | undefined>(1 << CACHE_BITS).fill(undefined);
const fcc = String.fromCharCode;

/** Builds a string from checked ASCII bytes, eight per call (few intermediate strings). */
function ascii(u8: Uint8Array, i: number, last: number): string {
  let out = '';
  for (; i + 8 <= last; i += 8) out += fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!, u8[i + 3]!, u8[i + 4]!, u8[i + 5]!, u8[i + 6]!, u8[i + 7]!);
  switch (last - i) {
    case 1:
      return out + fcc(u8[i]!);
    case 2:
      return out + fcc(u8[i]!, u8[i + 1]!);
    case 3:
      return out + fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!);
    case 4:
      return out + fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!, u8[i + 3]!);
    case 5:
      return out + fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!, u8[i + 3]!, u8[i + 4]!);
    case 6:
      return out + fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!, u8[i + 3]!, u8[i + 4]!, u8[i + 5]!);
    case 7:
      return out + fcc(u8[i]!, u8[i + 1]!, u8[i + 2]!, u8[i + 3]!, u8[i + 4]!, u8[i + 5]!, u8[i + 6]!);
    default:
      return out;
  }
}

function readSlow(u8: Uint8Array, start: number, last: number): string {
  let s: string;
  try {
    s = decoder.decode(u8.subarray(start, last));
  } catch {
    throw invalidData(`string at byte ${start} is not valid UTF-8`);
  }
  if (s.indexOf('\0') >= 0) throw invalidData(`string at byte ${start} contains a NUL byte`);
  return s;
}

/**
 * Encodes `s` as UTF-8 plus a NUL terminator into `u8` at `pos`. The caller guarantees room for
 * `3 * s.length + 1` bytes (the worst case: one UTF-16 unit never needs more than three bytes).
 * @param u8 - destination
 * @param pos - where to start
 * @param s - string to write
 * @returns position after the terminator
 * @throws {GVariantError} `GVARIANT_INVALID_VALUE` for NUL characters or lone surrogates
 * @example
 * ```ts
 * const end = writeString(buf, 0, 'héllo'); // 7
 * ```
 */
export function writeString(u8: Uint8Array, pos: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0) throw invalidValue('string contains a NUL character');
      u8[pos++] = c;
    } else if (c < 0x800) {
      u8[pos++] = 0xc0 | (c >> 6);
      u8[pos++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      u8[pos++] = 0xe0 | (c >> 12);
      u8[pos++] = 0x80 | ((c >> 6) & 0x3f);
      u8[pos++] = 0x80 | (c & 0x3f);
    } else {
      const lo = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || lo < 0xdc00 || lo > 0xdfff) throw invalidValue('string contains a lone surrogate (not valid Unicode)');
      i++;
      c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      u8[pos++] = 0xf0 | (c >> 18);
      u8[pos++] = 0x80 | ((c >> 12) & 0x3f);
      u8[pos++] = 0x80 | ((c >> 6) & 0x3f);
      u8[pos++] = 0x80 | (c & 0x3f);
    }
  }
  u8[pos++] = 0;
  return pos;
}
