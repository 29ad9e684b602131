/**
 * Commit dates as ostree prints them: g_date_time_format (dt, "%Y-%m-%d %H:%M:%S +0000") in
 * UTC, with GLib's range (years 1–9999) and its unpadded `%Y`.
 * @module
 */

const MIN_UNIX = -62135596800n; // 0001-01-01T00:00:00Z
const MAX_UNIX = 253402300799n; // 9999-12-31T23:59:59Z

/**
 * Formats a commit timestamp (seconds, as stored: an unsigned 64-bit number that GLib reads as
 * signed), or returns undefined where g_date_time_new_from_unix_utc() would fail.
 */
export function formatCommitDate(timestamp: bigint): string | undefined {
  const secs = BigInt.asIntN(64, timestamp);
  if (secs < MIN_UNIX || secs > MAX_UNIX) return undefined;
  const d = new Date(Number(secs) * 1000);
  const two = (n: number): string => n.toString().padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}
