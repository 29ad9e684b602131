/**
 * g_format_size(): sizes in SI units as ostree prints them (`3.5\u00a0MB`, `38 bytes`).
 * @module
 */
import { formatFixed } from './number-format.js';

const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;

/** Formats a byte count the way GLib's g_format_size() does (default flags). */
export function formatSize(size: bigint | number): string {
  const n = BigInt(size);
  if (n < 1000n) return `${n} ${n === 1n ? 'byte' : 'bytes'}`;
  let i = 0;
  while (i < UNITS.length - 1 && n >= 1000n ** BigInt(i + 2)) i++;
  const value = Number(n) / Number(1000n ** BigInt(i + 1));
  // GLib keeps a no-break space between the value and a unit symbol ("%.1f\u00a0%s").
  return `${formatFixed(value, 1)}\u00a0${UNITS[i]}`;
}
