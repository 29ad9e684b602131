/**
 * C library number parsing as GLib's text parser uses it: g_ascii_strtoull (base 0, modulo
 * 2^64, saturating on overflow) and g_ascii_strtod (C locale, including inf/nan and hex floats),
 * each reporting where it stopped.
 * @module
 */
import { isSpace, isXdigit } from './parse-tokens.js';

export const MAX_U64 = (1n << 64n) - 1n;

// g_ascii_strtoull(s, &end, 0): value (mod 2^64, saturated on overflow) and where it stopped.
export function strtoull(s: string): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && isXdigit(s.charCodeAt(i + 2))) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const start = i;
  let value = 0n;
  let overflow = false;
  for (; i < s.length; i++) {
    const d = parseInt(s[i]!, base);
    if (Number.isNaN(d)) break;
    value = value * BigInt(base) + BigInt(d);
    if (value > MAX_U64) overflow = true;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  if (overflow) return { value: MAX_U64, end: i, overflow: true };
  return { value: negative ? (-value) & MAX_U64 : value, end: i, overflow: false };
}

// g_ascii_strtod (C locale strtod): value and where it stopped.
export function strtod(s: string): { value: number; end: number } {
  const m =
    /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|(nan(?:\([A-Za-z0-9_]*\))?)|0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i.exec(
      s,
    );
  if (m === null) return { value: 0, end: 0 };
  const sign = m[1] === '-' ? -1 : 1;
  let value: number;
  if (m[2] !== undefined) value = Infinity;
  else if (m[3] !== undefined) value = NaN;
  else if (m[4] !== undefined) {
    const [intPart, fracPart = ''] = m[4].split('.');
    const mantissa = BigInt(`0x${(intPart ?? '') + fracPart || '0'}`);
    const exp = Number(m[5] ?? '0') - 4 * fracPart.length;
    value = Number(mantissa) * 2 ** exp;
  } else value = Number(m[6]);
  return { value: sign * value, end: m[0].length };
}

