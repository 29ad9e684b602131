/**
 * Boolean and integer value parsing with GLib's exact acceptance rules.
 * @module
 */

import { isAsciiSpace, isCSpace, trimAsciiSpaceEnd } from './syntax.js';

/**
 * Read a boolean value. After dropping trailing ASCII white space the value
 * must be exactly `true`, `1`, `false` or `0` (case-sensitive; leading white
 * space is not accepted).
 * @param value - raw value text
 * @returns the boolean, or `null` when the value is not a boolean
 */
export function parseBooleanValue(value: string): boolean | null {
  const t = trimAsciiSpaceEnd(value);
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}

/** Result of scanning a C-style decimal integer prefix. */
interface IntegerScan {
  /** Whether any digits were found. */
  readonly digits: boolean;
  /** Index just past the number, or 0 if no digits were found. */
  readonly end: number;
  /** Whether a `-` sign was present. */
  readonly negative: boolean;
  /** Magnitude of the digits read. */
  readonly magnitude: bigint;
}

/** Scan like C `strtol(…, 10)`: white space, optional sign, decimal digits. */
function scanInteger(value: string): IntegerScan {
  let i = 0;
  while (i < value.length && isCSpace(value[i])) i++;
  let negative = false;
  if (value[i] === '-' || value[i] === '+') {
    negative = value[i] === '-';
    i++;
  }
  const start = i;
  while (i < value.length && value[i]! >= '0' && value[i]! <= '9') i++;
  if (i === start) return { digits: false, end: 0, negative: false, magnitude: 0n };
  return { digits: true, end: i, negative, magnitude: BigInt(value.slice(start, i)) };
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Read a 32-bit integer the way `g_key_file_get_integer` does: a decimal
 * number (optional leading white space and sign) that is either the whole
 * value or followed by white space. Quirk kept from GLib: a value that starts
 * with white space but has no digits at all reads as `0`.
 * @param value - raw value text
 * @returns the integer, or `null` when invalid or outside the int32 range
 */
export function parseInt32Value(value: string): number | null {
  if (value.length === 0) return null;
  const scan = scanInteger(value);
  if (scan.end < value.length && !isAsciiSpace(value[scan.end])) return null;
  const n = scan.negative ? -scan.magnitude : scan.magnitude;
  if (n < INT32_MIN || n > INT32_MAX) return null;
  return Number(n);
}

/**
 * Read a signed 64-bit integer the way `g_key_file_get_int64` does: the whole
 * value must be a decimal number (leading white space and a sign allowed,
 * nothing after it). Out-of-range values saturate to the int64 limits.
 * @param value - raw value text
 * @returns the integer, or `null` when the value is not a number
 */
export function parseInt64Value(value: string): bigint | null {
  const scan = scanInteger(value);
  if (!scan.digits || scan.end !== value.length) return null;
  const n = scan.negative ? -scan.magnitude : scan.magnitude;
  if (n < INT64_MIN) return INT64_MIN;
  if (n > INT64_MAX) return INT64_MAX;
  return n;
}

/**
 * Read an unsigned 64-bit integer the way `g_key_file_get_uint64` does. As
 * with C `strtoull`, a leading `-` negates modulo 2^64 (`-1` reads as
 * 18446744073709551615) and magnitudes above 2^64-1 saturate to 2^64-1.
 * @param value - raw value text
 * @returns the integer, or `null` when the value is not a number
 */
export function parseUint64Value(value: string): bigint | null {
  const scan = scanInteger(value);
  if (!scan.digits || scan.end !== value.length) return null;
  if (scan.magnitude > UINT64_MAX) return UINT64_MAX;
  return scan.negative ? (2n ** 64n - scan.magnitude) % 2n ** 64n : scan.magnitude;
}

/** Inclusive integer ranges accepted by the typed setters. */
export const RANGES = {
  int32: [INT32_MIN, INT32_MAX],
  int64: [INT64_MIN, INT64_MAX],
  uint64: [0n, UINT64_MAX],
} as const;
