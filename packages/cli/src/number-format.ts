/**
 * printf-style number formatting with glibc's exact results: `%.17g` (what g_variant_print
 * uses for doubles, via g_ascii_dtostr) and `%.Nf` (g_format_size). JavaScript's own
 * conversions round ties away from zero on the exact binary value where glibc rounds them to
 * even, so both are done here on the exact decimal expansion of the double.
 * @module
 */

interface Exact {
  readonly negative: boolean;
  /** The value is `digits × 10^-scale` exactly. */
  readonly digits: bigint;
  readonly scale: number;
}

function exact(x: number): Exact {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mantissa |= 1n << 52n;
    e = biased - 1075;
  }
  if (e >= 0) return { negative, digits: mantissa << BigInt(e), scale: 0 };
  return { negative, digits: mantissa * 5n ** BigInt(-e), scale: -e };
}

/** Rounds a non-negative integer to a multiple of 10^n, ties to even; returns the quotient. */
function roundHalfEven(value: bigint, n: number): bigint {
  if (n <= 0) return value * 10n ** BigInt(-n);
  const unit = 10n ** BigInt(n);
  const q = value / unit;
  const r = value % unit;
  const twice = r * 2n;
  if (twice > unit || (twice === unit && q % 2n === 1n)) return q + 1n;
  return q;
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    return view.getUint32(0) >>> 31 === 1 ? '-nan' : 'nan';
  }
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** C's `%.{precision}g` (glibc, C locale). */
export function formatG(x: number, precision = 17): string {
  const s = special(x);
  if (s !== undefined) return s;
  const P = precision === 0 ? 1 : precision;
  const { negative, digits, scale } = exact(x);
  const sign = negative ? '-' : '';
  if (digits === 0n) return `${sign}0`;
  const len = digits.toString().length;
  // Keep P significant digits.
  let kept = roundHalfEven(digits, len - P);
  let exp10 = len - 1 - scale;
  if (kept.toString().length > P) {
    kept /= 10n;
    exp10 += 1;
  }
  const d = kept.toString().padEnd(P, '0');
  const trim = (t: string): string => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp10 < -4 || exp10 >= P) {
    const mant = trim(d.length > 1 ? `${d[0]}.${d.slice(1)}` : d);
    const e = Math.abs(exp10).toString().padStart(2, '0');
    return `${sign}${mant}e${exp10 < 0 ? '-' : '+'}${e}`;
  }
  let fixed: string;
  if (exp10 >= 0) fixed = `${d.slice(0, exp10 + 1)}.${d.slice(exp10 + 1)}`;
  else fixed = `0.${'0'.repeat(-exp10 - 1)}${d}`;
  return sign + trim(fixed);
}

/** C's `%.{decimals}f` (glibc, C locale). */
export function formatFixed(x: number, decimals: number): string {
  const s = special(x);
  if (s !== undefined) return s;
  const { negative, digits, scale } = exact(x);
  const q = roundHalfEven(digits, scale - decimals);
  let text = q.toString();
  if (decimals > 0) {
    text = text.padStart(decimals + 1, '0');
    text = `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  }
  return (negative ? '-' : '') + text;
}
