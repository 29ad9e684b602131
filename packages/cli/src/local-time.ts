/**
 * Local-time ISO 8601 as ostree prints summary timestamps: g_date_time_to_local() and
 * "%FT%T%:::z" (offset as `+hh`, `+hh:mm` or `+hh:mm:ss`, the shortest exact form). The zone is
 * `$TZ` from the command's environment when the runtime knows it, else the process's.
 * @module
 */

const MIN_UNIX = -62135596800n;
const MAX_UNIX = 253402300799n;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetSeconds: number;
}

function partsIn(ms: number, timeZone: string | undefined): Parts {
  if (timeZone !== undefined) {
    try {
      const fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
      const get = (type: string): number => Number(fmt.formatToParts(ms).find((p) => p.type === type)?.value);
      const p = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
      const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
      const corrected = new Date(asUtc);
      corrected.setUTCFullYear(p.year);
      return { ...p, offsetSeconds: Math.round((corrected.getTime() - Math.floor(ms / 1000) * 1000) / 1000) };
    } catch {
      // Not a zone Intl understands (e.g. a POSIX TZ string): use the process's local time.
    }
  }
  const d = new Date(ms);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    offsetSeconds: -d.getTimezoneOffset() * 60,
  };
}

/** uint64_secs_to_iso8601(): `2022-01-02T12:34:56+00`, or `invalid` out of GLib's range. */
export function localIso8601(seconds: bigint, timeZone: string | undefined): string {
  const secs = BigInt.asIntN(64, seconds);
  if (secs < MIN_UNIX || secs > MAX_UNIX) return 'invalid';
  const p = partsIn(Number(secs) * 1000, timeZone);
  const two = (n: number): string => n.toString().padStart(2, '0');
  const off = Math.abs(p.offsetSeconds);
  let zone = `${p.offsetSeconds < 0 ? '-' : '+'}${two(Math.floor(off / 3600))}`;
  if (off % 3600 !== 0) zone += `:${two(Math.floor((off % 3600) / 60))}`;
  if (off % 60 !== 0) zone += `:${two(off % 60)}`;
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}${zone}`;
}

/**
 * Seconds since the epoch of a local wall-clock time in `timeZone` (or the process's zone).
 * Ambiguous or skipped times (DST changes) resolve like mktime() with tm_isdst = -1 usually
 * does: to the first matching instant.
 */
export function localToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string | undefined): number {
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  wall.setUTCFullYear(year);
  const wallMs = wall.getTime();
  // Two refinements find the offset in force at the resulting instant.
  let guess = wallMs;
  for (let i = 0; i < 2; i++) guess = wallMs - partsIn(guess, timeZone).offsetSeconds * 1000;
  return Math.floor(guess / 1000);
}
