/**
 * `ostree commit --timestamp=…` values. ostree hands them to gnulib's parse_datetime(); this
 * accepts the forms people use with it: `@SECONDS` (fraction truncated toward -inf),
 * `now`, and ISO-8601-like dates `YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][ZONE]` where ZONE is
 * `Z`, `UTC`, `GMT` or `±HH[[:]MM]` (case-insensitive). Without a zone the time is local, as
 * with parse_datetime (`$TZ` of the command's environment when given).
 * @module
 */
import { localToEpoch } from './local-time.js';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Seconds since the epoch, or undefined when the text is not understood (ostree then fails
 * with "Could not parse 'TEXT'").
 */
export function parseTimestamp(text: string, timeZone?: string, now: () => number = Date.now): bigint | undefined {
  const s = text.trim();
  const epoch = /^@([+-]?)(\d+)(?:[.,](\d+))?$/.exec(s);
  if (epoch !== null) {
    const whole = BigInt(epoch[2]!);
    const hasFraction = epoch[3] !== undefined && /[1-9]/.test(epoch[3]);
    if (epoch[1] === '-') return -whole - (hasFraction ? 1n : 0n);
    return whole;
  }
  if (/^now$/i.test(s)) return BigInt(Math.floor(now() / 1000));
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:([Zz]|[Uu][Tt][Cc]|[Gg][Mm][Tt])|([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(
      s,
    );
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let ms: number;
  if (m[7] !== undefined) ms = Date.UTC(year, month - 1, day, hour, minute, second);
  else if (m[8] !== undefined) {
    const offset = (Number(m[9]) * 60 + Number(m[10] ?? 0)) * (m[8] === '-' ? -1 : 1);
    ms = Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  } else {
    ms = localToEpoch(year, month, day, hour, minute, second, timeZone) * 1000;
  }
  return BigInt(Math.floor(ms / 1000));
}
