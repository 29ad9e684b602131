/**
 * zlib levels, validated the way ostree does.
 * @module
 */
import { CompressError } from './errors.js';

/** ostree's default `.filez` compression level (`OSTREE_ARCHIVE_DEFAULT_COMPRESSION_LEVEL`). */
export const DEFAULT_ZLIB_LEVEL = 6;

/**
 * @internal Validates a level passed through the API: an integer 1–9 in exact mode, 0–9 in fast
 * mode; default 6. Level 0 (stored blocks) is refused in exact mode because zlib cuts stored
 * blocks where its input and output buffers happen to end, so the bytes depend on how the
 * writer fed zlib and cannot be promised to match ostree (whose config clamps to 1–9 anyway).
 */
export function checkLevel(level: unknown, exact: boolean): number {
  if (level === undefined) return DEFAULT_ZLIB_LEVEL;
  const min = exact ? 1 : 0;
  if (typeof level !== 'number' || !Number.isInteger(level) || level < min || level > 9) {
    throw new CompressError(
      'COMPRESS_INVALID_ARGUMENT',
      `zlib level must be an integer from ${min} to 9${exact ? ' in exact mode (0 only with exact: false)' : ''}, got ${String(level)}`,
    );
  }
  return level;
}

const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/**
 * The level ostree uses for a repo whose config has `[archive] zlib-level=value`.
 *
 * ostree (2022.7 through 2026.x, `ostree-repo.c`) reads the raw key value, parses it with
 * `g_ascii_strtoull(value, NULL, 10)` and clamps the result to 1–9; without the key it uses 6.
 * This reproduces that exactly, including its corner cases: text without leading digits
 * (`"abc"`, `"0x5"`) and `"0"` give 1; `"10"`, overflowing numbers and negative numbers (which
 * `strtoull` wraps to huge values) give 9; leading C whitespace and a `+` sign are accepted and
 * anything after the digits is ignored (`"7x"` gives 7). It never throws.
 *
 * @param value - the raw `zlib-level` value from the repo config, or `null`/`undefined` if the
 *   key is absent
 * @returns a level from 1 to 9
 */
export function archiveZlibLevel(value: string | null | undefined): number {
  if (value === null || value === undefined) return DEFAULT_ZLIB_LEVEL;
  let i = 0;
  while (i < value.length && C_SPACE.has(value[i] as string)) i++;
  let negative = false;
  if (value[i] === '+' || value[i] === '-') {
    negative = value[i] === '-';
    i++;
  }
  // Only the clamped result matters, so track "zero", "1..9" or "more than 9".
  let n = 0;
  let digits = 0;
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    n = Math.min(n * 10 + (c - 0x30), 10);
    digits++;
    i++;
  }
  if (digits === 0) return 1; // strtoull: no conversion, 0
  if (negative && n !== 0) return 9; // -n wraps to 2^64 - n
  return Math.max(1, Math.min(9, n));
}
